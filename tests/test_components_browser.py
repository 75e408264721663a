"""SOPs, roles, templates and metrics in a real browser: the filler, the calculator (evaluating
the formula trees Python parsed), role pages and accessibility (hostile data:
test_hardening_browser.py)."""

import json
import random

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import ROOT, watch
from macros import formula
from macros.kinds import metrics, templates
from macros.loader import load
from macros.quantities import unit_suffix
from macros.render import partial

PROJECT = load(ROOT)


@pytest.fixture(autouse=True)
def built(site):
    """Every test here runs against the real site, built once and served by `server`."""
    return site


def test_template_filler_previews_copies_and_downloads(context, page, server, tmp_path):
    """Typing fills the preview; copy and download give the same plain text."""
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url.rstrip("/"))
    page.goto(server.url + "library/templates/#template-welcome_message")
    card = page.locator("#template-welcome_message")
    card.locator("[data-role=tools]").wait_for(state="visible")
    card.locator("input[data-var=新人昵称]").fill("小林")
    card.locator("input[data-var=社群名称]").fill("周末徒步搭子")
    preview = card.locator("[data-role=preview]").inner_text()
    assert "欢迎 @小林 加入「周末徒步搭子」" in preview
    assert "{{ 新人昵称 }}" not in preview and "{{ 群价值 }}" in preview
    card.locator("input[data-var=群价值]").fill("每个周末一起爬山")
    preview = card.locator("[data-role=preview]").inner_text()
    card.locator("[data-action=copy]").click()
    card.locator("[data-role=status]", has_text="已复制").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == preview
    with page.expect_download() as download:
        card.locator("[data-action=download]").click()
    saved = tmp_path / "message.txt"
    download.value.save_as(saved)
    assert download.value.suggested_filename == "新人欢迎语.txt"
    assert saved.read_text("utf-8") == preview
    assert page.errors == []


def test_template_filler_warns_on_length_and_risky_phrases(page, server):
    """Over max_length the count turns red with a warning; a risky phrase gets a rewrite hint."""
    template = PROJECT.get("templates", "welcome_message")
    page.goto(server.url + "library/templates/#template-welcome_message")
    card = page.locator("#template-welcome_message")
    card.locator("[data-role=tools]").wait_for(state="visible")
    count = card.locator("[data-role=count]")
    assert count.inner_text().endswith(f" / {template['max_length']} 字")
    assert "hb-template__count--over" not in (count.get_attribute("class") or "")
    card.locator("input[data-var=群价值]").fill("每周一起徒步" * 60)
    assert "hb-template__count--over" in count.get_attribute("class")
    warnings = card.locator("[data-role=warnings] li")
    assert "超出建议长度" in warnings.first.inner_text()
    card.locator("input[data-var=群价值]").fill("转发到 3 个群就送路线图，仅限今天")
    texts = warnings.all_inner_texts()
    assert any("「转发到」可能被平台视为诱导分享" in text for text in texts)
    assert any("「仅限今天」可能被平台视为营销骚扰" in text for text in texts)


def test_a_single_filler_reached_by_instant_navigation_warns_on_risky_phrases(page, server):
    """A page with one template card (onboarding), reached through Material's instant navigation,
    reads the risky phrases its card carries."""
    page.goto(server.url)
    page.wait_for_load_state("networkidle")  # instant navigation takes over once it has the sitemap
    page.evaluate("window.__sameDocument = true")
    page.locator('.md-nav a[href$="onboarding/"]').first.click()
    card = page.locator("#template-welcome_message")
    card.locator("[data-role=tools]").wait_for(state="visible")  # swapped in and enhanced
    assert page.url == server.url + "onboarding/"
    assert page.evaluate("window.__sameDocument") is True, "navigation was not instant"
    assert page.locator(".hb-template").count() == 1
    card.locator("input[data-var=群价值]").fill("仅限今天")
    assert "「仅限今天」可能被平台视为营销骚扰" in card.locator("[data-role=warnings]").inner_text()


# Strings whose length code points, UTF-16 units and graphemes disagree on, or that trimming and
# HTML parsing could change: emoji (one and two code points, ZWJ, flag), CJK beyond the BMP,
# combining marks, line breaks (LF, CRLF), tabs and full-width spaces at the ends.
LENGTH_CASES = ["欢迎 👋 加入", "😀😀", "👨‍👩‍👧 一家", "🇨🇳", "e\u0301", "𠮷野家", "第一行\n第二行\n\n第四行",
                "a\r\nb", "  前后有空格  \n", "\u3000全角空格\u3000", "tab\tx"]
