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

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # its parser is iterative C code
_DEFAULT_TAGS = {yaml.ScalarNode: "tag:yaml.org,2002:str", yaml.SequenceNode:
                 "tag:yaml.org,2002:seq", yaml.MappingNode: "tag:yaml.org,2002:map"}
_OPENS = {yaml.SequenceStartEvent: yaml.SequenceNode, yaml.MappingStartEvent: yaml.MappingNode}
_CLOSES = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


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

    def line_of(self, node) -> int:
        """The 1-based file line where a node starts."""
        return node.start_mark.line + 1 + self.offset

    def fail(self, line: int, what: str, fix: str):
        """Stop with a problem at a line."""
        raise YamlProblem(Problem(self.rel, line, what, fix))

    def build(self, node, path: tuple = ()):
        """Convert one node (and its children) to data."""
        line = self.lines[path] = self.line_of(node)
        if node.tag not in _PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self.fail(line, f"YAML tag {tag} is not supported",
                      "remove the tag; quote the value if it must stay text")
        kind = type(node)
        if kind is yaml.ScalarNode:
            return scalar(node.value, not node.style)
        if kind is yaml.SequenceNode:
            return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
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
            result[key] = self.build(value_node, path + (key,))
        return result


def decode(raw: bytes, rel: str, offset: int = 0) -> str:
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
    context = getattr(err, "context", None)
    where = f" ({context})" if context else ""
    return Problem(rel, line, f"YAML syntax error: {reason}{where}",
                   "check indentation, colons and quotes on this line and the one before")


def _node(event, cls):
    """A node for an event; a plain (untagged) value gets its kind's default tag, so every plain
    scalar arrives as text and `scalar` decides what it is."""
    tag = event.tag if event.tag not in (None, "!") else _DEFAULT_TAGS[cls]
    if cls is yaml.ScalarNode:
        return cls(tag, event.value, event.start_mark, event.end_mark, style=event.style)
    return cls(tag, [], event.start_mark, event.end_mark, flow_style=event.flow_style)


def compose(text: str, rel: str, offset: int):
    """The node tree of one YAML document, built from the parser's events without recursion.

    PyYAML's own composer recurses once per level (its C version overflows the C stack and
    crashes the process on ~50 000 nested `[`), so depth is counted here, and the file refused
    at MAX_DEPTH, before any deep tree exists. Aliases and extra documents are refused here too.
    """
    def fail(event, what, fix):
        raise YamlProblem(Problem(rel, event.start_mark.line + 1 + offset, what, fix))

    root, stack, documents = None, [], 0
    for event in yaml.parse(text, Loader=_LOADER):
        kind = type(event)
        if kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                fail(event, "the file holds more than one YAML document",
                     "remove the extra `---` separator; one file holds one item")
        elif kind is yaml.AliasEvent:  # refused at once, so an alias bomb never expands
            fail(event, "an alias (*name) repeats another value",
                 "write the value out in full; anchors and aliases are not supported")
        elif kind in _CLOSES:
            node = stack.pop()
            if kind is yaml.MappingEndEvent:
                node.value = list(zip(node.value[::2], node.value[1::2], strict=True))
        elif kind is yaml.ScalarEvent or kind in _OPENS:
            if len(stack) > MAX_DEPTH:
                fail(event, f"the data is nested more than {MAX_DEPTH} levels deep",
                     "flatten the structure; see data/README.md for the expected shape")
            node = _node(event, yaml.ScalarNode if kind is yaml.ScalarEvent else _OPENS[kind])
            if stack:
                stack[-1].value.append(node)
            else:
                root = node
            if kind in _OPENS:
                stack.append(node)
    return root


def parse(raw: bytes | str, rel: str, offset: int = 0) -> Document:
    """Parse one YAML document from bytes (or text already decoded); raise YamlProblem for
    anything unreadable.

    The caller keeps files over MAX_BYTES away (see pages.read_bytes)."""
    text = raw if isinstance(raw, str) else decode(raw, rel, offset)
    tab = _TAB_INDENT.search(text)
    if tab:
        raise YamlProblem(Problem(rel, text.count("\n", 0, tab.start()) + 1 + offset,
                                  "a tab is used for indentation",
                                  "indent with spaces (two per level), never tabs"))
    try:
        node = compose(text, rel, offset)
    except yaml.YAMLError as err:
        raise YamlProblem(_syntax_problem(err, rel, offset)) from None
    if node is None:
        raise YamlProblem(Problem(rel, 1 + offset, "the file holds no data",
                                  "fill it in; data/README.md has an example of each kind"))
    builder = _Builder(rel, offset)
    return Document(builder.build(node), builder.lines)
