"""Safe YAML reading: plain data plus the line of every value, and clear problems instead of
tracebacks.

What the loader accepts, and says so in its errors:
- one YAML document per file, UTF-8, at most MAX_BYTES;
- YAML 1.2 scalars: only `true`/`false` are booleans; `no`, `on` and `2026-11-01` stay text
  (dates are checked as text in YYYY-MM-DD form);
- no duplicate keys, no aliases (`*name`), no merge keys (`<<`), no tags (`!!x`).
"""

import re
from dataclasses import dataclass, field

import yaml

from .problems import Problem

MAX_BYTES = 1_000_000
MAX_DEPTH = 40

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Composer(_LOADER):
    """A YAML composer that resolves nothing itself: every plain scalar arrives as text."""

    DEFAULT_TAGS = {yaml.ScalarNode: "tag:yaml.org,2002:str", yaml.SequenceNode:
                    "tag:yaml.org,2002:seq", yaml.MappingNode: "tag:yaml.org,2002:map"}

    def resolve(self, kind, value, implicit):
        """The default tag of a node kind; `scalar` below decides what plain scalars are."""
        return self.DEFAULT_TAGS[kind]


_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_SPECIAL_START = frozenset("0123456789+-.~nNtTfF")  # the only first characters of non-text
_STR_TAG = "tag:yaml.org,2002:str"
_TAB_INDENT = re.compile(r"^[ \t]*\t", re.MULTILINE)
_PLAIN_TAGS = {_STR_TAG, "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}


class YamlProblem(Exception):
    """A file that cannot be read as data; carries its Problem."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class Document:
    """Parsed data and the line number of each value, keyed by its path."""

    data: object
    lines: dict = field(default_factory=dict)

    def line(self, path: tuple) -> int:
        """The line of the value at `path`, or of its nearest existing parent."""
        path = tuple(path)
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)


def scalar(value: str, plain: bool):
    """Resolve a scalar the YAML 1.2 core way: numbers, true/false and null; the rest is text."""
    if not plain or (value and value[0] not in _SPECIAL_START):
        return value
    if _NULL.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    return value


class _Builder:
    """Turns a composed YAML node tree into plain data, recording lines and refusing tricks."""

    def __init__(self, rel: str, offset: int):
        self.rel, self.offset = rel, offset
        self.lines: dict = {}
        self.seen: set[int] = set()

    def line_of(self, node) -> int:
        """The 1-based file line where a node starts."""
        return node.start_mark.line + 1 + self.offset

    def fail(self, line: int, what: str, fix: str):
        """Stop with a problem at a line."""
        raise YamlProblem(Problem(self.rel, line, what, fix))

    def build(self, node, path: tuple = (), slot: int = 0):
        """Convert one node (and its children) to data; `slot` is the line that holds it."""
        if id(node) in self.seen:  # an alias: refused here, so an alias bomb never expands
            self.fail(slot, "an alias (*name) repeats another value",
                      "write the value out in full; anchors and aliases are not supported")
        self.seen.add(id(node))
        line = self.lines[path] = self.line_of(node)
        if len(path) > MAX_DEPTH:
            self.fail(line, f"the data is nested more than {MAX_DEPTH} levels deep",
                      "flatten the structure; see data/README.md for the expected shape")
        if node.tag not in _PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self.fail(line, f"YAML tag {tag} is not supported",
                      "remove the tag; quote the value if it must stay text")
        kind = type(node)
        if kind is yaml.ScalarNode:
            return scalar(node.value, not node.style)
        if kind is yaml.SequenceNode:
            return [self.build(child, path + (i,), line) for i, child in enumerate(node.value)]
        return self.mapping(node, path)

    def mapping(self, node, path: tuple) -> dict:
        """Convert a mapping, refusing duplicate, merge and non-text keys."""
        result: dict = {}
        first_line: dict = {}
        for key_node, value_node in node.value:
            key_line = self.line_of(key_node)
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR_TAG:
                self.fail(key_line, "a key is not plain text", "write the key as a simple word")
            key = key_node.value
            if key == "<<":
                self.fail(key_line, "merge keys (<<) are not supported",
                          "write the fields out in full")
            if key in result:
                self.fail(key_line, f'duplicate key "{key}" (first at line {first_line[key]})',
                          "keep one of them; YAML would silently drop the first")
            first_line[key] = key_line
            result[key] = self.build(value_node, path + (key,), key_line)
        return result


def _decode(raw: bytes, rel: str, offset: int) -> str:
    """UTF-8 text of a file (a BOM is allowed), or a problem naming the bad byte's line."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1 + offset
        raise YamlProblem(Problem(rel, line, f"the file is not UTF-8 (byte 0x{raw[err.start]:02x})",
                                  "save the file with UTF-8 encoding")) from None


def _syntax_problem(err: yaml.YAMLError, rel: str, offset: int) -> Problem:
    """Translate a PyYAML syntax error into a problem with a fix."""
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    line = (mark.line + 1 if mark else 1) + offset
    reason = getattr(err, "problem", None) or str(err).splitlines()[0]
    if "expected a single document" in str(err):
        return Problem(rel, line, "the file holds more than one YAML document",
                       "remove the extra `---` separator; one file holds one item")
    context = getattr(err, "context", None)
    where = f" ({context})" if context else ""
    return Problem(rel, line, f"YAML syntax error: {reason}{where}",
                   "check indentation, colons and quotes on this line and the one before")


def parse(raw: bytes, rel: str, offset: int = 0) -> Document:
    """Parse one YAML document from bytes; raise YamlProblem for anything unreadable.

    The caller keeps files over MAX_BYTES away (see loader.read_bytes)."""
    text = _decode(raw, rel, offset)
    tab = _TAB_INDENT.search(text)
    if tab:
        raise YamlProblem(Problem(rel, text.count("\n", 0, tab.start()) + 1 + offset,
                                  "a tab is used for indentation",
                                  "indent with spaces (two per level), never tabs"))
    try:
        node = yaml.compose(text, Loader=_Composer)
    except yaml.YAMLError as err:
        raise YamlProblem(_syntax_problem(err, rel, offset)) from None
    except RecursionError:
        raise YamlProblem(Problem(rel, 1 + offset, "the data is nested too deeply",
                                  "flatten the structure; see data/README.md")) from None
    if node is None:
        raise YamlProblem(Problem(rel, 1 + offset, "the file holds no data",
                                  "fill it in; data/README.md has an example of each kind"))
    builder = _Builder(rel, offset)
    return Document(builder.build(node), builder.lines)