FILL_ALL = """cards => cards.map(([id, values]) => {
    const card = document.getElementById(`template-${id}`);
    for (const [name, value] of Object.entries(values)) {
        const input = card.querySelector(`[data-var="${name}"]`);
        input.value = value;
        input.dispatchEvent(new Event("input"));
    }
    return card.querySelector("[data-role=count]").textContent;
})"""


def test_filler_counts_length_as_the_check_does(page, server):
    """The filler's count (template.js) and the length `make check` holds against max_length
    (templates.length of the body filled in) agree on emoji, CJK, line breaks and trimming."""
    variable = {"name": "名字", "label": "名字", "default": "", "example": "x"}
    made = [{"id": f"t{n}", "title": "t", "channel": "微信群", "purpose": "p", "variables": [variable],
             "body": f"{text}{{{{ 名字 }}}}{text}", "max_length": 1000}
            for n, text in enumerate(LENGTH_CASES)]
    html = "".join(partial("template.html", template=t, body=templates.body_text(t), defaults={}, edit=None,
                           lexicon=[] if n == 0 else None) for n, t in enumerate(made))
    scripts = "".join(f'<script src="{server.url}assets/javascripts/{name}.js"></script>'
                      for name in ("handbook", "template"))
    page.set_content(f'<!doctype html><meta charset="utf-8"><body>{html}{scripts}</body>')
    page.locator("[data-role=tools]").first.wait_for(state="visible")
    value = "😀小明\u3000"
    shown = page.evaluate(FILL_ALL, [[t["id"], {"名字": value}] for t in made])
    expected = [templates.length(templates.fill(templates.body_text(t), {"名字": value.strip()}))
                for t in made]
    assert [int(text.split(" / ")[0]) for text in shown] == expected
    assert expected[3] == 2 + 3 + 2 and expected[6] == 2 * 12 + 3  # 🇨🇳 is two code points


def test_every_template_filled_with_its_examples_counts_what_the_check_counted(page, server):
    """Filled with its examples in the library, each template shows the length `make check`
    compared with max_length (the block scalar's last line break is not counted by either)."""
    page.goto(server.url + "library/templates/")
    page.locator("[data-role=tools]").first.wait_for(state="visible")
    every = sorted(PROJECT.items("templates").items())
    shown = page.evaluate(FILL_ALL, [[ident, {v["name"]: v["example"] for v in data["variables"]}]
                                     for ident, data in every])
    expected = [templates.length(templates.fill(templates.body_text(data),
                                                {v["name"]: v["example"] for v in data["variables"]}))
                for _, data in every]
    assert [int(text.split(" ")[0]) for text in shown] == expected


def test_without_javascript_templates_show_their_placeholders(browser, server):
    """With JS off the template body shows with its {{ placeholders }} and no form."""
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(server.url + "library/templates/")
        card = page.locator("#template-welcome_message")
        assert "{{ 新人昵称 }}" in card.locator("pre").inner_text()
        assert not card.locator("form").is_visible()
    finally:
        ctx.close()


def activity_rate_at_30_percent(page, base_url: str):
    """The metrics library's activity-rate calculator (served at `base_url`), once ready, with 45
    of 150 members active."""
    page.goto(base_url + "library/metrics/")
    calc = page.locator("[data-calculator]").first
    calc.locator("[data-role=hint]", has_text="立即算出").wait_for()
    rate = calc.locator("fieldset[data-metric=activity_rate]")
    rate.locator("input[data-input=active_members]").fill("45")
    rate.locator("input[data-input=members]").fill("150")
    return rate


def test_calculator_gives_known_results_against_the_band(page, server):
    """Known inputs give the value Python computes, with the verdict against the target band."""
    rate = activity_rate_at_30_percent(page, server.url)
    assert rate.locator("[data-role=result]").inner_text() == "30%，在目标区间内"
    rate.locator("input[data-input=active_members]").fill("15")
    assert rate.locator("[data-role=result]").inner_text() == "10%，低于目标区间"
    assert "hb-calc--bad" in rate.get_attribute("class")
    rate.locator("input[data-input=members]").fill("0")
    assert rate.locator("[data-role=result]").inner_text() == "无法计算：除数为 0"
    rate.locator("input[data-input=members]").fill("")
    assert rate.locator("[data-role=result]").inner_text() == "—"
    # C18: a negative count and a result too large to show are said, not shown as -5% or ∞%
    rate.locator("input[data-input=members]").fill("150")
    rate.locator("input[data-input=active_members]").fill("-5")
    assert rate.locator("[data-role=result]").inner_text() == "无法计算：输入的数不能是负数"
    assert "hb-calc--good" not in rate.get_attribute("class")
    rate.locator("input[data-input=active_members]").fill("1e308")
    rate.locator("input[data-input=members]").fill("1e-308")
    assert rate.locator("[data-role=result]").inner_text() == "无法计算：数字太大，超出了能算的范围"
    assert page.errors == []


