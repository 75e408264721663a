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
# PyYAML's syntax errors (English, by how they start) in words a contributor can act on.
SYNTAX_REASONS = (
    ("mapping values are not allowed", "这里不能出现「键: 值」，多半是缩进不对，或冒号后面少了空格"),
    ("did not find expected '-' indicator", "列表项的「- 」没有对齐"),
    ("could not find expected ':'", "找不到键后面的冒号，多半是上一行用了全角冒号「：」或少了冒号"),
    ("did not find expected key", "这一行的缩进和上面的字段对不齐"),
    ("did not find expected ',' or ']'", "方括号 [ ] 里的列表没有正确结束，检查逗号和右括号「]」"),
    ("did not find expected ',' or '}'", "花括号 { } 里的字段没有正确结束，检查逗号和右括号「}」"),
    ("found unexpected end of stream", "文件在引号或括号闭合之前就结束了"),
    ("found unknown escape character", "双引号里有无法识别的反斜杠转义，改用单引号或去掉反斜杠"),
    ("found character that cannot start any token", "有一个字符不能放在值的开头，例如 @ 或 `，给值加上引号"),
    ("expected <block end>", "缩进不一致：同一层的字段要对齐"),
    ("found unexpected ':'", "这一行多了一个冒号，含冒号的值要加引号"),
)


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
            self.fail(line, f"不支持 YAML 标签 {tag}",
                      "删掉这个标签；要保留成文字的话，给值加上引号")
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
                self.fail(key_line, "键不是普通文字", "把键写成一个简单的词")
            key = key_node.value
            if key == "<<":
                self.fail(key_line, "不支持合并键（<<）",
                          "把字段完整地写出来")
            if key in result:
                self.fail(key_line, f"键「{key}」重复了（第一次出现在第 {first_line[key]} 行）",
                          "只保留一个；否则 YAML 会悄悄丢掉前一个")
            first_line[key] = key_line
            result[key] = self.build(value_node, path + (key,))
        return result


def decode(raw: bytes, rel: str, offset: int = 0) -> str:
    """UTF-8 text of a file (a BOM is allowed), or a problem naming the bad byte's line."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1 + offset
        raise YamlProblem(Problem(rel, line, f"文件不是 UTF-8 编码（字节 0x{raw[err.start]:02x}）",
                                  "用 UTF-8 编码重新保存这个文件")) from None


def _syntax_problem(err: yaml.YAMLError, rel: str, offset: int) -> Problem:
    """Translate a PyYAML syntax error into a problem with a fix."""
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    line = (mark.line + 1 if mark else 1) + offset
    reason = getattr(err, "problem", None) or str(err).splitlines()[0]
    said = next((text for start, text in SYNTAX_REASONS if reason.startswith(start)), None)
    return Problem(rel, line, f"YAML 语法错误：{said}" if said else f"YAML 语法错误（{reason}）",
                   "检查这一行和上一行的缩进、冒号和引号；冒号要用半角的「:」，后面跟一个空格")


def _node(event, cls):
    """A node for an event; a plain (untagged) value gets its kind's default tag, so every plain
    scalar arrives as text and `scalar` decides what it is."""
    tag = event.tag if event.tag not in (None, "!") else _DEFAULT_TAGS[cls]
    if cls is yaml.ScalarNode:
        return cls(tag, event.value, event.start_mark, event.end_mark, style=event.style)
    return cls(tag, [], event.start_mark, event.end_mark, flow_style=event.flow_style)


_COMPOSED: dict = {}  # (file, offset) -> (its text, the node tree composed from it)


def composed(text: str, rel: str, offset: int):
    """compose(), kept per file while its text is unchanged: `make serve` reads every file again on
    every rebuild, and composing was most of the data load. The tree is only ever read."""
    kept = _COMPOSED.get((rel, offset))
    if kept is None or kept[0] != text:
        kept = _COMPOSED[(rel, offset)] = (text, compose(text, rel, offset))
    return kept[1]


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
                fail(event, "文件里有不止一个 YAML 文档",
                     "删掉多余的 --- 分隔线；一个文件只写一项")
        elif kind is yaml.AliasEvent:  # refused at once, so an alias bomb never expands
            fail(event, "用了别名（*名称）来重复另一个值",
                 "把值完整地写出来；不支持锚点（&）和别名（*）")
        elif kind in _CLOSES:
            node = stack.pop()
            if kind is yaml.MappingEndEvent:
                node.value = list(zip(node.value[::2], node.value[1::2], strict=True))
        elif kind is yaml.ScalarEvent or kind in _OPENS:
            if len(stack) > MAX_DEPTH:
                fail(event, f"数据嵌套超过 {MAX_DEPTH} 层",
                     "减少嵌套层数；应有的结构见 data/README.md")
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
                                  "用了 Tab 键缩进",
                                  "改用空格缩进（每层两个空格），不要用 Tab"))
    try:
        node = composed(text, rel, offset)
    except yaml.YAMLError as err:
        raise YamlProblem(_syntax_problem(err, rel, offset)) from None
    if node is None:
        raise YamlProblem(Problem(rel, 1 + offset, "文件里没有数据",
                                  "把内容填上；data/README.md 里每种数据都有例子"))
    builder = _Builder(rel, offset)
    return Document(builder.build(node), builder.lines)
