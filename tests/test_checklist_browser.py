"""Checklists in a real browser: ticks survive reloads, instant navigation, reordering and bad
storage; runs, copy, export/import, keyboard and accessibility."""

import json
import re
from urllib.parse import urljoin

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import CHROMIUM_ARGS, ROOT, SiteServer, build_site, find_chromium, watch

STORE_PREFIX = "shequn-handbook:checklist:"


def open_checklist(page, base_url: str):
    """Go from the checklist library to the first checklist's page; return the checklist."""
    target = first_library_link(page, base_url)
    page.goto(target)
    checklist = page.locator(f".hb-checklist#{target.split('#')[1]}")
    checklist.locator(".hb-checklist__toolbar").wait_for(state="visible")
    return checklist


def first_library_link(page, base_url: str) -> str:
    """The absolute URL of the first checklist listed in the checklist library."""
    page.goto(base_url + "library/checklists/")
    return urljoin(page.url, page.locator("table.hb-library a").first.get_attribute("href"))


def box(checklist, n: int):
    """The n-th checkbox of a checklist."""
    return checklist.locator(".hb-checklist__item input[type=checkbox]").nth(n)


def item_id(checklist, n: int) -> str:
    """The data id of the n-th item."""
    return checklist.locator(".hb-checklist__item").nth(n).get_attribute("data-item")


def ticked_ids(checklist) -> list[str]:
    """Ids of the ticked items, in page order."""
    return checklist.locator(".hb-checklist__item:has(input:checked)").evaluate_all(
        "items => items.map(li => li.dataset.item)")


@pytest.fixture(autouse=True)
def built(site):
    """Every test here runs against the real site, built once and served by `server`."""
    return site


def test_tick_survives_reload(page, server):
    """Tick, reload: still ticked, and the progress says so."""
    checklist = open_checklist(page, server.url)
    box(checklist, 0).check()
    page.reload()
    checklist.locator(".hb-checklist__toolbar").wait_for(state="visible")
    assert box(checklist, 0).is_checked()
    assert not box(checklist, 1).is_checked()
    assert checklist.locator("[data-role=progress]").inner_text().startswith("已完成 1/")
    assert page.errors == []


def test_tick_survives_instant_navigation(page, server):
    """Tick, leave through instant navigation and come back: still ticked, no full reload."""
    checklist = open_checklist(page, server.url)
    box(checklist, 1).check()
    page.evaluate("window.__sameDocument = true")
    page.locator(".md-tabs__link").first.click()
    page.wait_for_url(server.url)
    page.go_back()
    checklist.locator(".hb-checklist__toolbar").wait_for(state="visible")
    assert page.evaluate("window.__sameDocument") is True, "navigation was not instant"
    assert box(checklist, 1).is_checked()
    assert page.errors == []


def test_progress_counts_required_items(page, server):
    """Progress shows done/total and how many required items are still open."""
    checklist = open_checklist(page, server.url)
    items = checklist.locator(".hb-checklist__item")
    total = items.count()
    required = checklist.locator(".hb-checklist__item[data-required=true]").count()
    progress = checklist.locator("[data-role=progress]")
    assert progress.get_attribute("aria-live") == "polite"
    assert progress.inner_text() == f"已完成 0/{total}，必做还剩 {required} 项"
    first_required = checklist.locator(".hb-checklist__item[data-required=true] input").first
    first_required.check()
    left = required - 1
    expected = f"，必做还剩 {left} 项" if left else "，必做项已全部完成"
    assert progress.inner_text() == f"已完成 1/{total}{expected}"


def test_garbage_in_storage_resets_only_that_checklist(page, server):
    """Corrupted or foreign storage: no console error, a notice, and a working checklist."""
    checklist = open_checklist(page, server.url)
    cid = checklist.get_attribute("data-checklist")
    for garbage in ["{not json", '{"v": 1, "runs": []}', '"a string"', '{"v": 99}']:
        page.evaluate("([k, v]) => localStorage.setItem(k, v)", [STORE_PREFIX + cid, garbage])
        page.reload()
        checklist.locator(".hb-checklist__toolbar").wait_for(state="visible")
        assert "已重置" in checklist.locator("[data-role=message]").inner_text()
        box(checklist, 0).check()
        stored = json.loads(page.evaluate("k => localStorage.getItem(k)", STORE_PREFIX + cid))
        assert stored["runs"][stored["current"]]["ticks"] == {item_id(checklist, 0): True}
    assert page.errors == []


