"""Content tests: chapter shape and length, data counts, typography, and every item on the site."""

import re
import subprocess
import sys
from urllib.parse import unquote

import pytest

from conftest import ROOT
from macros import pages
from macros.loader import load
from macros.typography import copy_issues

# The chapters the project started from (seed outline); a new chapter joins every check below
# by being loaded, with no change here.
SEED_CHAPTERS = ["positioning", "structure", "acquisition", "activation-retention", "data-review",
                 "monetization", "risk-compliance"]
SECTIONS = ["要点", "适用场景", "涉及角色", "步骤", "检查清单", "模板", "指标", "常见误区", "延伸阅读"]
OUTLINE = {
    "positioning": ["核心价值", "目标用户画像", "调性与规则", "运营目标"],
    "structure": ["载体选择", "层级与结构", "核心团队与权责", "入群门槛与流程"],
    "acquisition": ["多渠道引流矩阵", "内容引流", "活动引流", "用户裂变", "入群欢迎与引导"],
}
EXAMPLES = ["21 天写作营", "山野咖啡", "周末徒步搭子"]
PROJECT = load(ROOT)
CHAPTERS = sorted(PROJECT.records["playbooks"])


def body(chapter: str) -> str:
    """A chapter's Markdown without its front matter."""
    return pages.body((ROOT / f"playbooks/{chapter}.md").read_text("utf-8"))


MACRO_CALL = re.compile(r"\[\[.*?\]\]|\[%.*?%\]")


def own_prose(text: str) -> int:
    """Characters of Markdown written by hand: macro calls (cards, facts, numbers) and
    whitespace do not count, the prose around an inline macro does."""
    return len(re.sub(r"\s", "", MACRO_CALL.sub("", text)))


def prose_length(chapter: str) -> int:
    """Characters of the chapter's own prose: no front matter, no macro calls, no whitespace."""
    return own_prose(body(chapter))


def sub_pages(chapter: str) -> list:
    """A chapter's continuation pages: playbooks/<chapter>/*.md, split off when it outgrew its cap."""
    return sorted((ROOT / "playbooks" / chapter).glob("*.md"))


def test_the_seed_chapters_exist_with_valid_front_matter():
    """The seven chapters of the seed outline are loaded, with no data problems anywhere."""
    assert PROJECT.problems == []
    assert set(SEED_CHAPTERS) <= set(CHAPTERS)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_has_the_shared_shape(chapter):
    """Every chapter has the nine sections, in order, as level-2 headings."""
    headings = re.findall(r"^## (.+)$", body(chapter), re.MULTILINE)
    assert headings == SECTIONS


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_prose_length_examples_and_decision_tables(chapter):
    """3,000–8,000 characters of own prose, all three example communities, a decision table and
    numbers marked as rules of thumb."""
    assert 3000 <= prose_length(chapter) <= 8000
    text = body(chapter)
    assert all(example in text for example in EXAMPLES)
    assert re.search(r"^\|.*\|\n\|\s*-{3,}", text, re.MULTILINE), "no Markdown table"
    assert "经验值" in text


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_sub_pages_stay_under_the_cap_and_are_linked_from_their_chapter(chapter):
    """A chapter that outgrew 8,000 characters continues on sub-pages, each under the same cap,
    each linked from the chapter and listed in the nav."""
    nav = (ROOT / "mkdocs.yml").read_text("utf-8")
    for page in sub_pages(chapter):
        assert own_prose(page.read_text("utf-8")) <= 8000, page
        assert f"({chapter}/{page.name})" in body(chapter), f"{chapter} does not link {page.name}"
        assert f"playbooks/{chapter}/{page.name}" in nav, f"{page.name} is not in the nav"


def test_data_review_continues_on_a_sub_page():
    """The data-review chapter, past its cap with the worked examples, keeps them on a sub-page."""
    assert [page.name for page in sub_pages("data-review")] == ["examples.md"]


@pytest.mark.parametrize("chapter, topics", OUTLINE.items())
def test_outline_topics_have_their_own_headings(chapter, topics):
    """Each outline topic 1.1–3.5 is a heading that names it."""
    headings = re.findall(r"^###+ (.+)$", body(chapter), re.MULTILINE)
    assert all(any(topic in heading for heading in headings) for topic in topics)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapters_embed_data_through_macros(chapter):
    """Checklists, templates and metrics reach a chapter through macros, never as copies."""
    text = body(chapter)
    for macro in ("checklist(", "template(", "metrics(["):
        assert f"[[ {macro}" in text, f"{chapter} embeds no {macro}"
    for template in PROJECT.items("templates").values():
        first_line = template["body"].strip().splitlines()[0]
        assert first_line not in text, f"{chapter} copies the body of {template['id']}"


def test_data_counts():
    """At least the roles, SOPs, checklists, templates and metrics the handbook promises."""
    names = {role["name"] for role in PROJECT.items("roles").values()}
    assert {"管理员", "运营负责人", "运营专员", "内容官", "活动官", "客服", "数据分析"} <= names
    assert any("KOC" in name for name in names)
    assert len(PROJECT.items("sops")) >= 12
    assert len(PROJECT.items("checklists")) >= 10
    assert len(PROJECT.items("templates")) >= 15
    assert len(PROJECT.items("metrics")) >= 15
    assert {"carriers", "channels"} <= set(PROJECT.items("comparisons"))


