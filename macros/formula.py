"""A small safe formula language for metrics: numbers, input names, + - * / and parentheses.

Grammar:  expr := term (("+" | "-") term)* ; term := unary (("*" | "/") unary)* ;
          unary := ("+" | "-") unary | NUMBER | NAME | "(" expr ")"
NUMBER is ASCII digits only and spaces are ASCII only (Python's \\d would also take full-width
１００ from a Chinese input method). A formula is at most MAX_LENGTH characters and MAX_DEPTH levels
of parentheses and signs deep, so the recursive parser and the functions below never run out of
stack. This is the only parser: the calculator gets the parsed tree as JSON (calculator.js only
evaluates it), so the page and the build cannot read a formula differently.
"""

import re

_SPACE = " \t\r\n"
_TOKEN = re.compile(r"[ \t\r\n]*(?:([0-9]+(?:\.[0-9]+)?|\.[0-9]+)|([A-Za-z_][A-Za-z0-9_]*)|(.))",
                    re.DOTALL)
MAX_LENGTH = 300
MAX_DEPTH = 20


class FormulaError(ValueError):
    """A formula that does not parse; `column` is 1-based."""

    def __init__(self, message: str, column: int):
        super().__init__(f"第 {column} 个字符处{message}")
        self.column = column


def tokenize(text: str) -> list[tuple[str, object, int]]:
    """Split a formula into (kind, value, column) tokens, ending with an "end" token."""
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"公式超过 {MAX_LENGTH} 个字符", MAX_LENGTH + 1)
    tokens, pos = [], 0
    while pos < len(text) and text[pos:].strip(_SPACE):
        match = _TOKEN.match(text, pos)
        number, name, other = match.groups()
        column = match.start(match.lastindex) + 1
        if number is not None:
            tokens.append(("num", float(number), column))
        elif name is not None:
            tokens.append(("name", name, column))
        elif other in "+-*/()":
            tokens.append(("op", other, column))
        else:
            raise FormulaError(f"出现了不该有的字符 {other!r}", column)
        pos = match.end()
    tokens.append(("end", None, len(text) + 1))
    return tokens


class _Parser:
    """Recursive-descent parser producing nested tuples: ("num", x), ("name", n), (op, a, b)."""

    def __init__(self, text: str):
        self.tokens, self.i, self.depth = tokenize(text), 0, 0

    def peek(self):
        """The current token."""
        return self.tokens[self.i]

    def take(self):
        """Consume and return the current token."""
        token = self.tokens[self.i]
        self.i += 1
        return token

    def expr(self):
        """expr := term (("+" | "-") term)*"""
        node = self.term()
        while self.peek()[:2] in (("op", "+"), ("op", "-")):
            node = (self.take()[1], node, self.term())
        return node

    def term(self):
        """term := unary (("*" | "/") unary)*"""
        node = self.unary()
        while self.peek()[:2] in (("op", "*"), ("op", "/")):
            node = (self.take()[1], node, self.unary())
        return node

    def unary(self):
        """unary := ("+" | "-") unary | NUMBER | NAME | "(" expr ")" """
        kind, value, column = self.take()
        if kind in ("num", "name"):
            return (kind, value)
        if kind == "op" and value in "+-(":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise FormulaError(f"括号和正负号嵌套超过 {MAX_DEPTH} 层", column)
            node = self.nested(value)
            self.depth -= 1
            return node
        if kind == "end":
            raise FormulaError("公式没有写完，结尾还缺一个数字或名称", column)
        raise FormulaError(f"应当是数字、名称或「(」，这里却是 {value!r}", column)

    def nested(self, opener: str):
        """What follows a sign or an opening parenthesis (one level deeper)."""
        if opener != "(":
            return ("neg", self.unary()) if opener == "-" else self.unary()
        node = self.expr()
        if self.take()[:2] != ("op", ")"):
            raise FormulaError("缺少右括号", self.tokens[self.i - 1][2])
        return node


def parse(text: str):
    """Parse a formula into a tree; raise FormulaError with a column if it does not parse."""
    parser = _Parser(text)
    tree = parser.expr()
    kind, value, column = parser.peek()
    if kind != "end":
        raise FormulaError(f"多出了 {value!r}", column)
    return tree


def names(tree) -> set[str]:
    """Every input name a parsed formula uses."""
    if tree[0] == "name":
        return {tree[1]}
    if tree[0] == "num":
        return set()
    return set().union(*(names(child) for child in tree[1:]))


def divides_by_zero(tree) -> bool:
    """Whether a parsed formula divides by the literal number 0 somewhere (always unanswerable)."""
    if tree[0] in ("num", "name"):
        return False
    if tree[0] == "/" and tree[2] == ("num", 0.0):
        return True
    return any(divides_by_zero(child) for child in tree[1:])


PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}
SYMBOLS = {"+": " + ", "-": " − ", "*": " × ", "/": " ÷ "}


def describe(tree, labels: dict[str, str], parent: str = "", right: bool = False) -> str:
    """The formula in words for readers, e.g. (新增人数 − 退群人数) ÷ 群成员数 × 100."""
    kind = tree[0]
    if kind == "num":
        return f"{tree[1]:g}"
    if kind == "name":
        return labels.get(tree[1], tree[1])
    if kind == "neg":
        return "−" + describe(tree[1], labels, "*")
    text = (describe(tree[1], labels, kind) + SYMBOLS[kind]
            + describe(tree[2], labels, kind, right=True))
    if parent and (PRECEDENCE[kind] < PRECEDENCE[parent]
                   or (right and PRECEDENCE[kind] == PRECEDENCE[parent] and parent in "-/")):
        return f"({text})"
    return text