def test_named_runs_keep_separate_ticks(page, server):
    """Two named runs of one checklist keep their own ticks, switchable and renamable."""
    checklist = open_checklist(page, server.url)
    box(checklist, 0).check()
    checklist.locator("[data-role=run-name]").fill("2026-12 新人营")
    checklist.locator("[data-action=run-add]").click()
    assert not box(checklist, 0).is_checked()
    box(checklist, 1).check()
    select = checklist.locator("[data-role=run-select]")
    assert select.locator("option").all_inner_texts() == ["默认", "2026-12 新人营"]
    select.select_option(label="默认")
    assert ticked_ids(checklist) == [item_id(checklist, 0)]
    select.select_option(label="2026-12 新人营")
    assert ticked_ids(checklist) == [item_id(checklist, 1)]
    checklist.locator("[data-role=run-name]").fill("2027-01 新人营")
    checklist.locator("[data-action=run-rename]").click()
    page.reload()
    checklist.locator(".hb-checklist__toolbar").wait_for(state="visible")
    assert select.locator("option:checked").inner_text() == "2027-01 新人营"
    assert ticked_ids(checklist) == [item_id(checklist, 1)]
    page.once("dialog", lambda dialog: dialog.accept())
    checklist.locator("[data-action=run-delete]").click()
    assert select.locator("option").all_inner_texts() == ["默认"]
    assert ticked_ids(checklist) == [item_id(checklist, 0)]


def test_reset_asks_first(page, server):
    """Reset clears the current run only after the reader confirms."""
    checklist = open_checklist(page, server.url)
    box(checklist, 0).check()
    page.once("dialog", lambda dialog: dialog.dismiss())
    checklist.locator("[data-action=reset]").click()
    assert box(checklist, 0).is_checked()
    page.once("dialog", lambda dialog: dialog.accept())
    checklist.locator("[data-action=reset]").click()
    assert ticked_ids(checklist) == []


def test_copy_as_markdown(context, page, server):
    """Copy as Markdown puts a task list with the ticks on the clipboard."""
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url.rstrip("/"))
    checklist = open_checklist(page, server.url)
    box(checklist, 0).check()
    checklist.locator("[data-action=copy]").click()
    checklist.locator("[data-role=message]", has_text="已复制").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    groups = checklist.locator(".hb-checklist__group")
    expected = [f"## {checklist.get_attribute('data-title')}（默认）"]
    for g in range(groups.count()):
        group = groups.nth(g)
        expected += ["", f"### {group.get_attribute('data-title')}", ""]
        texts = group.locator(".hb-checklist__item").evaluate_all(
            "items => items.map(li => li.dataset.text)")
        marks = ["x" if g == 0 and i == 0 else " " for i in range(len(texts))]
        expected += [f"- [{mark}] {text}" for mark, text in zip(marks, texts, strict=True)]
    assert copied == "\n".join(expected) + "\n"


def test_export_then_import_restores_every_tick(browser, page, server, tmp_path):
    """Export in one browser, import in a fresh one: every run and tick comes back."""
    checklist = open_checklist(page, server.url)
    box(checklist, 0).check()
    checklist.locator("[data-role=run-name]").fill("第二期")
    checklist.locator("[data-action=run-add]").click()
    box(checklist, 1).check()
    with page.expect_download() as download:
        checklist.locator("[data-action=export]").click()
    exported = tmp_path / "progress.json"
    download.value.save_as(exported)
    assert download.value.suggested_filename.endswith(".json")

    fresh = browser.new_context()
    try:
        other = watch(fresh.new_page())
        again = open_checklist(other, server.url)
        assert ticked_ids(again) == []
        again.locator("[data-role=import-file]").set_input_files(exported)
        again.locator("[data-role=message]", has_text="已导入").wait_for()
        assert ticked_ids(again) == [item_id(again, 1)]
        again.locator("[data-role=run-select]").select_option(label="默认")
        assert ticked_ids(again) == [item_id(again, 0)]
        assert other.errors == []
    finally:
        fresh.close()


def test_import_refuses_a_foreign_file(page, server, tmp_path):
    """A JSON file that is not a handbook export changes nothing and says so."""
    checklist = open_checklist(page, server.url)
    box(checklist, 0).check()
    foreign = tmp_path / "other.json"
    foreign.write_text('{"hello": "world"}', "utf-8")
    checklist.locator("[data-role=import-file]").set_input_files(foreign)
    checklist.locator("[data-role=message]", has_text="未导入").wait_for()
    assert ticked_ids(checklist) == [item_id(checklist, 0)]