def test_every_data_item_is_shown_on_the_site(site):
    """Each SOP, checklist, template, metric and role has its component somewhere in the site."""
    html = "".join(page.read_text("utf-8") for page in site.rglob("*.html"))
    for kind, prefix in (("sops", "sop"), ("checklists", "checklist"), ("templates", "template"),
                         ("metrics", "metric"), ("roles", "role"), ("comparisons", "comparison")):
        for ident in PROJECT.items(kind):
            assert f'id="{prefix}-{ident}"' in html, f"{kind}/{ident} is on no page"


def chinese_files():
    """Every Markdown and YAML file of the project that holds Chinese text."""
    files = [ROOT / "README.md"] + sorted((ROOT / "docs").rglob("*.md"))
    files += sorted((ROOT / "playbooks").rglob("*.md")) + sorted((ROOT / "data").rglob("*.yml"))
    files += sorted((ROOT / "data").glob("*.md")) + [ROOT / "CONTRIBUTING.md"]
    docs_links = ROOT / "docs/playbooks"
    return [f for f in files if docs_links not in f.parents
            and re.search(r"[\u4e00-\u9fff]", f.read_text("utf-8"))]


def test_chinese_copy_follows_the_style_guide():
    """autocorrect (中文文案排版指北) reports nothing on any file with Chinese text."""
    files = chinese_files()
    assert len(files) > 60
    assert copy_issues(files) == []


def test_house_words_are_chinese():
    """The summary heading is 要点, never TL;DR; prose says 同期群, with cohort only in brackets
    after it (identifiers such as cohort_retention aside). The metric dictionary's own wording
    is left to its owners (data/metrics/)."""
    for path in [p for p in chinese_files() if (ROOT / "data/metrics") not in p.parents]:
        text = path.read_text("utf-8")
        assert "TL;DR" not in text, path
        bare = re.sub(r"（cohort）|cohort_\w+|\w+_cohort\w*", "", text)
        assert "cohort" not in bare.lower(), path


def test_style_check_catches_a_mistake(tmp_path):
    """The typography check really flags missing CJK spacing and half-width punctuation."""
    sample = tmp_path / "x.md"
    sample.write_text("欢迎加入Python社群,一起学习!\n", "utf-8")
    assert copy_issues([sample]) == [
        f"{sample}:1: 中文排版：'欢迎加入Python社群,一起学习!' — 改成 '欢迎加入 Python 社群，一起学习！'"]


def test_style_fix_corrects_the_file(tmp_path):
    """copy-lint --fix rewrites what the check reports, says so, and leaves nothing to report."""
    sample = tmp_path / "x.md"
    sample.write_text("# 标题\n\n欢迎加入Python社群,一起学习!\n", "utf-8")
    fixed = subprocess.run([sys.executable, "-m", "macros", "copy-lint", "--fix", str(sample)],
                           cwd=ROOT, capture_output=True, text=True)
    assert fixed.returncode == 0, fixed.stderr
    assert fixed.stdout == f"{sample}: 改好了 1 行的中文排版，请再看一眼改动\n"
    assert sample.read_text("utf-8") == "# 标题\n\n欢迎加入 Python 社群，一起学习！\n"
    assert copy_issues([sample]) == []


def site_links(html_file, site) -> set:
    """The site pages (as index.html paths) and anchors an HTML page links to."""
    found = set()
    for href in re.findall(r'href="([^"#?]*)(#[^"]*)?"', html_file.read_text("utf-8")):
        target, anchor = href
        if target.startswith(("http:", "https:", "mailto:", "//")) or target.endswith(
                (".css", ".js", ".ico", ".png", ".svg", ".json", ".xml")):
            continue
        path = (html_file.parent / target).resolve()
        page = path / "index.html" if path.is_dir() else path
        if page.is_file() and site.resolve() in page.parents:
            found.add((page, anchor))
    return found


def test_every_page_is_reachable_from_the_home_page(site):
    """Following links from the home page (nav included) reaches every built page."""
    pages = {p.resolve() for p in site.rglob("index.html")} - {(site / "index.html").resolve()}
    seen, queue = set(), [(site / "index.html").resolve()]
    while queue:
        current = queue.pop()
        if current in seen:
            continue
        seen.add(current)
        queue += [page for page, _ in site_links(current, site) if page not in seen]
    assert pages - seen == set()


def test_every_glossary_term_is_linked_and_every_glossary_link_resolves(site):
    """Each term heading in the glossary is the target of a link; each link lands on a term."""
    glossary = (site / "glossary/index.html").resolve()
    anchors = set(re.findall(r'<h2 id="([^"]+)"', glossary.read_text("utf-8")))
    assert len(anchors) >= 20
    linked = {unquote(anchor[1:]) for page in site.rglob("*.html") if page.resolve() != glossary
              for target, anchor in site_links(page, site) if target == glossary and anchor}
    assert linked <= anchors
    assert anchors - linked == set()
