/* The metric formula language, the browser twin of macros/formula.py (same grammar, same errors):
   numbers, input names, + - * / and parentheses. A parser, never eval or Function. */
(function () {
  "use strict";

  var TOKEN = /[ \t\r\n]*(?:([0-9]+(?:\.[0-9]+)?|\.[0-9]+)|([A-Za-z_][A-Za-z0-9_]*)|([\s\S]))/y;

  /* Python's repr() of a token value, so messages match macros/formula.py exactly. */
  function repr(value) {
    if (typeof value === "number") return Number.isInteger(value) ? value + ".0" : String(value);
    return value.indexOf("'") === -1 ? "'" + value + "'" : '"' + value + '"';
  }

  function FormulaError(message, column) {
    this.message = "第 " + column + " 个字符处" + message;
    this.column = column;
  }

  function tokenize(text) {
    var tokens = [], pos = 0, match;
    while (pos < text.length && /[^ \t\r\n]/.test(text.slice(pos))) {
      TOKEN.lastIndex = pos;
      match = TOKEN.exec(text);
      var column = match.index + match[0].length - (match[1] || match[2] || match[3]).length + 1;
      if (match[1] !== undefined) tokens.push(["num", parseFloat(match[1]), column]);
      else if (match[2] !== undefined) tokens.push(["name", match[2], column]);
      else if ("+-*/()".indexOf(match[3]) !== -1) tokens.push(["op", match[3], column]);
      else throw new FormulaError("出现了不该有的字符 " + repr(match[3]), column);
      pos = TOKEN.lastIndex;
    }
    tokens.push(["end", null, text.length + 1]);
    return tokens;
  }

  function parse(text) {
    var tokens = tokenize(text), i = 0;
    function peek() { return tokens[i]; }
    function isOp(token, ops) { return token[0] === "op" && ops.indexOf(token[1]) !== -1; }
    function expr() {
      var node = term();
      while (isOp(peek(), "+-")) node = [tokens[i++][1], node, term()];
      return node;
    }
    function term() {
      var node = unary();
      while (isOp(peek(), "*/")) node = [tokens[i++][1], node, unary()];
      return node;
    }
    function unary() {
      var token = tokens[i++];
      if (isOp(token, "+-")) return token[1] === "-" ? ["neg", unary()] : unary();
      if (token[0] === "num" || token[0] === "name") return [token[0], token[1]];
      if (isOp(token, "(")) {
        var node = expr();
        if (!isOp(tokens[i++], ")")) throw new FormulaError("缺少右括号", tokens[i - 1][2]);
        return node;
      }
      if (token[0] === "end") throw new FormulaError("公式没有写完，结尾还缺一个数字或名称", token[2]);
      throw new FormulaError("应当是数字、名称或「(」，这里却是 " + repr(token[1]), token[2]);
    }
    var tree = expr();
    if (peek()[0] !== "end") throw new FormulaError("多出了 " + repr(peek()[1]), peek()[2]);
    return tree;
  }

  /* The value for the given inputs; null when it divides by zero. */
  function evaluate(tree, values) {
    var kind = tree[0];
    if (kind === "num") return tree[1];
    if (kind === "name") return Number(values[tree[1]]);
    var args = tree.slice(1).map(function (child) { return evaluate(child, values); });
    if (args.indexOf(null) !== -1) return null;
    if (kind === "neg") return -args[0];
    if (kind === "/") return args[1] === 0 ? null : args[0] / args[1];
    return kind === "+" ? args[0] + args[1] : kind === "-" ? args[0] - args[1] : args[0] * args[1];
  }

  window.HandbookFormula = { parse: parse, evaluate: evaluate, FormulaError: FormulaError };
})();