def test_keyboard_alone_ticks_a_box(page, server):
    """Tab reaches a checkbox and Space ticks it."""
    checklist = open_checklist(page, server.url)
    first = box(checklist, 0)
    first_id = first.get_attribute("id")
    page.locator("body").focus()
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == first_id:
            break
    else:
        pytest.fail("Tab never reached the first checkbox")
    page.keyboard.press("Space")
    assert first.is_checked()


def test_phone_width_has_no_horizontal_scroll(browser, server):
    """At 360 px the checklist fits the screen: nothing scrolls sideways."""
    phone = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    try:
        page = watch(phone.new_page())
        checklist = open_checklist(page, server.url)
        assert checklist.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        box(checklist, 0).check()
        assert box(checklist, 0).is_checked()
    finally:
        phone.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_checklist_page_has_no_serious_accessibility_violations(browser, server, scheme):
    """axe-core finds no serious or critical violation, in light and in dark mode."""
    ctx = browser.new_context(color_scheme=scheme)
    try:
        page = watch(ctx.new_page())
        checklist = open_checklist(page, server.url)
        box(checklist, 0).check()
        expected = "slate" if scheme == "dark" else "default"
        assert page.evaluate("document.body.dataset.mdColorScheme") == expected
        results = Axe().run(page)
        bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert bad == [], results.generate_report()
    finally:
        ctx.close()


def test_print_shows_empty_boxes_and_no_controls(page, server):
    """The print stylesheet hides the toolbar and draws an empty box per item."""
    checklist = open_checklist(page, server.url)
    box(checklist, 0).check()
    page.emulate_media(media="print")
    assert not checklist.locator(".hb-checklist__toolbar").is_visible()
    assert not box(checklist, 0).is_visible()
    border = checklist.locator(".hb-checklist__item label").first.evaluate(
        "el => getComputedStyle(el, '::before').borderTopStyle")
    assert border == "solid"


def test_without_javascript_the_list_is_plain_and_readable(browser, server):
    """With JS off every item is there as a checkbox with a label, and no toolbar shows."""
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(first_library_link(page, server.url))
        checklist = page.locator(".hb-checklist").first
        assert not checklist.locator(".hb-checklist__toolbar").is_visible()
        labels = checklist.locator(".hb-checklist__item label")
        assert labels.count() == checklist.locator("input[type=checkbox]").count() > 0
        assert all(text.strip() for text in labels.all_inner_texts())
    finally:
        ctx.close()


def test_ticks_follow_item_ids_when_items_are_reordered(browser, project_copy, tmp_path, server):
    """Reverse the items of a checklist in a temp copy and rebuild: ticks stay with their ids."""
    ctx = browser.new_context()
    try:
        page = watch(ctx.new_page())
        checklist = open_checklist(page, server.url)
        cid = checklist.get_attribute("data-checklist")
        first, last = item_id(checklist, 0), item_id(checklist, -1)
        box(checklist, 0).check()
        source = project_copy / f"data/checklists/{cid}.yml"
        reorder_items(source)
        rebuilt = tmp_path / "rebuilt"
        result = build_site(project_copy, rebuilt, server.url)
        assert result.returncode == 0, result.stderr
        original_root, server.root = server.root, rebuilt
        try:
            page.reload()
            checklist.locator(".hb-checklist__toolbar").wait_for(state="visible")
            assert item_id(checklist, 0) != first, "the rebuild did not reorder the items"
            assert item_id(checklist, -1) == first and item_id(checklist, 0) == last
            assert ticked_ids(checklist) == [first]
        finally:
            server.root = original_root
    finally:
        ctx.close()


def reorder_items(path):
    """Reverse the order of groups and of the items in each group of a checklist YAML file."""
    lines = path.read_text("utf-8").splitlines(keepends=True)
    head_end = next(i for i, line in enumerate(lines) if line.startswith("groups:")) + 1
    groups, current = [], None
    for line in lines[head_end:]:
        if line.startswith("  - id:"):
            current = {"head": [line], "items": []}
            groups.append(current)
        elif line.startswith("      - id:"):
            current["items"].append([line])
        elif current["items"]:
            current["items"][-1].append(line)
        else:
            current["head"].append(line)
    body = []
    for group in reversed(groups):
        body += group["head"] + [line for item in reversed(group["items"]) for line in item]
    path.write_text("".join(lines[:head_end] + body), "utf-8")


