/* Message-template fillers (macros/partials/template.html): fields, live preview, plain-text copy
   ready for WeChat, .txt download, a length count and warnings for risky phrases. */
(function () {
  "use strict";

  var PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

  /* The body with every filled variable in place; empty ones keep their {{ placeholder }}. */
  function fill(body, values) {
    return body.replace(PLACEHOLDER, function (whole, name) {
      return values[name] ? values[name] : whole;
    });
  }

  /* Characters as a reader counts them (a Chinese character or an emoji is one). */
  function length(text) {
    return Array.from(text).length;
  }

  function risks(text, lexicon) {
    return lexicon.filter(function (entry) { return text.indexOf(entry.phrase) !== -1; });
  }

  function enhance(root) {
    root.setAttribute("data-ready", "");
    var part = function (role) { return root.querySelector('[data-role="' + role + '"]'); };
    var form = part("form"), preview = part("preview"), count = part("count");
    var status = part("status"), warnings = part("warnings");
    var body = preview.getAttribute("data-body");
    var max = root.hasAttribute("data-max") ? Number(root.getAttribute("data-max")) : null;
    var lexicon = JSON.parse(root.getAttribute("data-lexicon"));
    var fields = form ? form.querySelectorAll("input[data-var]") : [];

    function text() {
      var values = {};
      fields.forEach(function (field) { values[field.getAttribute("data-var")] = field.value.trim(); });
      return fill(body, values);
    }

    function update() {
      var current = text();
      preview.textContent = current;
      var n = length(current);
      count.textContent = max ? n + " / " + max + " 字" : n + " 字";
      count.classList.toggle("hb-template__count--over", max !== null && n > max);
      warnings.textContent = "";
      if (max !== null && n > max) addWarning("超出建议长度 " + (n - max) + " 字，发送前请精简。");
      risks(current, lexicon).forEach(function (entry) {
        addWarning("“" + entry.phrase + "”可能被平台视为" + entry.category + "：" + entry.instead);
      });
    }

    function addWarning(message) {
      var item = document.createElement("li");
      item.textContent = message;
      warnings.appendChild(item);
    }

    fields.forEach(function (field) { field.addEventListener("input", update); });
    root.querySelector('[data-action="copy"]').addEventListener("click", function () {
      window.Handbook.copyText(text()).then(
        function () { status.textContent = "已复制，可以直接粘贴到微信"; },
        function () { status.textContent = "复制失败，请手动选中上面的文字复制"; });
    });
    root.querySelector('[data-action="download"]').addEventListener("click", function () {
      window.Handbook.download(root.getAttribute("data-title") + ".txt", text(), "text/plain;charset=utf-8");
      status.textContent = "已下载 .txt 文件";
    });
    if (form) form.hidden = false;
    part("tools").hidden = false;
    update();
  }

  function init() {
    document.querySelectorAll(".hb-template[data-template]:not([data-ready])").forEach(enhance);
  }

  window.HandbookTemplate = { fill: fill, length: length, risks: risks };
  window.Handbook.onPage(init);
})();
