"""Component tests on plain data: each macro's output, golden HTML, and escaping of data values."""

import datetime
import json
import re
import shutil
from types import SimpleNamespace

import pytest

from conftest import PAYLOAD, ROOT, VALID_FIXTURE, poisoned
from macros import MACROS, bind
from macros.kinds import lexicons
from macros.loader import load

GOLDEN = ROOT / "tests/golden"

def mkdocs_page(src_uri: str, title: str = "社群定位") -> dict:
    """What mkdocs-macros passes a macro: the page's front matter and MkDocs's page object."""
    return {"title": title, "page": SimpleNamespace(file=SimpleNamespace(src_uri=src_uri))}


CONTEXT = mkdocs_page("playbooks/positioning.md")
TODAY = datetime.date(2026, 12, 1)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The valid fixture project, loaded once."""
    root = tmp_path_factory.mktemp("components") / "project"
    shutil.copytree(VALID_FIXTURE, root)
    shutil.copytree(ROOT / "data/schemas", root / "data/schemas")
    loaded = load(root)
    assert loaded.problems == []
    return loaded


class Page(dict):
    """One page render's context as Jinja gives it to a macro (here without a page): one object
    per render, equal only to itself, which the template macros remember once it carries the
    risky-phrase list."""

    __hash__ = object.__hash__
    __eq__ = object.__eq__


NEW_PAGE = object()  # in COMPONENTS: a fresh Page for every call


def render(project, name: str, *args, **kwargs) -> str:
    """Call a registered macro the way Jinja would: with the page's context first (the tests of
    playbook and template macros pass theirs; the others get one with no page)."""
    args = tuple(Page() if arg is NEW_PAGE else arg for arg in args)
    if getattr(MACROS[name], "jinja_pass_arg", None) is None:
        args = ({},) + args
    return bind(MACROS[name], project)(*args, **kwargs)


COMPONENTS = {
    "checklist": ("checklist", ["new_member_onboarding"], {}),
    "checklist_library": ("checklist_library", [], {}),
    "sop": ("sop", ["new_member_welcome"], {}),
    "raci_matrix": ("raci_matrix", [], {}),
    "role_card": ("role_card", ["ops_specialist"], {}),
    "role_page": ("role_page", ["ops_specialist"], {}),
    "template": ("template", [NEW_PAGE, "welcome_message"], {}),
    "metrics": ("metrics", [["activity_rate"]], {}),
    "metric_calculator": ("metric_calculator", [["activity_rate"]], {}),
    "comparison_table": ("comparison_table", ["carriers"], {}),
    "playbook_header": ("playbook_header", [CONTEXT], {"today": TODAY}),
    "playbook_changelog": ("playbook_changelog", [CONTEXT], {}),
    "stale_list": ("stale_list", [], {"today": datetime.date(2027, 3, 1)}),
    "stale_list_empty": ("stale_list", [], {"today": TODAY}),
    "changelog_list": ("changelog_list", [], {}),
    "fact": ("fact", ["wechat_group_admin_cap"], {}),
    "fact_rule_of_thumb": ("fact", ["house_at_all_cap"], {}),
    "fact_statement": ("fact", ["wechat_group_admin_cap", "statement"], {}),
    "fact_library": ("fact_library", [], {"today": datetime.date(2027, 3, 1)}),
    "community": ("community", ["writing_camp", "review_sla"], {}),
    "community_text": ("community", ["writing_camp", "refund_rule"], {}),
    "metric_target": ("metric_target", ["activity_rate"], {}),
    "handbook": ("handbook", [], {}),
    "metric_target_band": ("metric_target", ["turnout_rate", "付费活动"], {}),
    "metrics_bands": ("metrics", [["turnout_rate"]], {}),
    "metric_calculator_bands": ("metric_calculator", [["activity_rate", "turnout_rate"]], {}),
}


@pytest.mark.parametrize("component", COMPONENTS)
def test_component_matches_golden_html(project, component, request):
    """Each component renders exactly its stored HTML (run with --update-golden to accept)."""
    name, args, kwargs = COMPONENTS[component]
    html = render(project, name, *args, **kwargs)
    golden = GOLDEN / f"{component}.html"
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(html + "\n", "utf-8")
    assert html + "\n" == golden.read_text("utf-8")


def test_every_registered_macro_has_a_golden_file_and_a_docstring():
    """No macro goes untested, and each documents itself for macros_info()."""
    tested = {name for name, _, _ in COMPONENTS.values()}
    assert tested | {"sop_library", "template_library", "metric_library", "role_library"} == set(MACROS)
    for name, function in MACROS.items():
        doc = (function.__doc__ or "").strip()
        assert doc and "\n" not in doc, f"{name} needs a one-line docstring"


def test_sop_card_shows_raci_timing_and_links(project):
    """An SOP card lists steps in order with R/A/C/I roles, timing and links to its items."""
    html = render(project, "sop", "new_member_welcome")
    assert html.index("在群里发送欢迎语") < html.index("私聊新人")
    assert "时间：入群后 5 分钟内" in html
    assert re.search(r"<abbr[^>]*>A</abbr> 运营负责人", html)
    assert re.search(r"<abbr[^>]*>I</abbr> 管理员", html)
    consulted = html[html.index("私聊新人"):]
    assert re.search(r"<abbr[^>]*>C</abbr> 运营负责人", consulted)
    assert "[新人欢迎语](/library/templates.md#template-welcome_message)" in html
    assert "[新人入群当天](/library/checklists.md#checklist-new_member_onboarding)" in html
    assert "[活跃率](/library/metrics.md#metric-activity_rate)" in html


def test_raci_matrix_cells_hold_every_letter_the_data_gives(project):
    """Each cell of the matrix holds exactly the letters its role has in that step, C included."""
    html = render(project, "raci_matrix")
    names = re.findall(r'<th scope="col">([^<]*)</th>', html)[1:]
    ids = {name: ident for ident, name in project.role_names().items()}
    rows = re.findall(r'<tr><th scope="row">\d+\. ([^<]*)</th>(.*?)</tr>', html)
    cell = re.compile(r'<td class="hb-raci-matrix__cell">([^<]*)</td>')
    shown = {action: dict(zip(names, cell.findall(cells), strict=True)) for action, cells in rows}
    steps = [step for sop in project.items("sops").values() for step in sop["steps"]]
    assert len(shown) == len(steps)
    for step in steps:
        raci = step["raci"]
        for name, letters in shown[step["action"]].items():
            role = ids[name]
            given = {"A": [raci["A"]], **{k: raci.get(k) or [] for k in "RCI"}}
            assert letters == "".join(k for k in "RACI" if role in given[k]), (step["id"], role)
    assert "C" in shown["私聊新人，了解他想从群里得到什么。"].values()


def test_metric_entry_spells_out_the_formula(project):
    """The dictionary shows the formula in the inputs' words, the band and the direction."""
    html = render(project, "metrics", ["activity_rate"])
    assert "本周有发言或互动的成员数 ÷ 周末群成员总数 × 100" in html
    assert "20%～60%" in html
    assert "越高越好" in html