def test_storage_logic_units(page, server):
    """The storage functions behave on their own: normalize, runs, progress, Markdown, import."""
    open_checklist(page, server.url)
    result = page.evaluate("""() => {
      const H = window.HandbookChecklist;
      const out = {};
      out.dropsUnknown = H.normalize({v: 1, current: "r1", runs: {r1: {name: "默认",
        ticks: {a: true, gone: true, b: "yes"}}}}, ["a", "b"]).store.runs.r1.ticks;
      out.badCurrent = H.normalize({v: 1, current: "zz", runs: {r7: {name: "x", ticks: {}}}},
        []).store.current;
      out.foreign = H.normalize({v: 2, runs: {}}, []).reset;
      out.noRuns = H.normalize({v: 1, runs: {r1: {name: " ", ticks: {}}}}, []).reset;
      const s = H.emptyStore();
      H.addRun(s, "第一期"); H.addRun(s, "第一期");
      out.names = Object.values(s.runs).map(r => r.name);
      out.renameEmpty = H.renameRun(s, "   ");
      let t = H.emptyStore(); t = H.deleteRun(t);
      out.afterLastDelete = Object.values(t.runs).map(r => r.name);
      out.progress = H.progress([{id: "a", required: true}, {id: "b", required: true},
        {id: "c", required: false}], {a: true});
      out.text = H.progressText(out.progress);
      out.md = H.toMarkdown("清单", "默认", [{title: "组", items: [{id: "a", text: "**做**"},
        {id: "b", text: "等"}]}], {a: true});
      const mem = {data: {}, get length() { return Object.keys(this.data).length; },
        key(i) { return Object.keys(this.data)[i]; }, getItem(k) { return this.data[k] ?? null; },
        setItem(k, v) { this.data[k] = String(v); }};
      out.importForeign = H.planImport(mem, {format: "other", checklists: {}});
      const plan = H.planImport(mem, {format: "shequn-handbook-checklists", checklists: {
        good: {v: 1, current: "r1", runs: {r1: {name: "默认", ticks: {x: true}}}},
        "Bad Id": {v: 1, current: "r1", runs: {r1: {name: "默认", ticks: {}}}},
        broken: "nope", gone: null}});
      out.refused = plan.refused;
      out.imported = H.applyImport(mem, plan, false).lists;
      out.roundTrip = {...H.exportAll(mem).checklists.good.runs.r1.ticks};
      return out;
    }""")
    assert result["dropsUnknown"] == {"a": True}
    assert result["badCurrent"] == "r7"
    assert result["foreign"] is True
    assert result["noRuns"] is True
    assert result["names"] == ["默认", "第一期", "第一期（2）"]
    assert result["renameEmpty"] is False
    assert result["afterLastDelete"] == ["默认"]
    assert result["progress"] == {"done": 1, "total": 3, "requiredOpen": 1}
    assert result["text"] == "已完成 1/3，必做还剩 1 项"
    assert result["md"] == "## 清单（默认）\n\n### 组\n\n- [x] **做**\n- [ ] 等\n"
    assert result["importForeign"] is None
    assert result["refused"] == 3
    assert result["imported"] == 1
    assert result["roundTrip"] == {"x": True}


def test_server_switches_roots(tmp_path):
    """The test server really serves from whichever root it is given."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a/x.txt").write_text("A")
    (tmp_path / "b/x.txt").write_text("B")
    from urllib.request import urlopen

    running = SiteServer(tmp_path / "a")
    try:
        assert urlopen(running.url + "x.txt").read() == b"A"
        running.root = tmp_path / "b"
        assert urlopen(running.url + "x.txt").read() == b"B"
    finally:
        running.close()


# ---------- a reader's ticks are never lost without telling them (reliability report C08–C17, B09)

STRUCTURE = "playbooks/structure/"   # a chapter with two checklists
FINAL = re.compile("已导入|未导入")


def open_chapter(page, base_url: str):
    """Open the chapter with two checklists; wait until both are set up; return them."""
    page.goto(base_url + STRUCTURE)
    checklists = page.locator(".hb-checklist")
    assert checklists.count() >= 2
    for n in range(checklists.count()):
        checklists.nth(n).locator(".hb-checklist__toolbar").wait_for(state="visible")
    return checklists


def stored(page, cid: str) -> dict:
    """The stored record of one checklist, parsed."""
    return json.loads(page.evaluate("k => localStorage.getItem(k)", STORE_PREFIX + cid))


def export_file(cid: str, runs: dict, current: str = "r1", **others) -> dict:
    """A handbook export holding one checklist with `runs`, plus any `others` entries as given."""
    return {"format": "shequn-handbook-checklists", "version": 1,
            "checklists": {cid: {"v": 1, "current": current, "runs": runs}, **others}}


def import_json(checklist, tmp_path, data, name="import.json") -> str:
    """Import `data` (a dict, or text) through the checklist's file input; return the message."""
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), "utf-8")
    checklist.locator("[data-role=import-file]").set_input_files(path)
    message = checklist.locator("[data-role=message]", has_text=FINAL)
    message.wait_for()
    return message.inner_text()