# (metric, inputs typed, band chosen or None, result shown); numbers from the chapters' examples.
NEW_METRICS = [
    ("completion_rate", {"completed_students": 213, "enrolled_students": 452}, None, "47.12%，低于目标区间"),
    ("checkin_rate", {"checkins": 2646, "students": 450, "camp_days": 7}, None, "84%，在目标区间内"),
    ("coupon_redemption_rate", {"redeemed_coupons": 810, "claimed_coupons": 2380}, None,
     "34.03%，在目标区间内"),
    ("repurchase_rate_30d", {"repurchasers": 35, "cohort_members": 100}, None, "35%，在目标区间内"),
    ("first_event_rate", {"first_time_attendees": 20, "cohort_members": 100}, None, "20%，低于目标区间"),
    ("turnout_rate", {"attendees": 22, "registrants": 27}, "免费活动", "81.48%，在目标区间内"),
    ("turnout_rate", {"attendees": 22, "registrants": 27}, "付费活动", "81.48%，低于目标区间"),
    ("reactivation_rate", {"reactivated_members": 12, "messaged_members": 100}, None, "12%，在目标区间内"),
    ("refund_rate", {"refunded_orders": 46, "paid_orders": 450}, None, "10.22%，高于目标区间"),
    ("reply_within_target_rate", {"replied_in_time": 85, "questions": 100}, None, "85%，低于目标区间"),
    ("new_members", {"unique_joiners": 40, "staff_joins": 3, "returning_members": 5},
     "本地兴趣群（约 400 人）", "32 人，在目标区间内"),
    ("k_factor", {"converted_invitees": 9, "seed_users": 12}, None, "0.75 人/人，在目标区间内"),
]


def test_calculator_computes_every_new_metric(page, server):
    """Typing each new metric's inputs (and choosing its band) in the dictionary's calculator shows
    the value and the verdict; a band choice changes the verdict."""
    page.goto(server.url + "library/metrics/")
    calc = page.locator("[data-calculator]").first
    calc.locator("[data-role=hint]", has_text="立即算出").wait_for()
    for metric_id, inputs, band, shown in NEW_METRICS:
        fieldset = calc.locator(f"fieldset[data-metric={metric_id}]")
        if band:
            fieldset.locator("select[data-role=band]").select_option(band)
        for name, value in inputs.items():
            fieldset.locator(f"input[data-input={name}]").fill(str(value))
        assert fieldset.locator("[data-role=result]").inner_text() == shown, (metric_id, band)
    assert page.errors == []


def test_calculator_offers_every_metric_of_the_dictionary(page, server):
    """The dictionary's calculator has a fieldset for every metric in data/, with one input per input."""
    page.goto(server.url + "library/metrics/")
    calc = page.locator("[data-calculator]").first
    for ident, metric in PROJECT.items("metrics").items():
        fieldset = calc.locator(f"fieldset[data-metric={ident}]")
        assert fieldset.locator("input[data-input]").count() == len(metric["inputs"]), ident
        bands = fieldset.locator("select[data-role=band] option")
        assert bands.count() == len(metric.get("bands", [])), ident


def reference_value(tree, values: dict):
    """Plain arithmetic on a parsed formula, the expectation for calculator.js; None when it
    divides by zero."""
    kind, *parts = tree
    if kind == "num":
        return parts[0]
    if kind == "name":
        return values[parts[0]]
    args = [reference_value(part, values) for part in parts]
    if None in args:
        return None
    if kind == "neg":
        return -args[0]
    a, b = args
    if kind == "/":
        return None if b == 0 else a / b
    return {"+": a + b, "-": a - b, "*": a * b}[kind]


TYPE_ALL = """inputs => Object.entries(inputs).map(([metric, values]) => {
    const fieldset = document.querySelector(`fieldset[data-metric="${metric}"]`);
    for (const [name, value] of Object.entries(values)) {
        const input = fieldset.querySelector(`input[data-input="${name}"]`);
        input.value = String(value);
        input.dispatchEvent(new Event("input"));
    }
    return [metric, fieldset.querySelector("[data-role=result]").textContent];
})"""