def test_playbook_header_flags_an_overdue_review(project):
    """last_reviewed + review_every_days before today gives a 待复审 badge with the days overdue."""
    on_time = render(project, "playbook_header", CONTEXT, today=datetime.date(2027, 2, 21))
    late = render(project, "playbook_header", CONTEXT, today=datetime.date(2027, 3, 1))
    assert "待复审" not in on_time and "下次复审：2027-02-21 前" in on_time
    assert "待复审 · 已超期 8 天" in late


def test_playbook_macros_outside_a_playbook_say_why(project):
    """Calling a playbook macro on a page that is not a playbook is a clear error."""
    with pytest.raises(LookupError, match=r"^这一页（index.md）不是带头信息的手册章节$"):
        render(project, "playbook_header", mkdocs_page("index.md", title="首页"))


def test_the_current_playbook_is_found_by_its_file_not_its_title(project_copy):
    """The playbook macros read the page's file: a page titled like a chapter is not that chapter,
    a chapter's header is its own whatever the page title, and so are two chapters sharing a
    title (which make check refuses, but the lookup does not depend on)."""
    source = project_copy / "playbooks/positioning.md"
    text = source.read_text("utf-8")
    twin = text.replace("version: ", "version: 9", 1)
    (project_copy / "playbooks/twin.md").write_text(twin, "utf-8")
    project = load(project_copy)
    title = project.get("playbooks", "positioning")["title"]
    assert project.get("playbooks", "twin")["title"] == title
    assert any("重复" in problem.what for problem in project.problems)
    for ident in ("positioning", "twin"):
        header = render(project, "playbook_header", mkdocs_page(f"playbooks/{ident}.md", title="别的标题"))
        assert f">v{project.get('playbooks', ident)['version']}<" in header
    zensical = {"title": title, "page": SimpleNamespace(path="playbooks/twin.md")}
    assert f">v{project.get('playbooks', 'twin')['version']}<" in render(project, "playbook_header",
                                                                      zensical)
    for elsewhere in ("glossary.md", "playbooks/structure/roles.md", None):
        context = {"title": title, "page": None if elsewhere is None else mkdocs_page(elsewhere)["page"]}
        with pytest.raises(LookupError, match="不是带头信息的手册章节"):
            render(project, "playbook_changelog", context)