def exported(checklist, tmp_path) -> dict:
    """Click 导出全部记录 and return the downloaded file, parsed."""
    with checklist.page.expect_download() as download:
        checklist.locator("[data-action=export]").click()
    path = tmp_path / "exported.json"
    download.value.save_as(path)
    return json.loads(path.read_text("utf-8"))


def run_names(checklist) -> list[str]:
    """The names in the run menu, in order."""
    return checklist.locator("[data-role=run-select] option").all_inner_texts()


@pytest.mark.parametrize("current", ["constructor", "__proto__", "toString", "hasOwnProperty"])
def test_import_naming_an_inherited_property_breaks_no_checklist(page, server, tmp_path, current):
    """C08: `current` (and run and tick keys) named after Object.prototype members are plain data."""
    checklists = open_chapter(page, server.url)
    first, second = checklists.nth(0), checklists.nth(1)
    cid = first.get_attribute("data-checklist")
    runs = {"r1": {"name": "x", "ticks": {"constructor": True, item_id(first, 0): True}},
            "__proto__": {"name": "坏的", "ticks": {}}, "constructor": {"name": "坏的2", "ticks": {}}}
    message = import_json(first, tmp_path, export_file(cid, runs, current))
    assert "已导入 1 张" in message and "跳过 2 项" in message
    page.reload()
    open_chapter(page, server.url)
    assert run_names(first) == ["默认", "x"]
    box(second, 0).check()
    assert ticked_ids(second) == [item_id(second, 0)]
    assert "constructor" not in json.dumps(stored(page, cid))
    assert page.errors == []


@pytest.mark.parametrize("current", ["constructor", "__proto__"])
def test_stored_record_naming_an_inherited_property_is_read_safely(page, server, current):
    """C08 variant: the same keys written straight into storage leave every checklist working."""
    checklists = open_chapter(page, server.url)
    first = checklists.nth(0)
    cid = first.get_attribute("data-checklist")
    record = {"v": 1, "current": current, "runs": {"r1": {"name": "默认", "ticks": {
        "constructor": True, "__proto__": True, item_id(first, 1): True}}}}
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [STORE_PREFIX + cid, json.dumps(record)])
    page.reload()
    checklists = open_chapter(page, server.url)
    assert ticked_ids(first) == [item_id(first, 1)]
    assert first.locator("[data-role=progress]").inner_text().startswith("已完成 1/")
    box(checklists.nth(1), 0).check()
    assert page.errors == []


def test_import_asks_before_replacing_ticked_runs_and_merges(page, server, tmp_path):
    """C10: an older export of the same checklist asks first; 取消 keeps both, 确定 replaces."""
    checklist = open_checklist(page, server.url)
    cid = checklist.get_attribute("data-checklist")
    box(checklist, 0).check()
    box(checklist, 1).check()
    checklist.locator("[data-role=run-name]").fill("2026-12 新人营")
    checklist.locator("[data-action=run-add]").click()
    box(checklist, 2).check()
    older = export_file(cid, {"r1": {"name": "默认", "ticks": {}},
                              "r2": {"name": "旧记录", "ticks": {item_id(checklist, 3): True}}})
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    message = import_json(checklist, tmp_path, older)
    assert asked and "1 条记录" in asked[0]
    assert "新增 1 条" in message and "另存 1 条" in message
    assert run_names(checklist) == ["默认", "2026-12 新人营", "默认（导入）", "旧记录"]
    assert ticked_ids(checklist) == [item_id(checklist, 2)], "the current run did not change"
    checklist.locator("[data-role=run-select]").select_option(label="默认")
    assert ticked_ids(checklist) == [item_id(checklist, 0), item_id(checklist, 1)]

    page.once("dialog", lambda dialog: dialog.accept())
    message = import_json(checklist, tmp_path, older, "again.json")
    assert "替换 1 条" in message
    assert ticked_ids(checklist) == []
    assert page.errors == []


def test_import_that_only_adds_ticks_merges_without_asking(page, server, tmp_path):
    """C10 variant: a file whose run has every local tick and more needs no question."""
    checklist = open_checklist(page, server.url)
    cid = checklist.get_attribute("data-checklist")
    box(checklist, 0).check()
    newer = export_file(cid, {"r1": {"name": "默认", "ticks": {
        item_id(checklist, 0): True, item_id(checklist, 1): True}}})
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    message = import_json(checklist, tmp_path, newer)
    assert asked == []
    assert "更新 1 条" in message
    assert ticked_ids(checklist) == [item_id(checklist, 0), item_id(checklist, 1)]