def test_calculator_evaluates_the_tree_python_parsed(page, server):
    """The browser parses no formula: each fieldset carries formula.parse's tree as JSON, and for
    every real metric and random inputs calculator.js shows that tree's value."""
    page.goto(server.url + "library/metrics/")
    page.locator("[data-calculator] [data-role=hint]", has_text="立即算出").first.wait_for()
    rng = random.Random(7)
    for ident, metric in PROJECT.items("metrics").items():
        shipped = page.locator(f"fieldset[data-metric={ident}]").first.get_attribute("data-formula-tree")
        assert json.loads(shipped) == json.loads(json.dumps(formula.parse(metric["formula"]))), ident
    for _ in range(4):
        typed = {ident: {i["id"]: rng.choice([0, 1, 3, 12.5, 150, 4000]) for i in metric["inputs"]}
                 for ident, metric in PROJECT.items("metrics").items()}
        for ident, shown in page.evaluate(TYPE_ALL, typed):
            metric = PROJECT.get("metrics", ident)
            expected = reference_value(formula.parse(metric["formula"]), typed[ident])
            if expected is None:
                assert shown == "无法计算：除数为 0", (ident, typed[ident])
                continue
            number = shown.split("，")[0].removesuffix(unit_suffix(metric["unit"])).replace(",", "")
            assert float(number) == pytest.approx(expected, abs=0.0051), (ident, typed[ident])  # 2 places


@pytest.mark.parametrize("text, values, shown", [
    ("a + b * c", {"a": 1, "b": 2, "c": 3}, "7%"),
    ("(a + b) * c", {"a": 1, "b": 2, "c": 3}, "9%"),
    ("-a / b * 100", {"a": 1, "b": 4}, "-25%"),
    ("a - b - c", {"a": 10, "b": 3, "c": 2}, "5%"),
    ("+1.5 * .5 * a", {"a": 2}, "1.5%"),
    ("a * 1000", {"a": 12.345}, "12,345%"),
    ("a / (b - b)", {"a": 1, "b": 4}, "无法计算：除数为 0"),
])
def test_calculator_js_evaluates_any_parsed_tree(page, server, text, values, shown):
    """calculator.js on a calculator rendered from formulas the real metrics do not use: the
    usual precedence, left to right within a level, signs, and division by zero refused."""
    inputs = [{"id": name, "label": name} for name in values]
    metric = {"id": "m", "name": "测试指标", "unit": "%", "inputs": inputs, "formula": text,
              "higher_is_better": True, "target": {"max": 1000000}}
    html = partial("calculator.html", key="t", metrics=[
        {"metric": metric, "tree": formula.parse(text), "targets": metrics.targets(metric)}])
    scripts = "".join(f'<script src="{server.url}assets/javascripts/{name}.js"></script>'
                      for name in ("handbook", "calculator"))
    page.set_content(f'<!doctype html><meta charset="utf-8"><body>{html}{scripts}</body>')
    page.locator("[data-role=hint]", has_text="立即算出").wait_for()
    assert page.evaluate(TYPE_ALL, {"m": values}) == [["m", shown if "无法" in shown
                                                          else shown + "，在目标区间内"]]


@pytest.mark.parametrize("role_id", sorted(PROJECT.items("roles")))
def test_role_page_lists_the_right_sop_steps(page, server, role_id):
    """Each role page lists exactly the SOP steps where the data makes the role R (in the step's
    R list) or A (the step's one A), with its SOP and those letters."""
    page.goto(server.url + f"roles/{role_id}/")
    listed = page.evaluate("""() => [...document.querySelectorAll(".hb-role-page table tbody tr")]
        .map(row => [row.querySelector("th").innerText, ...[...row.querySelectorAll("td")]
        .slice(0, 2).map(cell => cell.innerText)])""")
    expected = []
    for sop in PROJECT.items("sops").values():
        for n, step in enumerate(sop["steps"], 1):
            letters = ("R" if role_id in step["raci"]["R"] else "") + \
                ("A" if step["raci"]["A"] == role_id else "")
            if letters:
                expected.append([sop["title"], f"{n}. {step['action']}", letters])
    assert sorted(listed) == sorted(expected)
    name = PROJECT.get("roles", role_id)["name"]
    assert page.locator("h1").inner_text().startswith(f"{name}：我的职责")