def test_unknown_id_lists_the_known_ones(project):
    """A macro called with an unknown id fails, in Chinese, with the known ids in the message."""
    with pytest.raises(LookupError, match="^SOP“welcome”不存在：data/sops/ 里没有这个 id；"
                                          "已有的 id：new_member_welcome$"):
        render(project, "sop", "welcome")
    with pytest.raises(LookupError, match="^事实“admin_cap”不存在：data/facts/ 里没有这个 id；"
                                          "已有的 id：house_at_all_cap, wechat_group_admin_cap$"):
        render(project, "fact", "admin_cap")
    with pytest.raises(LookupError, match="^示例社群“camp”不存在：data/communities/ 里没有这个 id；"
                                          "已有的 id：writing_camp$"):
        render(project, "community", "camp", "members")


def test_unknown_community_number_lists_the_known_ones(project):
    """community() with a key the community does not have names the community and its keys."""
    with pytest.raises(LookupError, match="^示例社群“writing_camp”（21 天写作营）没有数字“sla”；"
                                          "已有：members, refund_rule, review_sla$"):
        render(project, "community", "writing_camp", "sla")


def test_fact_second_argument_is_statement_or_nothing(project):
    """fact(id, "statement") shows the statement; any other second argument is a clear error."""
    assert "一个微信群最多设 3 名群管理员" in render(project, "fact", "wechat_group_admin_cap", "statement")
    with pytest.raises(ValueError, match='第二个参数只能是 "statement"'):
        render(project, "fact", "wechat_group_admin_cap", "value2")


def test_fact_shows_value_marker_and_source_card(project):
    """An official fact shows value and unit, a marker and a card with title, publisher and date,
    linked to its anchor on the 速查 page; a rule of thumb shows a visible 经验值 tag and its basis."""
    official = render(project, "fact", "wechat_group_admin_cap")
    assert official.startswith('<span class="hb-fact">3 名[')
    assert "官方来源：如何设置群管理员（微信客服）；2026-11-20 核对" in official
    assert official.endswith("](/library/facts.md#wechat_group_admin_cap){: .hb-fact__ref }</span>")
    assert "\n" not in official
    rule = render(project, "fact", "house_at_all_cap")
    assert '<span class="hb-fact__tag" aria-hidden="true">经验值</span>' in rule
    assert "经验值，依据：三个示例社群的复盘" in rule


def test_fact_library_groups_by_platform_and_flags_overdue(project):
    """The 速查 list has one section per platform (house rules last), an anchor per fact, the source
    link, checked date and owner, and a 待复审 badge only on the overdue fact."""
    html = render(project, "fact_library", today=datetime.date(2027, 3, 1))
    assert html.index("## 微信") < html.index("## 运营经验")
    assert '<div class="hb-card hb-fact-entry" id="wechat_group_admin_cap">' in html
    assert ('<a href="https://kf.qq.com/faq/example.html" rel="noopener noreferrer">'
            "如何设置群管理员</a>") in html
    assert '<time datetime="2026-11-20">2026-11-20</time>' in html
    assert html.count("待复审 · 已超期") == 1 and "待复审 · 已超期 11 天" in html
    on_time = render(project, "fact_library", today=datetime.date(2026, 12, 1))
    assert "待复审" not in on_time