@pytest.mark.parametrize("entry", [None, "nope", [], 3, {"v": 1, "runs": None}])
def test_null_or_malformed_checklist_entry_is_refused_and_counted(page, server, tmp_path, entry):
    """C11: a null or malformed entry wipes nothing and is reported as skipped, not imported."""
    checklist = open_checklist(page, server.url)
    cid = checklist.get_attribute("data-checklist")
    box(checklist, 0).check()
    data = {"format": "shequn-handbook-checklists", "version": 1, "checklists": {cid: entry}}
    message = import_json(checklist, tmp_path, data)
    assert message.startswith("已导入 0 张") and "跳过 1 项" in message
    assert ticked_ids(checklist) == [item_id(checklist, 0)]
    assert stored(page, cid)["runs"]["r1"]["ticks"] == {item_id(checklist, 0): True}


def test_malformed_runs_and_entries_are_counted_beside_the_good_ones(page, server, tmp_path):
    """C11 variant: good runs come in; null runs, bad run ids and bad entries are each counted."""
    checklist = open_checklist(page, server.url)
    cid = checklist.get_attribute("data-checklist")
    box(checklist, 0).check()
    data = export_file(cid, {"r1": None, "bad id": {"name": "x", "ticks": {}},
                             "r2": {"name": "好的", "ticks": {item_id(checklist, 1): True}},
                             "r3": {"name": "", "ticks": {}}},
                       other_list=None, Bad_Id={"v": 1, "runs": {}})
    message = import_json(checklist, tmp_path, data)
    assert message.startswith("已导入 1 张") and "新增 1 条" in message and "跳过 5 项" in message
    assert run_names(checklist) == ["默认", "好的"]
    assert ticked_ids(checklist) == [item_id(checklist, 0)]


def test_import_above_the_size_limit_is_refused_at_once(page, server, tmp_path):
    """C13: a file over the documented 5 MB limit is refused with the reason; nothing changes."""
    checklist = open_checklist(page, server.url)
    cid = checklist.get_attribute("data-checklist")
    box(checklist, 0).check()
    before, first = stored(page, cid), item_id(checklist, 0)
    runs = {f"r{n}": {"name": f"第 {n} 期", "ticks": {first: True}} for n in range(1, 120_001)}
    text = json.dumps(export_file(cid, runs), ensure_ascii=False)
    assert len(text.encode("utf-8")) > 5 * 1024 * 1024
    message = import_json(checklist, tmp_path, text)
    assert "文件太大" in message and "5 MB" in message and "未导入任何内容" in message
    assert stored(page, cid) == before
    limit = (ROOT / "docs/library/checklists.md").read_text("utf-8")
    assert "5 MB" in limit, "the limit is documented for readers"


def test_large_import_under_the_limit_completes_with_progress(page, server, tmp_path):
    """C13 variant: 40 000 runs with equal names (under 5 MB) import in one pass and say so."""
    checklist = open_checklist(page, server.url)
    cid = checklist.get_attribute("data-checklist")
    first = item_id(checklist, 0)
    runs = {f"r{n}": {"name": "同名", "ticks": {first: True}} for n in range(1, 40_001)}
    text = json.dumps(export_file(cid, runs), ensure_ascii=False)
    assert len(text.encode("utf-8")) < 5 * 1024 * 1024
    path = tmp_path / "big.json"
    path.write_text(text, "utf-8")
    checklist.locator("[data-role=message]").evaluate("""el => { window.said = [];
        new MutationObserver(() => window.said.push(el.textContent))
          .observe(el, {childList: true, characterData: true, subtree: true}); }""")
    checklist.locator("[data-role=import-file]").set_input_files(path)
    checklist.locator("[data-role=message]", has_text=FINAL).wait_for(timeout=120_000)
    said = page.evaluate("window.said")
    assert said[:2] == ["正在读取文件……", "正在导入……"], "the reader sees progress first"
    assert "新增 40000 条" in said[-1]
    names = stored(page, cid)["runs"]
    assert len(names) == 40_001 and {"同名", "同名（2）", "同名（40000）"} <= {
        run["name"] for run in names.values()}


FILL = """() => {
  let chunk = 1 << 20, n = 0;
  while (chunk >= 1) {
    try { localStorage.setItem("fill" + n++, "x".repeat(chunk)); } catch (e) { chunk >>= 1; }
  }
}"""


