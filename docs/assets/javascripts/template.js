/* Message-template fillers (macros/partials/template.html): fields, live preview, plain-text copy
   ready for WeChat, .txt download, a length count and warnings for risky phrases and unfilled
   placeholders. Fields start from the community profile (handbook.yml, in data-default), then from
   what this browser last typed for the same variable name (localStorage); "恢复默认值" forgets it. */
(function () {
  "use strict";

  var PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
  var STORE = "shequn-handbook:template-values";
  var MAX_VALUE = 2000;

  /* What this browser remembers, {variable name: text}; anything unreadable counts as nothing. */
  function remembered() {
    var parsed;
    try { parsed = JSON.parse(window.localStorage.getItem(STORE)); } catch (e) { return {}; }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return {};
    var clean = {};
    Object.keys(parsed).forEach(function (name) {
      if (typeof parsed[name] === "string" && parsed[name].length <= MAX_VALUE) clean[name] = parsed[name];
    });
    return clean;
  }

  /* Remember (or, with null, forget) values by variable name; storage failures are ignored. */
  function remember(values) {
    var all = remembered();
    Object.keys(values).forEach(function (name) {
      if (values[name] === null) delete all[name];
      else all[name] = values[name].slice(0, MAX_VALUE);
    });
    try { window.localStorage.setItem(STORE, JSON.stringify(all)); } catch (e) { /* private mode */ }
  }

  /* The placeholders still written as {{ … }} in a text, each once. */
  function unfilled(text) {
    var found = [];
    (text.match(PLACEHOLDER) || []).forEach(function (p) { if (found.indexOf(p) === -1) found.push(p); });
    return found;
  }

  /* The body with every filled variable in place; empty ones keep their {{ placeholder }}. */
  function fill(body, values) {
    return body.replace(PLACEHOLDER, function (whole, name) {
      return values[name] ? values[name] : whole;
    });
  }

  /* Characters as macros/kinds/templates.py length() counts them: Unicode code points (a Chinese
     character, an emoji of one code point, a line break: one each). */
  function length(text) {
    return Array.from(text).length;
  }

  function risks(text, lexicon) {
    return lexicon.filter(function (entry) { return text.indexOf(entry.phrase) !== -1; });
  }

  function enhance(root, lexicon) {
    root.setAttribute("data-ready", "");
    var part = function (role) { return root.querySelector('[data-role="' + role + '"]'); };
    var form = part("form"), preview = part("preview"), count = part("count");
    var status = part("status"), warnings = part("warnings");
    var body = preview.getAttribute("data-body");
    var max = root.hasAttribute("data-max") ? Number(root.getAttribute("data-max")) : null;
    var fields = form ? form.querySelectorAll("[data-var]") : [];  // inputs and textareas
    var confirmed = null;  // the text the reader chose to copy or download with blanks left

    var kept = remembered();
    fields.forEach(function (field) {
      var name = field.getAttribute("data-var");
      if (Object.prototype.hasOwnProperty.call(kept, name)) field.value = kept[name];
    });

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
        addWarning("「" + entry.phrase + "」可能被平台视为" + entry.category + "：" + entry.instead);
      });
      var blanks = unfilled(current);
      if (blanks.length) addWarning("还有 " + blanks.length + " 处没填：" + blanks.join("、"));
    }

    /* Run `action` on the text; with blanks left, the first click only warns, a second one goes ahead. */
    function guarded(action) {
      var current = text(), blanks = unfilled(current);
      if (blanks.length && confirmed !== current) {
        confirmed = current;
        status.textContent = "还有没填的空：" + blanks.join("、") + "。填好再试；要原样使用，请再点一次。";
        return;
      }
      confirmed = null;
      action(current, blanks);
    }

    function addWarning(message) {
      var item = document.createElement("li");
      item.textContent = message;
      warnings.appendChild(item);
    }

    fields.forEach(function (field) {
      field.addEventListener("input", function () {
        var value = {};
        value[field.getAttribute("data-var")] = field.value;
        remember(value);
        update();
      });
    });
    root.querySelector('[data-action="copy"]').addEventListener("click", function () {
      guarded(function (current, blanks) {
        var note = blanks.length ? "（还有没填的空：" + blanks.join("、") + "，粘贴后记得补上）" : "，可以直接粘贴到微信";
        window.Handbook.copyText(current).then(
          function () { status.textContent = "已复制" + note; },
          function () { status.textContent = "复制失败，请手动选中上面的文字复制"; });
      });
    });
    root.querySelector('[data-action="download"]').addEventListener("click", function () {
      guarded(function (current, blanks) {
        window.Handbook.download(root.getAttribute("data-title") + ".txt", current, "text/plain;charset=utf-8");
        status.textContent = blanks.length ? "已下载 .txt 文件（还有没填的空：" + blanks.join("、") + "）" : "已下载 .txt 文件";
      });
    });
    var reset = root.querySelector('[data-action="reset"]');
    if (reset) reset.addEventListener("click", function () {
      var forget = {};
      fields.forEach(function (field) {
        forget[field.getAttribute("data-var")] = null;
        field.value = field.getAttribute("data-default");
      });
      remember(forget);
      update();
      status.textContent = "已恢复默认值";
    });
    if (form) form.hidden = false;
    part("tools").hidden = false;
    update();
  }

  /* The page's risky phrases: one copy, written with the page's first template card. */
  function init() {
    var cards = document.querySelectorAll(".hb-template[data-template]:not([data-ready])");
    if (!cards.length) return;
    var holder = document.querySelector("[data-hb-lexicon]");
    var lexicon = JSON.parse(holder.getAttribute("data-hb-lexicon"));
    cards.forEach(function (card) { enhance(card, lexicon); });
  }

  window.Handbook.onPage(init);
})();