def test_fact_library_without_facts_says_so(tmp_path):
    """With an empty data/facts/ the 速查 list says there is nothing yet instead of rendering blank."""
    root = tmp_path / "project"
    shutil.copytree(VALID_FIXTURE, root)
    shutil.copytree(ROOT / "data/schemas", root / "data/schemas")
    shutil.rmtree(root / "data/facts")
    project = load(root)
    assert project.problems == []
    assert render(project, "fact_library") == (
        '<p class="hb-facts-summary">还没有收录任何事实。在 data/facts/ 下按 data/schemas/fact.schema.json '
        "新建文件即可。</p>")


def test_metric_bands_show_in_the_dictionary_the_calculator_and_prose(project):
    """A metric with bands per type lists every band in the dictionary, offers them as a choice in
    the calculator, and metric_target gives one band by name, or all of them."""
    entry = render(project, "metrics", ["turnout_rate"])
    assert "按活动类型：<ul><li>免费活动：不低于 70%</li><li>付费活动：90%～100%</li></ul>" in entry
    calculator = render(project, "metric_calculator", ["turnout_rate"])
    assert '<option value="付费活动" data-min="90" data-max="100">付费活动：90%～100%</option>' in calculator
    assert render(project, "metric_target", "turnout_rate", "免费活动") == (
        '<span class="hb-number">不低于 70%</span>')
    assert render(project, "metric_target", "turnout_rate") == (
        '<span class="hb-number">免费活动：不低于 70%；付费活动：90%～100%</span>')
    with pytest.raises(LookupError, match="^指标“turnout_rate”（到场率）没有“门店群”这一档；"
                                          "已有：免费活动、付费活动$"):
        render(project, "metric_target", "turnout_rate", "门店群")


def test_community_and_metric_target_render_data_not_copies(project):
    """community() renders a number with its unit, metric_target() the metric's band."""
    assert render(project, "community", "writing_camp", "review_sla") == (
        '<span class="hb-number" title="21 天写作营：作业点评时限">24 小时</span>')
    assert render(project, "metric_target", "activity_rate") == '<span class="hb-number">20%～60%</span>'
    with pytest.raises(LookupError, match="只有一个目标区间，没有分档"):
        render(project, "metric_target", "activity_rate", "门店群")


def test_role_page_lists_the_steps_the_role_does_or_owns(project):
    """The role page lists SOP steps where the role is R or A, with its letters."""
    specialist = render(project, "role_page", "ops_specialist")
    lead = render(project, "role_page", "ops_lead")
    admin = render(project, "role_page", "admin")
    assert specialist.startswith("# 运营专员：我的职责")
    assert specialist.count("<td>R</td>") == 1 and specialist.count("<td>RA</td>") == 1
    assert lead.count("<td>A</td>") == 1
    assert "不直接执行或拍板任何 SOP 步骤" in admin


def test_data_values_are_escaped_in_every_component(tmp_path):
    """A payload in every text field of the data shows as text in every component's HTML."""
    root = tmp_path / "project"
    shutil.copytree(VALID_FIXTURE, root)
    shutil.copytree(ROOT / "data/schemas", root / "data/schemas")
    poisoned(root)
    project = load(root)
    assert project.problems == []
    for component, (name, args, kwargs) in COMPONENTS.items():
        html = render(project, name, *args, **kwargs)
        assert "<img" not in html, component
        if component not in FRONT_MATTER_ONLY and name != "handbook":  # its name must be plain text
            assert "&lt;img src=x onerror=alert" in html, component


def test_hostile_platform_name_is_escaped_on_the_facts_page(tmp_path):
    """A payload in a fact's platform (a heading and a kicker on the 速查 page) shows as text."""
    root = tmp_path / "project"
    shutil.copytree(VALID_FIXTURE, root)
    shutil.copytree(ROOT / "data/schemas", root / "data/schemas")
    fact = root / "data/facts/wechat_group_admin_cap.yml"
    fact.write_text(fact.read_text("utf-8").replace("platform: 微信", f'platform: "微信{PAYLOAD}"'), "utf-8")
    project = load(root)
    assert project.problems == []
    html = render(project, "fact_library")
    assert "<img" not in html
    assert "## 微信&lt;img src=x onerror=alert\\(1\\)&gt;" in html