def test_full_storage_shows_a_notice_and_export_keeps_the_ticks(page, server, tmp_path):
    """C14: with storage full a tick shows the notice; export still has it; space back clears it."""
    checklist = open_checklist(page, server.url)
    cid = checklist.get_attribute("data-checklist")
    alert = checklist.locator("[data-role=alert]")
    assert not alert.is_visible()
    page.evaluate(FILL)
    box(checklist, 0).check()
    alert.wait_for(state="visible")
    assert "没能保存" in alert.inner_text() and "导出全部记录" in alert.inner_text()
    assert alert.get_attribute("role") == "alert"
    assert "hb-button--attention" in checklist.locator("[data-action=export]").get_attribute("class")
    checklist.locator("[data-role=run-name]").fill("第二期")
    checklist.locator("[data-action=run-add]").click()
    box(checklist, 1).check()
    data = exported(checklist, tmp_path)["checklists"][cid]
    assert [run["name"] for run in data["runs"].values()] == ["默认", "第二期"]
    assert data["runs"]["r1"]["ticks"] == {item_id(checklist, 0): True}
    assert data["runs"][data["current"]]["ticks"] == {item_id(checklist, 1): True}

    page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('fill'))"
                  ".forEach(k => localStorage.removeItem(k))")
    box(checklist, 2).check()
    alert.wait_for(state="hidden")
    page.reload()
    checklist.locator(".hb-checklist__toolbar").wait_for(state="visible")
    assert ticked_ids(checklist) == [item_id(checklist, 1), item_id(checklist, 2)]
    assert page.errors == []


def test_storage_that_refuses_every_write_says_so_and_export_works(browser, server, tmp_path):
    """C15: setItem always throws (Safari private mode): the notice shows, export has the ticks."""
    ctx = browser.new_context()
    ctx.add_init_script("Storage.prototype.setItem = function () {"
                        " throw new DOMException('full', 'QuotaExceededError'); };")
    try:
        page = watch(ctx.new_page())
        checklist = open_checklist(page, server.url)
        cid = checklist.get_attribute("data-checklist")
        alert = checklist.locator("[data-role=alert]")
        alert.wait_for(state="visible")
        assert "导出全部记录" in alert.inner_text()
        box(checklist, 0).check()
        assert box(checklist, 0).is_checked()
        ticks = exported(checklist, tmp_path)["checklists"][cid]["runs"]["r1"]["ticks"]
        assert ticks == {item_id(checklist, 0): True}
        assert page.errors == []
    finally:
        ctx.close()


# What using window.localStorage throws when it is off: the getter below, or Chromium's
# --disable-local-storage (localStorage is null). Material's own inline __md_get uses it unguarded,
# so the page reports these; none may come from the handbook's scripts, and no other error is allowed.
STORAGE_DENIED = ("storage denied by the test", "Cannot read properties of null (reading 'getItem')")


def disabled_storage_page(ctx):
    """A watched page of `ctx` on which reading window.localStorage throws."""
    ctx.add_init_script("Object.defineProperty(window, 'localStorage', {get() { throw Object.assign("
                        "new Error('storage denied by the test'), {name: 'SecurityError'}); }});")
    return watch(ctx.new_page())


def check_disabled_storage(page, server, tmp_path):
    """The checklist works in memory, says ticks are not kept, and export still works."""
    stacks = []
    page.on("pageerror", lambda error: stacks.append(error.stack or ""))
    checklist = open_checklist(page, server.url)
    cid = checklist.get_attribute("data-checklist")
    alert = checklist.locator("[data-role=alert]")
    alert.wait_for(state="visible")
    assert "只在本页打开期间有效" in alert.inner_text() and "导出全部记录" in alert.inner_text()
    box(checklist, 0).check()
    checklist.locator("[data-role=run-name]").fill("第二期")
    checklist.locator("[data-action=run-add]").click()
    box(checklist, 1).check()
    assert run_names(checklist) == ["默认", "第二期"]
    data = exported(checklist, tmp_path)["checklists"][cid]
    assert data["runs"]["r1"]["ticks"] == {item_id(checklist, 0): True}
    assert [e for e in page.errors if not any(denied in e for denied in STORAGE_DENIED)] == []
    ours = [s for s in stacks if re.search(r"/assets/javascripts/(?!bundle\.)", s)]
    assert stacks and ours == [], "only Material's scripts may throw"
    page.errors.clear()  # Material's, expected and asserted above; console_stays_clean sees no other


