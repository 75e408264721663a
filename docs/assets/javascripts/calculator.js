/* Metric calculators (macros/partials/calculator.html): inputs in, value and target band out.
   Each formula comes parsed, as a JSON tree written at build time by macros/formula.py (the only
   parser): ["num", x], ["name", id], ["neg", a], or [op, a, b] with op one of + - * /. */
(function () {
  "use strict";

  /* The tree's value for the given inputs; null when it divides by zero. */
  function evaluate(tree, values) {
    var kind = tree[0];
    if (kind === "num") return tree[1];
    if (kind === "name") return values[tree[1]];
    var args = tree.slice(1).map(function (child) { return evaluate(child, values); });
    if (args.indexOf(null) !== -1) return null;
    if (kind === "neg") return -args[0];
    if (kind === "/") return args[1] === 0 ? null : args[0] / args[1];
    return kind === "+" ? args[0] + args[1] : kind === "-" ? args[0] - args[1] : args[0] * args[1];
  }

  function verdict(value, min, max, higherIsBetter) {
    if (min !== null && value < min) return { text: "低于目标区间", good: !higherIsBetter };
    if (max !== null && value > max) return { text: "高于目标区间", good: higherIsBetter };
    return { text: "在目标区间内", good: true };
  }

  function format(value) {
    return (Math.round(value * 100) / 100).toLocaleString("zh-CN");
  }

  function enhanceMetric(fieldset) {
    var tree = JSON.parse(fieldset.getAttribute("data-formula-tree"));
    var inputs = fieldset.querySelectorAll("input[data-input]");
    var output = fieldset.querySelector('[data-role="result"]');
    var unit = fieldset.getAttribute("data-unit");  /* the unit as it follows a number: "%" or " 人" */
    var band = fieldset.querySelector('[data-role="band"]');
    var higher = fieldset.getAttribute("data-higher") === "true";

    /* The bounds of the band in force: the only one, or the one chosen for this community type. */
    function bound(name) {
      var source = band.tagName === "SELECT" ? band.options[band.selectedIndex] : band;
      return source.hasAttribute(name) ? Number(source.getAttribute(name)) : null;
    }

    function update() {
      var values = {}, missing = false, negative = false;
      inputs.forEach(function (input) {
        if (input.value.trim() === "" || !isFinite(Number(input.value))) missing = true;
        else if (Number(input.value) < 0) negative = true;
        values[input.getAttribute("data-input")] = Number(input.value);
      });
      fieldset.classList.remove("hb-calc--good", "hb-calc--bad");
      if (missing) { output.textContent = "—"; return; }
      /* Every input is a count or an amount: a negative one is a typing mistake, not a result. */
      if (negative) { output.textContent = "无法计算：输入的数不能是负数"; return; }
      var value = evaluate(tree, values);
      if (value === null) { output.textContent = "无法计算：除数为 0"; return; }
      if (!isFinite(value)) { output.textContent = "无法计算：数字太大，超出了能算的范围"; return; }
      var result = verdict(value, bound("data-min"), bound("data-max"), higher);
      output.textContent = format(value) + unit + "，" + result.text;
      fieldset.classList.add(result.good ? "hb-calc--good" : "hb-calc--bad");
    }

    inputs.forEach(function (input) { input.addEventListener("input", update); });
    band.addEventListener("change", update);
    update();
  }

  function init() {
    document.querySelectorAll("[data-calculator]:not([data-ready])").forEach(function (calculator) {
      calculator.setAttribute("data-ready", "");
      calculator.querySelector('[data-role="hint"]').textContent = "填入本期的数字，立即算出指标并对照目标区间。";
      calculator.querySelectorAll("fieldset[data-formula-tree]").forEach(enhanceMetric);
    });
  }

  window.Handbook.onPage(init);
})();
