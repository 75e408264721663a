/* Interactive checklists: ticks kept in localStorage per checklist id, run and item id.
   Progressive enhancement of the HTML from macros/partials/checklist.html; no framework.
   Every map built from stored or imported data has no prototype, and every lookup is an own-property
   check, so ids such as "constructor" or "__proto__" are plain keys. */
(function () {
  "use strict";

  var PREFIX = "shequn-handbook:checklist:";
  var EXPORT_FORMAT = "shequn-handbook-checklists";
  var DEFAULT_RUN = "默认";
  var MAX_NAME = 60;
  var ID = /^[a-z][a-z0-9_]*$/;           // checklist and item ids, as in data/schemas/common.schema.json
  var RUN_ID = /^r[1-9][0-9]{0,8}$/;      // run ids are r1, r2, …
  var MAX_IMPORT_BYTES = 5 * 1024 * 1024; // browsers keep about 5 MB per site: a bigger file cannot fit
  var NOTICE_OFF = "这个浏览器不允许网页保存数据（可能开着无痕或隐私模式），勾选只在本页打开期间有效。" +
    "离开前请点「导出全部记录」存成文件，下次用「导入记录」恢复。";
  var NOTICE_UNSAVED = "浏览器没能保存最近的勾选（存储空间已满或被禁止），关闭页面就会丢失。" +
    "请点「导出全部记录」存成文件，下次用「导入记录」恢复。";

  /* ---------- small helpers ---------- */

  /* A map without a prototype: no key is inherited. */
  function dict() { return Object.create(null); }

  /* True when `key` is an own property of `obj`. */
  function has(obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); }

  /* True for a plain object (not null, not an array). */
  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  /* A run name: trimmed, capped, or "" when unusable. */
  function cleanName(name) {
    return typeof name === "string" ? name.trim().slice(0, MAX_NAME) : "";
  }

  /* ---------- storage: the browser's, or memory when the browser refuses ---------- */

  /* A Storage-like object in memory, used when localStorage is disabled. */
  function memoryStorage() {
    var data = dict();
    return {
      get length() { return Object.keys(data).length; },
      key: function (i) { return Object.keys(data)[i] === undefined ? null : Object.keys(data)[i]; },
      getItem: function (k) { return has(data, k) ? data[k] : null; },
      setItem: function (k, v) { data[k] = String(v); }
    };
  }

  /* localStorage if the browser lets the page use it, else memory (and `off` says so). */
  function pickStorage() {
    try {
      var s = window.localStorage;
      s.getItem(PREFIX);
      return { area: s, off: false };
    } catch (e) {
      return { area: memoryStorage(), off: true };
    }
  }

  var keep = pickStorage();
  var unsaved = dict();   // checklist id -> store the browser refused to save; kept until it can

  /* ---------- pure storage logic (unit-tested through the browser) ---------- */

  /* A fresh store with one empty default run. */
  function emptyStore() {
    var runs = dict();
    runs.r1 = { name: DEFAULT_RUN, ticks: dict() };
    return { v: 1, current: "r1", runs: runs };
  }

  /* The ticks of one stored run: true values for ids accepted by `isKnown`. */
  function cleanTicks(raw, isKnown) {
    var ticks = dict();
    if (!isObject(raw)) return ticks;
    Object.keys(raw).forEach(function (itemId) {
      if (raw[itemId] === true && isKnown(itemId)) ticks[itemId] = true;
    });
    return ticks;
  }

  /* A valid store from anything: unknown items and bad runs are dropped, bad shapes reset.
     `known` is a list of item ids, or a function that accepts an id. `dropped` counts bad runs. */
  function normalize(raw, known) {
    var isKnown = typeof known === "function" ? known : setOf(known);
    if (!isObject(raw) || raw.v !== 1 || !isObject(raw.runs)) {
      return { store: emptyStore(), reset: raw !== null, dropped: 0 };
    }
    var store = { v: 1, current: "", runs: dict() }, dropped = 0;
    Object.keys(raw.runs).forEach(function (runId) {
      var run = raw.runs[runId];
      if (!RUN_ID.test(runId) || !isObject(run) || !cleanName(run.name)) { dropped++; return; }
      store.runs[runId] = { name: cleanName(run.name), ticks: cleanTicks(run.ticks, isKnown) };
    });
    var runIds = Object.keys(store.runs);
    if (!runIds.length) return { store: emptyStore(), reset: true, dropped: dropped };
    store.current = typeof raw.current === "string" && has(store.runs, raw.current) ? raw.current : runIds[0];
    return { store: store, reset: false, dropped: dropped };
  }

  /* A membership test for a list of ids. */
  function setOf(ids) {
    var set = dict();
    ids.forEach(function (id) { set[id] = true; });
    return function (id) { return has(set, id); };
  }

  /* The state of one checklist: unsaved memory first, then storage; bad data gives a fresh store. */
  function read(storage, checklistId, itemIds) {
    if (has(unsaved, checklistId)) return { store: unsaved[checklistId], reset: false };
    var text = null;
    try { text = storage.getItem(PREFIX + checklistId); } catch (e) { text = null; }
    if (text === null) return { store: emptyStore(), reset: false };
    var parsed;
    try { parsed = JSON.parse(text); } catch (e) { return { store: emptyStore(), reset: true }; }
    return normalize(parsed, itemIds);
  }

  /* Save a store; on failure keep it in memory (so export still has it) and return false. */
  function write(storage, checklistId, store) {
    try {
      storage.setItem(PREFIX + checklistId, JSON.stringify(store));
      delete unsaved[checklistId];
      return true;
    } catch (e) {
      unsaved[checklistId] = store;
      return false;
    }
  }

  /* The run names of a store, as a membership map. */
  function namesOf(store) {
    var names = dict();
    Object.keys(store.runs).forEach(function (id) { names[store.runs[id].name] = true; });
    return names;
  }

  /* `wanted` (or "记录 n"), with "（2）", "（3）"… added until no name in `names` has it.
     `memo` (base name -> next number) keeps a long series of equal names linear. */
  function uniqueName(names, wanted, count, memo) {
    var name = cleanName(wanted) || "记录 " + (count + 1);
    var n = memo && has(memo, name) ? memo[name] : 2, candidate = name;
    if (n > 2) candidate = name + "（" + n++ + "）";
    while (has(names, candidate)) candidate = name + "（" + n++ + "）";
    if (memo) memo[name] = n;
    return candidate;
  }

  /* The first free run id from r`from` on. */
  function freeRunId(store, from) {
    var n = from || 1;
    while (has(store.runs, "r" + n)) n++;
    return "r" + n;
  }

  /* Add an empty run named after `wanted` and make it current. */
  function addRun(store, wanted) {
    var id = freeRunId(store, 1);
    store.runs[id] = { name: uniqueName(namesOf(store), wanted, Object.keys(store.runs).length), ticks: dict() };
    store.current = id;
    return id;
  }

  /* Rename the current run; false when the new name is empty. */
  function renameRun(store, wanted) {
    if (!cleanName(wanted)) return false;
    var names = namesOf(store);
    delete names[store.runs[store.current].name];
    store.runs[store.current].name = uniqueName(names, wanted, 0);
    return true;
  }

  /* Delete the current run; deleting the last run leaves a fresh default run. */
  function deleteRun(store) {
    delete store.runs[store.current];
    var ids = Object.keys(store.runs);
    if (!ids.length) return emptyStore();
    store.current = ids[0];
    return store;
  }

  /* Done, total and open required items for a run's ticks. */
  function progress(items, ticks) {
    var done = 0, requiredOpen = 0;
    items.forEach(function (item) {
      if (has(ticks, item.id)) done++;
      else if (item.required) requiredOpen++;
    });
    return { done: done, total: items.length, requiredOpen: requiredOpen };
  }

  /* The progress line shown under the toolbar. */
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
        lines.push("- [" + (has(ticks, item.id) ? "x" : " ") + "] " + item.text);
      });
    });
    return lines.join("\n") + "\n";
  }

  /* Every checklist's record, from storage and from memory where saving failed. */
  function exportAll(storage) {
    var checklists = dict();
    for (var i = 0; i < storage.length; i++) {
      var key = storage.key(i);
      if (key && key.indexOf(PREFIX) === 0) {
        try { checklists[key.slice(PREFIX.length)] = JSON.parse(storage.getItem(key)); } catch (e) { /* skip */ }
      }
    }
    Object.keys(unsaved).forEach(function (id) { checklists[id] = unsaved[id]; });
    return { format: EXPORT_FORMAT, version: 1, exported: new Date().toISOString(), checklists: checklists };
  }

  /* True when every tick of `a` is also in `b`. */
  function within(a, b) {
    return Object.keys(a).every(function (id) { return has(b, id); });
  }

  /* True when a store holds no tick at all. */
  function pristine(store) {
    return Object.keys(store.runs).every(function (id) { return !Object.keys(store.runs[id].ticks).length; });
  }

  /* How one imported checklist meets the local one: runs are matched by name. A clash is a local
     run with ticks that the imported run of the same name lacks: replacing it would lose them. */
  function planOne(local, incoming) {
    var byName = dict(), clashes = 0;
    Object.keys(local.runs).forEach(function (id) { byName[local.runs[id].name] = id; });
    var moves = Object.keys(incoming.runs).map(function (id) {
      var run = incoming.runs[id];
      var target = has(byName, run.name) ? byName[run.name] : null;
      if (target !== null) delete byName[run.name];   // a second run of that name is added, not merged
      var clash = target !== null && !within(local.runs[target].ticks, run.ticks);
      if (clash) clashes++;
      return { run: run, target: target, clash: clash, current: id === incoming.current };
    });
    return { local: local, moves: moves, clashes: clashes, adopt: pristine(local) };
  }

  /* Read an export into a plan: per checklist, what would change; refused entries are counted. */
  function planImport(storage, data) {
    if (!isObject(data) || data.format !== EXPORT_FORMAT || !isObject(data.checklists)) return null;
    var plan = { lists: [], refused: 0, clashes: 0 };
    Object.keys(data.checklists).forEach(function (id) {
      var raw = data.checklists[id];
      var result = ID.test(id) ? normalize(raw, function (itemId) { return ID.test(itemId); }) : null;
      if (!result || result.reset || raw === null) { plan.refused++; return; }
      plan.refused += result.dropped;
      var one = planOne(read(storage, id, function (itemId) { return ID.test(itemId); }).store, result.store);
      one.id = id;
      plan.clashes += one.clashes;
      plan.lists.push(one);
    });
    return plan;
  }

  /* Merge one planned checklist into its local store: new names are added, matching runs take the
     imported ticks, and clashing runs are replaced only if `replace`, else added under a new name. */
  function mergeOne(one, replace, counts) {
    var store = one.local, names = namesOf(store), memo = dict(), next = 1;
    var total = Object.keys(store.runs).length;
    one.moves.forEach(function (move) {
      var id = move.target;
      if (id !== null && (!move.clash || replace)) {
        store.runs[id].ticks = move.run.ticks;
        counts[move.clash ? "replaced" : "updated"]++;
      } else {
        id = freeRunId(store, next);
        next = Number(id.slice(1)) + 1;
        var name = uniqueName(names, move.clash ? move.run.name + "（导入）" : move.run.name, total++, memo);
        names[name] = true;
        store.runs[id] = { name: name, ticks: move.run.ticks };
        counts[move.clash ? "kept" : "added"]++;
      }
      if (move.current && one.adopt) store.current = id;
    });
    return store;
  }

  /* Apply a plan to storage; returns the counts for the message. */
  function applyImport(storage, plan, replace) {
    var counts = { lists: 0, added: 0, updated: 0, replaced: 0, kept: 0, unsaved: 0 };
    plan.lists.forEach(function (one) {
      counts.lists++;
      if (!write(storage, one.id, mergeOne(one, replace, counts))) counts.unsaved++;
    });
    return counts;
  }

  /* One sentence on what an import did. */
  function importMessage(counts, refused) {
    var parts = ["已导入 " + counts.lists + " 张清单的记录"];
    var detail = [];
    if (counts.added) detail.push("新增 " + counts.added + " 条");
    if (counts.updated) detail.push("更新 " + counts.updated + " 条");
    if (counts.replaced) detail.push("替换 " + counts.replaced + " 条");
    if (counts.kept) detail.push("另存 " + counts.kept + " 条（名称带「导入」）");
    if (detail.length) parts.push(detail.join("，"));
    if (refused) parts.push("跳过 " + refused + " 项无法识别的内容（空值或格式不对）");
    if (counts.unsaved) parts.push(counts.unsaved + " 张没能存进浏览器，请先导出备份");
    return parts.join("；") + "。";
  }

  /* ---------- one checklist on the page ---------- */

  /* Groups and items as read from the HTML. */
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

  /* The state object shared by the functions below: the root, its parts and the store. */
  function state(root) {
    var groups = model(root);
    var items = [].concat.apply([], groups.map(function (g) { return g.items; }));
    var part = function (role) { return root.querySelector('[data-role="' + role + '"]'); };
    return {
      root: root, id: root.getAttribute("data-checklist"), title: root.getAttribute("data-title"),
      groups: groups, items: items, itemIds: items.map(function (item) { return item.id; }),
      select: part("run-select"), nameInput: part("run-name"), fileInput: part("import-file"),
      bar: part("progress-bar"), status: part("progress"), message: part("message"),
      alert: part("alert"), exportButton: root.querySelector('[data-action="export"]'), store: null
    };
  }

  /* Show a short message under the toolbar. */
  function say(ui, text) { ui.message.textContent = text; }

  /* The ticks of the current run. */
  function ticks(ui) { return ui.store.runs[ui.store.current].ticks; }

  /* Reload the store from storage (another tab or an import may have changed it). */
  function reload(ui) { ui.store = read(keep.area, ui.id, ui.itemIds).store; }

  /* Save the store, and show or clear the notice that ticks cannot be kept. */
  function save(ui) {
    write(keep.area, ui.id, ui.store);
    notice(ui);
  }

  /* The visible notice when storage is off or a save failed, pointing at the export button. */
  function notice(ui) {
    var text = keep.off ? NOTICE_OFF : has(unsaved, ui.id) ? NOTICE_UNSAVED : "";
    ui.alert.textContent = text;
    ui.alert.hidden = !text;
    ui.exportButton.classList.toggle("hb-button--attention", !!text);
  }

  /* Change the store the way `fn` says, starting from what is stored now, then save and redraw. */
  function change(ui, fn) {
    reload(ui);
    fn(ui.store);
    save(ui);
    render(ui);
  }

  /* Redraw the run menu and the boxes from the store. */
  function render(ui) {
    ui.select.textContent = "";
    Object.keys(ui.store.runs).forEach(function (runId) {
      var option = document.createElement("option");
      option.value = runId;
      option.textContent = ui.store.runs[runId].name;
      option.selected = runId === ui.store.current;
      ui.select.appendChild(option);
    });
    ui.items.forEach(function (item) { item.box.checked = has(ticks(ui), item.id); });
    update(ui);
  }

  /* Redraw the progress bar and line. */
  function update(ui) {
    var p = progress(ui.items, ticks(ui));
    ui.bar.max = p.total || 1;
    ui.bar.value = p.done;
    ui.status.textContent = progressText(p);
    ui.root.classList.toggle("hb-checklist--done", p.requiredOpen === 0);
  }

  /* A tick goes to the run the reader sees, even if another tab has switched runs meanwhile. */
  function onTick(ui, item) {
    var runId = ui.store.current, on = item.box.checked;
    change(ui, function (store) {
      if (!has(store.runs, runId)) store.runs[runId] = { name: uniqueName(namesOf(store), "恢复的记录", 0), ticks: dict() };
      store.current = runId;
      if (on) store.runs[runId].ticks[item.id] = true;
      else delete store.runs[runId].ticks[item.id];
    });
  }

  /* Switch to the run chosen in the menu. */
  function onSelect(ui) {
    var runId = ui.select.value;
    change(ui, function (store) { if (has(store.runs, runId)) store.current = runId; });
    say(ui, "已切换到「" + ui.store.runs[ui.store.current].name + "」");
  }

  /* The toolbar buttons, by their data-action. */
  var ACTIONS = {
    "run-add": function (ui) {
      var wanted = ui.nameInput.value;
      change(ui, function (store) { addRun(store, wanted); });
      ui.nameInput.value = "";
      say(ui, "已新建「" + ui.store.runs[ui.store.current].name + "」");
    },
    "run-rename": function (ui) {
      var wanted = ui.nameInput.value;
      if (!cleanName(wanted)) { say(ui, "请先在输入框里写新名称"); ui.nameInput.focus(); return; }
      change(ui, function (store) { renameRun(store, wanted); });
      ui.nameInput.value = "";
      say(ui, "已重命名为「" + ui.store.runs[ui.store.current].name + "」");
    },
    "run-delete": function (ui) {
      var runId = ui.store.current, name = ui.store.runs[runId].name;
      if (!window.confirm("删除记录「" + name + "」及其全部勾选？")) return;
      change(ui, function (store) {
        if (!has(store.runs, runId)) return;
        store.current = runId;
        var left = deleteRun(store);
        store.runs = left.runs;
        store.current = left.current;
      });
      say(ui, "已删除「" + name + "」");
    },
    reset: function (ui) {
      var runId = ui.store.current, name = ui.store.runs[runId].name;
      if (!window.confirm("清空「" + name + "」的全部勾选？")) return;
      change(ui, function (store) { if (has(store.runs, runId)) store.runs[runId].ticks = dict(); });
      say(ui, "已清空「" + name + "」");
    },
    copy: function (ui) {
      var text = toMarkdown(ui.title, ui.store.runs[ui.store.current].name, ui.groups, ticks(ui));
      window.Handbook.copyText(text).then(
        function () { say(ui, "已复制为 Markdown，可粘贴到飞书、企业微信或 GitHub"); },
        function () { say(ui, "复制失败，请检查浏览器的剪贴板权限"); });
    },
    "export": function (ui) {
      var day = new Date().toISOString().slice(0, 10);
      window.Handbook.download("勾选记录-" + day + ".json",
        JSON.stringify(exportAll(keep.area), null, 2), "application/json");
      say(ui, "已导出全部清单的勾选记录");
    },
    "import": function (ui) { ui.fileInput.click(); }
  };

  /* Read the chosen file: refuse it above the size limit, ask before replacing ticked runs, merge. */
  function onImportFile(ui) {
    var file = ui.fileInput.files[0];
    ui.fileInput.value = "";
    if (!file) return;
    if (file.size > MAX_IMPORT_BYTES) {
      say(ui, "文件太大（" + (file.size / 1048576).toFixed(1) + " MB），超过 5 MB 的上限，未导入任何内容：" +
        "浏览器本来也存不下这么多记录。");
      return;
    }
    say(ui, "正在读取文件……");
    file.text().then(function (text) {
      say(ui, "正在导入……");
      // The next frame paints the message; the import runs right after it.
      requestAnimationFrame(function () { setTimeout(function () { importText(ui, text); }, 0); });
    }, function () { say(ui, "读不出这个文件，未导入任何内容"); });
  }

  /* Parse, plan, confirm and apply an import, then tell every checklist on the page to reload. */
  function importText(ui, text) {
    var data;
    try { data = JSON.parse(text); } catch (e) { data = null; }
    var plan = planImport(keep.area, data);
    if (!plan) { say(ui, "这不是手册导出的记录文件，未导入任何内容"); return; }
    var replace = plan.clashes > 0 && window.confirm(
      "文件里有 " + plan.clashes + " 条记录和本机的同名记录不同，本机的一些勾选在文件里没有。\n" +
      "确定：用文件里的替换本机的；取消：两份都保留，文件里的另存为「…（导入）」。");
    var counts = applyImport(keep.area, plan, replace);
    document.querySelectorAll(".hb-checklist[data-ready]").forEach(function (other) {
      other.dispatchEvent(new CustomEvent("hb:reload"));
    });
    say(ui, importMessage(counts, plan.refused));
  }

  /* Wire the boxes, the menu, the buttons, the file input and reloads to one checklist. */
  function listen(ui) {
    ui.items.forEach(function (item) {
      item.box.addEventListener("change", function () { onTick(ui, item); });
    });
    ui.select.addEventListener("change", function () { onSelect(ui); });
    ui.root.querySelectorAll("[data-action]").forEach(function (button) {
      var action = ACTIONS[button.getAttribute("data-action")];
      button.addEventListener("click", function () { action(ui); });
    });
    ui.fileInput.addEventListener("change", function () { onImportFile(ui); });
    ui.root.addEventListener("hb:reload", function () { reload(ui); render(ui); notice(ui); });
  }

  /* Turn one printable checklist into an interactive one, once. */
  function enhance(root) {
    if (root.hasAttribute("data-ready")) return;
    root.setAttribute("data-ready", "");
    var ui = state(root);
    var loaded = read(keep.area, ui.id, ui.itemIds);
    ui.store = loaded.store;
    listen(ui);
    root.querySelector(".hb-checklist__toolbar").hidden = false;
    render(ui);
    save(ui);
    if (loaded.reset) say(ui, "本清单保存的记录无法读取，已重置为空白记录");
  }

  /* Another tab changed a checklist: the open copies of it reload. */
  function onStorage(event) {
    if (event.storageArea !== keep.area) return;
    if (event.key !== null && event.key.indexOf(PREFIX) !== 0) return;
    document.querySelectorAll(".hb-checklist[data-ready]").forEach(function (root) {
      if (event.key === null || event.key === PREFIX + root.getAttribute("data-checklist")) {
        root.dispatchEvent(new CustomEvent("hb:reload"));
      }
    });
  }

  /* Enhance every checklist of the page. */
  function init() {
    document.querySelectorAll(".hb-checklist").forEach(enhance);
  }

  /* The pure functions, for the unit test in tests/test_checklist_browser.py. */
  window.HandbookChecklist = {
    emptyStore: emptyStore, normalize: normalize, addRun: addRun, renameRun: renameRun,
    deleteRun: deleteRun, progress: progress, progressText: progressText, toMarkdown: toMarkdown,
    exportAll: exportAll, planImport: planImport, applyImport: applyImport
  };

  window.addEventListener("storage", onStorage);
  window.Handbook.onPage(init);
})();