def test_disabled_storage_keeps_the_checklist_working_and_says_so(browser, server, tmp_path):
    """C16: reading localStorage throws: the toolbar still works and a notice says why."""
    ctx = browser.new_context()
    try:
        check_disabled_storage(disabled_storage_page(ctx), server, tmp_path)
    finally:
        ctx.close()


def test_chromium_with_local_storage_switched_off(browser, server, tmp_path):
    """C16 variant: Chromium started with --disable-local-storage, as the report did."""
    off = browser.browser_type.launch(executable_path=find_chromium(),
                                      args=[*CHROMIUM_ARGS, "--disable-local-storage"])
    try:
        check_disabled_storage(watch(off.new_context().new_page()), server, tmp_path)
    finally:
        off.close()


def test_two_tabs_stay_consistent(context, page, server):
    """C17: ticks from two tabs add up, and each tab shows the other's ticks as they happen."""
    a = open_checklist(page, server.url)
    other = watch(context.new_page())
    b = open_checklist(other, server.url)
    box(a, 0).check()
    box(a, 1).check()
    box(b, 2).check()
    expected = [item_id(a, 0), item_id(a, 1), item_id(a, 2)]
    b.locator(".hb-checklist__item:has(input:checked)").nth(2).wait_for()
    assert ticked_ids(b) == expected
    a.locator(".hb-checklist__item:has(input:checked)").nth(2).wait_for()
    assert ticked_ids(a) == expected
    page.reload()
    a.locator(".hb-checklist__toolbar").wait_for(state="visible")
    assert ticked_ids(a) == expected
    assert page.errors == [] and other.errors == []


def test_two_tabs_share_new_runs_and_unticks(context, page, server):
    """C17 variant: a run added in one tab appears in the other; an untick is not undone."""
    a = open_checklist(page, server.url)
    other = watch(context.new_page())
    b = open_checklist(other, server.url)
    box(a, 0).check()
    b.locator(".hb-checklist__item:has(input:checked)").first.wait_for()
    box(b, 0).uncheck()
    box(a, 1).check()
    page.reload()
    a.locator(".hb-checklist__toolbar").wait_for(state="visible")
    assert ticked_ids(a) == [item_id(a, 1)]
    b.locator("[data-role=run-name]").fill("第二期")
    b.locator("[data-action=run-add]").click()
    a.locator("[data-role=run-select] option", has_text="第二期").wait_for(state="attached")
    assert run_names(a) == ["默认", "第二期"]


def test_no_duplicate_dom_ids_on_checklist_pages(page, server):
    """B09 variant: on every built page with checklists, no two elements share an id."""
    for path in ("library/checklists/", STRUCTURE):
        page.goto(server.url + path)
        duplicates = page.evaluate("""() => {
          const seen = {}, twice = [];
          document.querySelectorAll("[id]").forEach(el => {
            if (seen[el.id]) twice.push(el.id); seen[el.id] = true; });
          return twice;
        }""")
        assert duplicates == [], path


def test_item_ids_named_like_controls_or_prototype_members_still_tick(browser, project_copy,
                                                                        tmp_path, server):
    """B09: item ids `run` (a control's id before) and `constructor` tick like any other."""
    source = project_copy / "data/checklists/group_setup.yml"
    text = source.read_text("utf-8")
    assert "      - id: avatar\n" in text and "      - id: announcement\n" in text
    source.write_text(text.replace("      - id: avatar\n", "      - id: run\n")
                      .replace("      - id: announcement\n", "      - id: constructor\n"), "utf-8")
    rebuilt = tmp_path / "rebuilt"
    result = build_site(project_copy, rebuilt, server.url)
    assert result.returncode == 0, result.stderr
    ctx = browser.new_context()
    original_root, server.root = server.root, rebuilt
    try:
        page = watch(ctx.new_page())
        page.goto(server.url + STRUCTURE)
        checklist = page.locator('.hb-checklist[data-checklist="group_setup"]')
        checklist.locator(".hb-checklist__toolbar").wait_for(state="visible")
        assert ticked_ids(checklist) == [], "constructor must not look ticked"
        for item in ("run", "constructor"):
            checklist.locator(f'.hb-checklist__item[data-item="{item}"] label').click()
        assert sorted(ticked_ids(checklist)) == ["constructor", "run"]
        page.reload()
        checklist.locator(".hb-checklist__toolbar").wait_for(state="visible")
        assert sorted(ticked_ids(checklist)) == ["constructor", "run"]
        assert checklist.locator("[data-role=progress]").inner_text().startswith("已完成 2/")
        assert page.errors == []
    finally:
        server.root = original_root
        ctx.close()