@pytest.mark.parametrize("path", ["library/sops/", "roles/ops_specialist/", "library/templates/",
                                  "playbooks/structure/"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_component_pages_have_no_serious_accessibility_violations(browser, server, path, scheme):
    """axe-core finds no serious or critical violation on SOP, role, template and chapter pages."""
    assert_accessible(browser, scheme, [server.url + path])


def assert_accessible(browser, scheme: str, urls: list[str]) -> None:
    """axe-core finds no serious or critical violation on each page, in the given colour scheme."""
    ctx = browser.new_context(color_scheme=scheme)
    try:
        page = watch(ctx.new_page())
        for url in urls:
            page.goto(url)
            page.locator(".md-content").wait_for()
            results = Axe().run(page)
            bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
            assert bad == [], results.generate_report()
        assert page.errors == []
    finally:
        ctx.close()


def fact_card_box(marker):
    """The bounding box of the source card inside a fact's marker."""
    return marker.locator(".hb-fact__card").bounding_box()


def test_fact_source_card_opens_on_hover_and_focus_and_a_tap_opens_the_entry(browser, facts_site):
    """A fact's card (source and date) is hidden until hover or keyboard focus; following the marker
    (a click, or a tap on a phone) lands on the fact's entry on the 速查 page."""
    _, url = facts_site
    phone = {"has_touch": True, "is_mobile": True, "viewport": {"width": 390, "height": 844}}
    for touch, options in ((False, {}), (True, phone)):
        ctx = browser.new_context(**options)
        try:
            page = watch(ctx.new_page())
            page.goto(url + "glossary/")
            marker = page.locator('.hb-fact__ref[href$="#wechat_group_admin_cap"]').first
            assert fact_card_box(marker)["width"] <= 1
            if touch:
                marker.tap()
            else:
                marker.hover()
                assert fact_card_box(marker)["width"] > 50
                page.mouse.move(0, 0)
                assert fact_card_box(marker)["width"] <= 1
                marker.focus()
                assert fact_card_box(marker)["width"] > 50
                marker.click()
            page.wait_for_url("**/library/facts/#wechat_group_admin_cap")
            entry = page.locator("#wechat_group_admin_cap")
            entry.wait_for()
            assert "如何设置群管理员" in entry.inner_text() and "2026-11-20" in entry.inner_text()
            assert entry.is_visible()
            assert page.errors == []
        finally:
            ctx.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_facts_pages_have_no_serious_accessibility_violations(browser, facts_site, scheme):
    """axe-core finds no serious or critical violation on the 速查 page and on a page using facts."""
    _, url = facts_site
    assert_accessible(browser, scheme, [url + "library/facts/", url + "glossary/"])


NARROW = ("td, th, dd, dt, caption, .hb-card p, .hb-card li, .hb-checklist li, .hb-checklist label, "
          ".hb-checklist p, .hb-calc__metric *, .hb-template__form *, .md-typeset table li, "
          ".hb-fact-entry, .hb-fact-entry *, .hb-changelog li")


@pytest.mark.parametrize("path", ["library/checklists/", "library/sops/", "library/templates/",
                                  "library/metrics/", "library/roles/", "roles/ops_specialist/",
                                  "playbooks/structure/", "changelog/",
                                  "library/facts/"])
@pytest.mark.parametrize("width", [1280, 390])
def test_table_cells_cards_and_lists_are_not_justified(browser, server, path, width):
    """Cells, cards and checklist lines are start-aligned: a justified short line spreads its
    characters apart ("运 营 负 责 人"). Prose paragraphs of a chapter stay justified."""
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = watch(ctx.new_page())
        page.goto(server.url + path)
        page.locator(".md-content").wait_for()
        styles = page.evaluate("""selector => [...document.querySelectorAll(
            ".md-content " + selector.split(", ").join(", .md-content "))].map(el => [
            el.tagName + "." + el.className + ": " + el.textContent.trim().slice(0, 20),
            getComputedStyle(el).textAlign, getComputedStyle(el).wordSpacing])""", NARROW)
        assert len(styles) > 5, f"{path}: the selector found nothing to measure"
        justified = [name for name, align, _ in styles if align == "justify"]
        assert justified == [], f"{path} at {width} px: justified {justified[:5]}"
        assert {spacing for _, _, spacing in styles} <= {"0px", "normal"}
        if path.startswith("playbooks/"):
            prose = page.locator(".md-content .md-typeset > p").first
            assert prose.evaluate("el => getComputedStyle(el).textAlign") == "justify"
        assert page.errors == []
    finally:
        ctx.close()
