/* Interactive checklists: ticks kept in localStorage per checklist id, run and item id.
   Progressive enhancement of the HTML from macros/partials/checklist.html; no framework. */
(function () {
  "use strict";

  var PREFIX = "shequn-handbook:checklist:";
  var EXPORT_FORMAT = "shequn-handbook-checklists";
  var DEFAULT_RUN = "默认";
  var MAX_NAME = 60;

  /* ---------- pure storage logic (unit-tested through the browser) ---------- */

  function emptyStore() {
    return { v: 1, current: "r1", runs: { r1: { name: DEFAULT_RUN, ticks: {} } } };
  }

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function cleanName(name) {
    return typeof name === "string" ? name.trim().slice(0, MAX_NAME) : "";
  }

  /* A valid store from anything: unknown items are dropped, bad shapes reset. */
  function normalize(raw, itemIds) {
    var known = {};
    itemIds.forEach(function (id) { known[id] = true; });
    if (!isObject(raw) || raw.v !== 1 || !isObject(raw.runs)) return { store: emptyStore(), reset: raw !== null };
    var store = { v: 1, current: "", runs: {} };
    Object.keys(raw.runs).forEach(function (runId) {
      var run = raw.runs[runId];
      if (!isObject(run) || !cleanName(run.name)) return;
      var ticks = {};
      if (isObject(run.ticks)) {
        Object.keys(run.ticks).forEach(function (itemId) {
          if (known[itemId] && run.ticks[itemId] === true) ticks[itemId] = true;
        });
      }
      store.runs[runId] = { name: cleanName(run.name), ticks: ticks };
    });
    var runIds = Object.keys(store.runs);
    if (!runIds.length) return { store: emptyStore(), reset: true };
    store.current = store.runs[raw.current] ? raw.current : runIds[0];
    return { store: store, reset: false };
  }

  /* The stored state of one checklist; corrupted or foreign data gives a fresh store. */
  function read(storage, checklistId, itemIds) {
    var text = null;
    try { text = storage.getItem(PREFIX + checklistId); } catch (e) { text = null; }
    if (text === null) return { store: emptyStore(), reset: false };
    var parsed;
    try { parsed = JSON.parse(text); } catch (e) { return { store: emptyStore(), reset: true }; }
    return normalize(parsed, itemIds);
  }

  function write(storage, checklistId, store) {
    try { storage.setItem(PREFIX + checklistId, JSON.stringify(store)); return true; } catch (e) { return false; }
  }

  function uniqueName(store, wanted, exceptRun) {
    var names = Object.keys(store.runs).filter(function (id) { return id !== exceptRun; })
      .map(function (id) { return store.runs[id].name; });
    var name = cleanName(wanted) || "记录 " + (names.length + 1);
    var candidate = name, n = 2;
    while (names.indexOf(candidate) !== -1) candidate = name + "（" + n++ + "）";
    return candidate;
  }

  function addRun(store, wanted) {
    var n = 1;
    while (store.runs["r" + n]) n++;
    var id = "r" + n;
    store.runs[id] = { name: uniqueName(store, wanted, null), ticks: {} };
    store.current = id;
    return id;
  }

  function renameRun(store, wanted) {
    if (!cleanName(wanted)) return false;
    store.runs[store.current].name = uniqueName(store, wanted, store.current);
    return true;
  }

  /* Deleting the last run leaves a fresh default run. */
  function deleteRun(store) {
    delete store.runs[store.current];
    var ids = Object.keys(store.runs);
    if (!ids.length) return emptyStore();
    store.current = ids[0];
    return store;
  }

  function progress(items, ticks) {
    var done = 0, requiredOpen = 0;
    items.forEach(function (item) {
      if (ticks[item.id]) done++;
      else if (item.required) requiredOpen++;
    });
    return { done: done, total: items.length, requiredOpen: requiredOpen };
  }

  function progressText(p) {
    var text = "已完成 " + p.done + "/" + p.total;
    return text + (p.requiredOpen ? "，必做还剩 " + p.requiredOpen + " 项" : "，必做项已全部完成");
  }

  /* Markdown task list: "## title（run）", "### group", "- [x] item". */
  function toMarkdown(title, runName, groups, ticks) {
    var lines = ["## " + title + "（" + runName + "）"];
    groups.forEach(function (group) {
      lines.push("", "### " + group.title, "");
      group.items.forEach(function (item) {
        lines.push("- [" + (ticks[item.id] ? "x" : " ") + "] " + item.text);
      });
    });
    return lines.join("\n") + "\n";
  }

  function exportAll(storage) {
    var checklists = {};
    for (var i = 0; i < storage.length; i++) {
      var key = storage.key(i);
      if (key && key.indexOf(PREFIX) === 0) {
        try { checklists[key.slice(PREFIX.length)] = JSON.parse(storage.getItem(key)); } catch (e) { /* skip */ }
      }
    }
    return { format: EXPORT_FORMAT, version: 1, exported: new Date().toISOString(), checklists: checklists };
  }

  /* Writes every valid checklist of an export; returns how many, or -1 for a foreign file. */
  function importAll(storage, data) {
    if (!isObject(data) || data.format !== EXPORT_FORMAT || !isObject(data.checklists)) return -1;
    var count = 0;
    Object.keys(data.checklists).forEach(function (id) {
      if (!/^[a-z][a-z0-9_]*$/.test(id)) return;
      var raw = data.checklists[id];
      var itemIds = [];
      if (isObject(raw) && isObject(raw.runs)) {
        Object.keys(raw.runs).forEach(function (runId) {
          var run = raw.runs[runId];
          if (isObject(run) && isObject(run.ticks)) itemIds = itemIds.concat(Object.keys(run.ticks));
        });
      }
      var result = normalize(raw, itemIds);
      if (!result.reset && write(storage, id, result.store)) count++;
    });
    return count;
  }

  /* ---------- the page ---------- */

  function model(root) {
    var groups = [];
    root.querySelectorAll(".hb-checklist__group").forEach(function (fieldset) {
      var items = [];
      fieldset.querySelectorAll(".hb-checklist__item").forEach(function (li) {
        items.push({
          id: li.getAttribute("data-item"),
          text: li.getAttribute("data-text"),
          required: li.getAttribute("data-required") === "true",
          box: li.querySelector('input[type="checkbox"]')
        });
      });
      groups.push({ title: fieldset.getAttribute("data-title"), items: items });
    });
    return groups;
  }

  function storageAvailable() {
    try { return !!window.localStorage; } catch (e) { return false; }
  }

  function enhance(root) {
    if (root.hasAttribute("data-ready") || !storageAvailable()) return;
    root.setAttribute("data-ready", "");
    var id = root.getAttribute("data-checklist");
    var title = root.getAttribute("data-title");
    var groups = model(root);
    var items = [].concat.apply([], groups.map(function (g) { return g.items; }));
    var itemIds = items.map(function (item) { return item.id; });
    var part = function (role) { return root.querySelector('[data-role="' + role + '"]'); };
    var select = part("run-select"), nameInput = part("run-name"), fileInput = part("import-file");
    var bar = part("progress-bar"), status = part("progress"), message = part("message");
    var loaded = read(window.localStorage, id, itemIds);
    var store = loaded.store;

    function say(text) { message.textContent = text; }
    function save() { write(window.localStorage, id, store); }
    function ticks() { return store.runs[store.current].ticks; }

    function render() {
      select.textContent = "";
      Object.keys(store.runs).forEach(function (runId) {
        var option = document.createElement("option");
        option.value = runId;
        option.textContent = store.runs[runId].name;
        option.selected = runId === store.current;
        select.appendChild(option);
      });
      items.forEach(function (item) { item.box.checked = !!ticks()[item.id]; });
      update();
    }

    function update() {
      var p = progress(items, ticks());
      bar.max = p.total || 1;
      bar.value = p.done;
      status.textContent = progressText(p);
      root.classList.toggle("hb-checklist--done", p.requiredOpen === 0);
    }

    items.forEach(function (item) {
      item.box.addEventListener("change", function () {
        if (item.box.checked) ticks()[item.id] = true;
        else delete ticks()[item.id];
        save();
        update();
      });
    });
    select.addEventListener("change", function () {
      store.current = select.value;
      save();
      render();
      say("已切换到「" + store.runs[store.current].name + "」");
    });

    var actions = {
      "run-add": function () {
        addRun(store, nameInput.value);
        nameInput.value = "";
        save();
        render();
        say("已新建「" + store.runs[store.current].name + "」");
      },
      "run-rename": function () {
        if (!renameRun(store, nameInput.value)) { say("请先在输入框里写新名称"); nameInput.focus(); return; }
        nameInput.value = "";
        save();
        render();
        say("已重命名为「" + store.runs[store.current].name + "」");
      },
      "run-delete": function () {
        var name = store.runs[store.current].name;
        if (!window.confirm("删除记录「" + name + "」及其全部勾选？")) return;
        store = deleteRun(store);
        save();
        render();
        say("已删除「" + name + "」");
      },
      reset: function () {
        var name = store.runs[store.current].name;
        if (!window.confirm("清空「" + name + "」的全部勾选？")) return;
        store.runs[store.current].ticks = {};
        save();
        render();
        say("已清空「" + name + "」");
      },
      copy: function () {
        window.Handbook.copyText(toMarkdown(title, store.runs[store.current].name, groups, ticks())).then(
          function () { say("已复制为 Markdown，可粘贴到飞书、企业微信或 GitHub"); },
          function () { say("复制失败，请检查浏览器的剪贴板权限"); });
      },
      "export": function () {
        var day = new Date().toISOString().slice(0, 10);
        window.Handbook.download("勾选记录-" + day + ".json",
          JSON.stringify(exportAll(window.localStorage), null, 2), "application/json");
        say("已导出全部清单的勾选记录");
      },
      "import": function () { fileInput.click(); }
    };
    root.querySelectorAll("[data-action]").forEach(function (button) {
      button.addEventListener("click", actions[button.getAttribute("data-action")]);
    });

    fileInput.addEventListener("change", function () {
      var file = fileInput.files[0];
      if (!file) return;
      file.text().then(function (text) {
        var data;
        try { data = JSON.parse(text); } catch (e) { data = null; }
        var count = importAll(window.localStorage, data);
        fileInput.value = "";
        if (count < 0) { say("这不是手册导出的记录文件，未导入任何内容"); return; }
        document.querySelectorAll(".hb-checklist[data-ready]").forEach(function (other) {
          other.dispatchEvent(new CustomEvent("hb:reload"));
        });
        say("已导入 " + count + " 张清单的记录");
      });
    });
    root.addEventListener("hb:reload", function () {
      store = read(window.localStorage, id, itemIds).store;
      render();
    });

    root.querySelector(".hb-checklist__toolbar").hidden = false;
    render();
    save();
    if (loaded.reset) say("本清单保存的记录无法读取，已重置为空白记录");
  }

  function init() {
    document.querySelectorAll(".hb-checklist").forEach(enhance);
  }

  window.HandbookChecklist = {
    PREFIX: PREFIX, emptyStore: emptyStore, normalize: normalize, read: read, write: write,
    addRun: addRun, renameRun: renameRun, deleteRun: deleteRun, progress: progress,
    progressText: progressText, toMarkdown: toMarkdown, exportAll: exportAll, importAll: importAll
  };

  window.Handbook.onPage(init);
})();
