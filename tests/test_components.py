"""Component tests on plain data: each macro's output, golden HTML, and escaping of data values."""

import datetime
import re
import shutil

import pytest

from conftest import PAYLOAD, ROOT, VALID_FIXTURE, poisoned
from macros import MACROS, bind
from macros.loader import load

GOLDEN = ROOT / "tests/golden"
CONTEXT = {"title": "社群定位"}  # what mkdocs-macros passes: the page's front matter
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


def render(project, name: str, *args, **kwargs) -> str:
    """Call a registered macro the way a page would."""
    return bind(MACROS[name], project)(*args, **kwargs)


COMPONENTS = {
    "checklist": ("checklist", ["new_member_onboarding"], {}),
    "checklist_library": ("checklist_library", [], {}),
    "sop": ("sop", ["new_member_welcome"], {}),
    "raci_matrix": ("raci_matrix", [], {}),
    "role_card": ("role_card", ["ops_specialist"], {}),
    "role_page": ("role_page", ["ops_specialist"], {}),
    "template": ("template", ["welcome_message"], {}),
    "metrics": ("metrics", [["activity_rate"]], {}),
    "metric_calculator": ("metric_calculator", [["activity_rate"]], {}),
    "comparison_table": ("comparison_table", ["carriers"], {}),
    "playbook_header": ("playbook_header", [CONTEXT], {"today": TODAY}),
    "playbook_changelog": ("playbook_changelog", [CONTEXT], {}),
    "stale_list": ("stale_list", [], {"today": datetime.date(2027, 3, 1)}),
    "stale_list_empty": ("stale_list", [], {"today": TODAY}),
    "changelog_list": ("changelog_list", [], {}),
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
    assert "[新人欢迎语](/library/templates.md#template-welcome_message)" in html
    assert "[新人入群当天](/library/checklists.md#checklist-new_member_onboarding)" in html
    assert "[活跃率](/library/metrics.md#metric-activity_rate)" in html


def test_metric_entry_spells_out_the_formula(project):
    """The dictionary shows the formula in the inputs' words, the band and the direction."""
    html = render(project, "metrics", ["activity_rate"])
    assert "本周有发言或互动的成员数 ÷ 周末群成员总数 × 100" in html
    assert "20～60 %" in html
    assert "越高越好" in html


def test_playbook_header_flags_an_overdue_review(project):
    """last_reviewed + review_every_days before today gives a 待复审 badge with the days overdue."""
    on_time = render(project, "playbook_header", CONTEXT, today=datetime.date(2027, 2, 21))
    late = render(project, "playbook_header", CONTEXT, today=datetime.date(2027, 3, 1))
    assert "待复审" not in on_time and "下次复审：2027-02-21 前" in on_time
    assert "待复审 · 已超期 8 天" in late


def test_playbook_macros_outside_a_playbook_say_why(project):
    """Calling a playbook macro on a page that is not a playbook is a clear error."""
    with pytest.raises(LookupError, match="not a playbook"):
        render(project, "playbook_header", {"title": "首页"})


def test_unknown_id_lists_the_known_ones(project):
    """A macro called with an unknown id fails with the known ids in the message."""
    with pytest.raises(LookupError, match='unknown SOP "welcome"; known SOPs: new_member_welcome'):
        render(project, "sop", "welcome")


def test_role_page_lists_the_steps_the_role_does_or_owns(project):
    """The role page lists SOP steps where the role is R or A, with its letters."""
    specialist = render(project, "role_page", "ops_specialist")
    lead = render(project, "role_page", "ops_lead")
    admin = render(project, "role_page", "admin")
    assert specialist.startswith("# 运营专员：我的职责")
    assert specialist.count("<td>R</td>") == 2
    assert lead.count("<td>A</td>") == 2
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
        if component not in FRONT_MATTER_ONLY:
            assert "&lt;img src=x onerror=alert" in html, component


FRONT_MATTER_ONLY = {"playbook_header", "playbook_changelog", "changelog_list", "stale_list_empty"}


def test_front_matter_values_are_escaped(tmp_path):
    """A payload in a playbook's title and changelog shows as text in the header and changelogs."""
    root = tmp_path / "project"
    shutil.copytree(VALID_FIXTURE, root)
    shutil.copytree(ROOT / "data/schemas", root / "data/schemas")
    page = root / "playbooks/positioning.md"
    text = page.read_text("utf-8").replace("title: 社群定位", f"title: 社群定位{PAYLOAD}")
    page.write_text(text.replace("summary: 补充例子。", f"summary: 补充例子{PAYLOAD}"), "utf-8")
    project = load(root)
    assert project.problems == []
    context = {"title": f"社群定位{PAYLOAD}"}
    for html in (render(project, "playbook_header", context), render(project, "changelog_list"),
                 render(project, "playbook_changelog", context)):
        assert "<img" not in html
    assert "&lt;img src=x onerror=alert" in render(project, "changelog_list")
    assert "&lt;img src=x onerror=alert" in render(project, "playbook_changelog", context)