FRONT_MATTER_ONLY = {"playbook_header", "playbook_changelog", "changelog_list", "stale_list_empty"}


def test_front_matter_values_are_escaped(tmp_path):
    """Front matter with markup is refused by the loader (test_hardening); should a payload get
    into a playbook's title or changelog anyway, the header and changelogs still show it as text."""
    root = tmp_path / "project"
    shutil.copytree(VALID_FIXTURE, root)
    shutil.copytree(ROOT / "data/schemas", root / "data/schemas")
    project = load(root)
    assert project.problems == []
    meta = project.records["playbooks"]["positioning"].data
    meta["title"] += PAYLOAD
    meta["changelog"][0]["summary"] += PAYLOAD
    context = CONTEXT
    for html in (render(project, "playbook_header", context), render(project, "changelog_list"),
                 render(project, "playbook_changelog", context)):
        assert "<img" not in html
    assert "&lt;img src=x onerror=alert" in render(project, "changelog_list")
    assert "&lt;img src=x onerror=alert" in render(project, "playbook_changelog", context)


LEXICON_BLOCK = re.compile(r"<div hidden data-hb-lexicon='([^']*)'></div>")


def test_risky_phrases_come_once_per_page_render(project):
    """The first template card a page renders carries the risky-phrase list, later cards on the
    same page do not (they read the first one's), and a card on another page carries its own."""
    page, other = Page(), Page()
    first, second = (render(project, "template", page, "welcome_message") for _ in range(2))
    assert len(LEXICON_BLOCK.findall(first)) == 1 and LEXICON_BLOCK.findall(second) == []
    assert len(LEXICON_BLOCK.findall(render(project, "template", other, "welcome_message"))) == 1
    library = render(project, "template_library", Page())
    assert len(LEXICON_BLOCK.findall(library)) == 1
    assert library.count('class="hb-card hb-template"') == len(project.items("templates"))
    phrases = [entry["phrase"] for entry in json.loads(LEXICON_BLOCK.search(first).group(1))]
    assert phrases == [entry["phrase"] for entry in lexicons.entries(project)]


def test_risky_phrase_list_cannot_leave_its_attribute(tmp_path):
    """Data that looks like markup (</script>, <!--, quotes, &) stays JSON text inside the
    single-quoted attribute (no < ' or & to end it or start an entity), and reads back exactly."""
    root = tmp_path / "project"
    shutil.copytree(VALID_FIXTURE, root)
    shutil.copytree(ROOT / "data/schemas", root / "data/schemas")
    lexicon = root / "data/lexicons/platform_risk.yml"
    hostile = "别写 </script><script>alert(1)</script> 或 <!-- 和 'a' & \"b\""
    quoted = "'" + hostile.replace("'", "''") + "'"  # a YAML single-quoted scalar
    lexicon.write_text(lexicon.read_text("utf-8").replace("只介绍内容本身。", quoted), "utf-8")
    project = load(root)
    assert project.problems == []
    html = render(project, "template", Page(), "welcome_message")
    block = LEXICON_BLOCK.search(html).group(1)
    assert not set("<>'&") & set(block)
    assert json.loads(block)[0]["instead"] == hostile


def test_links_are_written_relative_to_the_page_being_rendered(project):
    """A macro's links are relative to the page it renders, whichever builder's page object the
    context holds (MkDocs: page.file.src_uri, Zensical: page.path); outside a page, docs-absolute."""
    card = bind(MACROS["role_card"], project)
    mkdocs_page = SimpleNamespace(file=SimpleNamespace(src_uri="index.md"))
    zensical_page = SimpleNamespace(path="playbooks/structure.md")
    assert "](roles/admin.md)" in card({"page": mkdocs_page}, "admin")
    assert "](../roles/admin.md)" in card({"page": zensical_page}, "admin")
    assert "](/roles/admin.md)" in card({}, "admin")
    role_page = bind(MACROS["role_page"], project)
    assert "](../library/roles.md#raci-矩阵)" in role_page({"page": zensical_page}, "admin")
