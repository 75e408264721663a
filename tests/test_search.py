"""Search: keywords and synonyms (checked by the loader, indexed as tags), the boosts of listing
pages, and the patched query splitting of Material's search worker."""

import json
import re
import subprocess
import sys

import pytest
from test_loader import SOP, TEMPLATE, edit, problems

from bench import relevance
from conftest import ROOT, load_hook, watch
from macros import search, search_build
from macros.loader import load

SYNONYMS = "data/synonyms/colloquial.yml"
SEARCH_INDEX_HOOK = load_hook("search_index")
SYNONYM_LINE = "# yaml-language-server: $schema=../schemas/synonym.schema.json\n"


def synonyms(root, *pairs) -> None:
    """Write a synonym table holding (word, term) pairs."""
    path = root / SYNONYMS
    path.parent.mkdir(parents=True, exist_ok=True)
    entries = "".join(f"  - word: {word}\n    term: {term}\n" for word, term in pairs)
    path.write_text(SYNONYM_LINE + "id: colloquial\ntitle: 对照\ndescription: 口语说法。\nentries:\n"
                    + entries, "utf-8")


def test_keyword_the_item_already_uses_is_refused(project):
    """A keyword the item's own text already contains adds nothing: a problem, in Chinese, at its line."""
    edit(project, SOP, "title: 新人入群欢迎", "title: 新人入群欢迎\nkeywords: [进群, 入群]")
    assert problems(project) == [
        f"{SOP}:4: keywords[1]: 搜索关键词「入群」在正文里已经出现，搜索本来就能找到 — "
        "删掉它；keywords 只写读者会搜、但正文没有写的叫法"]


def test_keyword_the_playbook_already_uses_is_refused(project):
    """A playbook's keywords are checked against its Markdown body."""
    edit(project, "playbooks/positioning.md", "title: 社群定位", "title: 社群定位\nkeywords: [门槛]")
    assert [p.split(" — ")[0] for p in problems(project)] == [
        "playbooks/positioning.md:3: keywords[0]: 搜索关键词「门槛」在正文里已经出现，搜索本来就能找到"]


def test_keyword_claimed_twice_is_a_warning_that_does_not_fail_check(project):
    """Two items with one keyword: `make check` warns (警告：path:line: what — fix) and passes."""
    edit(project, SOP, "title: 新人入群欢迎", "title: 新人入群欢迎\nkeywords: [萌新]")
    edit(project, TEMPLATE, "title: 新人欢迎语", "title: 新人欢迎语\nkeywords: [萌新]")
    loaded = load(project)
    assert loaded.problems == []
    assert [str(w) for w in loaded.warnings] == [
        f"警告：{TEMPLATE}:4: keywords[0]: 搜索关键词「萌新」也写在 {SOP}:4 — "
        "同一个词只留在最该被搜到的那一处，删掉另一处"]
    done = subprocess.run([sys.executable, "-m", "macros", "check", "--root", str(project),
                           "--base", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert f"警告：{TEMPLATE}:4: keywords[0]: 搜索关键词「萌新」" in done.stderr


def test_malformed_keyword_is_a_schema_problem(project):
    """A keyword with a space or a comma inside is two words written as one."""
    edit(project, SOP, "title: 新人入群欢迎", "title: 新人入群欢迎\nkeywords: ['萌新, 小白']")
    assert [p.split(" — ")[0] for p in problems(project)] == [
        f"{SOP}:4: keywords[0]: 「萌新, 小白」的格式不对"]


def test_synonym_term_must_head_some_page(project):
    """A synonym whose term is in no title or heading could reach no page: refused."""
    synonyms(project, ("小白", "新人入群"), ("躺平", "摸鱼"))
    assert problems(project) == [
        f"{SYNONYMS}:9: entries[1].term: 术语「摸鱼」没有出现在任何页面的标题、小标题或条目标题里，"
        "「躺平」因此找不到页面 — 改成手册标题里的写法，例如「沉默成员」"]


def test_synonym_word_equal_to_its_term_is_refused(project):
    """Mapping a term to itself is a mistake."""
    synonyms(project, ("门槛", "门槛"))
    assert [p.split(" — ")[0] for p in problems(project)] == [
        f"{SYNONYMS}:6: entries[0].word: 口语说法「门槛」和术语本身相同"]


def test_page_tags_reach_the_pages_that_show_an_item(project):
    """Item keywords go to every page embedding the item and to its library; a synonym goes to the
    pages whose headings or shown items carry its term; a playbook keeps its own."""
    edit(project, SOP, "title: 新人入群欢迎", "title: 新人入群欢迎\nkeywords: [萌新]")
    edit(project, "playbooks/positioning.md", "title: 社群定位", "title: 社群定位\nkeywords: [人设]")
    edit(project, "playbooks/positioning.md", "## 入群门槛\n",
         '## 入群门槛\n\n[[ sop("new_member_welcome") ]]\n')
    synonyms(project, ("进群条件", "入群门槛"))
    loaded = load(project)
    assert loaded.problems == []
    tags = search.page_tags(loaded)
    assert tags["/library/sops.md"] == ["萌新"]
    assert tags["/playbooks/positioning.md"] == ["人设", "萌新", "进群条件"]


def test_index_holds_keywords_as_tags_that_no_page_shows(site):
    """The real build: keywords and synonyms are tags in the search index, and the pages never
    render them (no tags plugin); listing pages carry a lowered boost."""
    index = json.loads((site / "search/search_index.json").read_text("utf-8"))
    pages = {doc["location"]: doc for doc in index["docs"] if "#" not in doc["location"]}
    assert "僵尸粉" in pages["playbooks/activation-retention/"]["tags"]
    assert "卖课" in pages["playbooks/monetization/"]["tags"]
    assert "拉黑" in pages["library/sops/"]["tags"]
    html = (site / "playbooks/activation-retention/index.html").read_text("utf-8")
    assert "僵尸粉" not in html and "md-tags" not in html
    assert pages["changelog/"]["boost"] < 1 and pages["stale/"]["boost"] < 1
    assert pages["roles/ops_lead/"]["boost"] < 1


def test_index_is_written_as_utf8_text(site):
    """The built index spells Chinese as UTF-8 text, not as six-byte \\u escapes, and holds the
    same data as the escaped JSON the search plugin wrote."""
    raw = (site / "search/search_index.json").read_bytes()
    assert "社群".encode() in raw
    assert not re.search(rb"\\u[4-9][0-9a-f]{3}", raw)
    escaped = json.dumps(json.loads(raw), separators=(",", ":"))
    assert len(raw) < 0.7 * len(escaped)
    assert json.loads(SEARCH_INDEX_HOOK.as_utf8(escaped)) == json.loads(raw)


def test_utf8_index_keeps_line_separators_escaped():
    """U+2028 and U+2029 stay escaped, so the offline zip's inlined index is a valid script for
    engines older than ES2019."""
    text = SEARCH_INDEX_HOOK.as_utf8(json.dumps({"docs": [{"text": "群规\u2028第一条\u2029完"}]}))
    assert "\u2028" not in text and "\u2029" not in text
    assert "群规\\u2028第一条\\u2029完" in text
    assert json.loads(text)["docs"][0]["text"] == "群规\u2028第一条\u2029完"


# ---------- the patched search worker and bundle ----------


@pytest.mark.parametrize("name", [search_build.WORKER, search_build.BUNDLE])
def test_patches_fit_the_installed_material(site, name):
    """Each patch applies to the installed Material's file (this fails when an upgrade makes it
    stale), and the built site serves the patched file in place of the theme's."""
    original = search_build.original(name).read_text("utf-8")
    patched = search_build.patched(name, original)
    assert patched != original
    assert (site / "assets/javascripts" / name).read_text("utf-8") == patched


@pytest.mark.parametrize(("name", "old", "new"), [
    (search_build.WORKER, "new Uint16Array(t.length)", "new Uint32Array(t.length)"),
    (search_build.BUNDLE, 'location.protocol!=="file:"', 'location.protocol!="file:"'),
])
def test_a_changed_material_file_stops_its_patch(name, old, new):
    """A file whose code moved on is refused with a Chinese message naming the file to revisit."""
    changed = search_build.original(name).read_text("utf-8").replace(old, new)
    with pytest.raises(search_build.StalePatch, match="Material 升级了.*macros/search_build.py"):
        search_build.patched(name, changed)


def test_a_renamed_material_file_is_named_in_the_message(monkeypatch, tmp_path):
    """When an upgrade renames the bundle, the message says which file is there now."""
    (tmp_path / "bundle.0123abcd.min.js").write_text("", "utf-8")
    monkeypatch.setattr(search_build, "JAVASCRIPTS", tmp_path)
    with pytest.raises(search_build.StalePatch, match="bundle.0123abcd.min.js"):
        search_build.original(search_build.BUNDLE)


def test_the_index_is_fetched_when_search_opens_not_on_page_load(browser, site, server):
    """The bundle patch: opening a page downloads no search index; focusing the search box does,
    and the search then answers; a page opened from a result (`?h=`) fetches it to highlight."""
    context = browser.new_context(locale="zh-CN")
    page = watch(context.new_page())
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(server.url + "playbooks/acquisition/", wait_until="networkidle")
    assert not [url for url in fetched if "search_index" in url]
    assert "playbooks/acquisition/" in relevance.results(page, "裂变")[:3]
    assert [url for url in fetched if url.endswith("search/search_index.json")]
    fetched.clear()
    page.goto(server.url + "playbooks/acquisition/?h=裂变")
    page.wait_for_selector("article mark[data-md-highlight]")
    assert [url for url in fetched if url.endswith("search/search_index.json")]
    assert page.errors == [] and page.outside == []
    context.close()


@pytest.fixture(scope="module")
def search_page(browser, site, server):
    """The real strict build in Chromium, search box focused."""
    context = browser.new_context(locale="zh-CN")
    opened = watch(context.new_page())
    relevance.open_search(opened, server.url)
    yield opened
    assert opened.errors == [] and opened.outside == []
    context.close()


def test_relevance_set_reaches_90_percent_top3(search_page, server):
    """At least 40 realistic queries through the real search box: 90 % show a right page in the
    first three results."""
    outcomes = relevance.run(search_page, server.url)
    summary = relevance.rates(outcomes)
    assert summary["queries"] >= 40
    assert {o.kind for o in outcomes} == {"关键词", "口语", "中英混合", "问句", "错别字"}
    assert summary["top3"] >= 0.9, json.dumps(summary["misses"], ensure_ascii=False, indent=1)


@pytest.mark.parametrize(("query", "page"), [
    ("咋搞裂变", "playbooks/acquisition/"),  # B: an unknown first character no longer swallows it
    ("带货", "playbooks/monetization/"),  # A: the last character ends a word (was searched as 带*)
    ("KOC招募", "playbooks/activation-retention/"),  # C: Latin and Chinese split apart
    ("MAU", "library/metrics/"),  # full-width brackets and / separate: 粘性（DAU/MAU）
])
def test_query_splitting_defects_are_fixed(search_page, query, page):
    """Each defect of Material's query splitting, on a query of its own."""
    assert page in relevance.results(search_page, query)[:3]


@pytest.mark.parametrize(("query", "pages"), [
    ("月活", ["glossary/", "playbooks/data-review/", "library/metrics/"]),  # a synonym's word
    ("复购", ["playbooks/monetization/"]),  # a synonym's word
    ("广告党", ["playbooks/risk-compliance/", "library/sops/"]),  # an SOP's keyword
    ("到期提醒", ["library/sops/", "playbooks/monetization/"]),  # an SOP's keyword
    ("群KPI", ["playbooks/positioning/"]),  # Chinese glued to Latin, Latin from the synonym table
    ("DAU下降怎么办", ["playbooks/data-review/", "library/metrics/"]),  # Latin, Chinese, a filler
    ("咋提高活跃度", ["library/metrics/", "playbooks/activation-retention/"]),  # unknown first character
    ("续费提醒怎么发", ["playbooks/monetization/", "library/templates/", "library/sops/"]),
    ("活跃律", ["library/metrics/", "playbooks/activation-retention/", "playbooks/data-review/"]),
    ("续费题醒", ["playbooks/monetization/", "library/templates/", "library/sops/"]),  # a typo
    ("裂变海抱", ["playbooks/acquisition/"]),  # a typo in the second word
])
def test_queries_shaped_like_the_reported_failures_find_their_pages(search_page, query, pages):
    """Queries built like the ones that failed before (words the text never uses, a filler word,
    Latin glued to Chinese, an unknown first character, one wrong character), none of them in the
    query set: each shows a right page in its first three results."""
    found = relevance.results(search_page, query)[:3]
    assert any(page in pages for page in found), found


def test_separator_splits_full_width_punctuation(site):
    """The worker's separator (from the built index) splits full-width brackets, colon, quotes,
    book-title marks and /, as Material's zh default does not."""
    separator = json.loads((site / "search/search_index.json").read_text("utf-8"))["config"]["separator"]
    words = [w for w in re.split(separator, "粘性（DAU/MAU）：「拉新」“裂变”《群规》") if w]
    assert words == ["粘性", "DAU", "MAU", "拉新", "裂变", "群规"]


@pytest.mark.parametrize("query", ["裂变", "续费", "活码", "群规", "复盘"])
def test_correct_short_words_bring_no_fuzzy_noise(search_page, site, query):
    """A word the index knows is searched as itself: every page found contains it (typo matching
    never widens a correct short query)."""
    index = json.loads((site / "search/search_index.json").read_text("utf-8"))
    tags = {doc["location"]: doc.get("tags", []) for doc in index["docs"]}
    found = relevance.results(search_page, query)
    assert found
    for path in found:
        html = (site / path / "index.html").read_text("utf-8")
        assert query in html or any(query in tag for tag in tags.get(path, [])), path


def test_remembered_cuts_equal_jiebas_and_are_reused(monkeypatch):
    """The serve-loop cache gives jieba's own words, and a text cut twice is cut once."""
    import jieba

    monkeypatch.setattr(jieba, "cut", jieba.cut)  # restored after the test
    text = "沉默成员先分类再唤醒，最多触达两次。".encode()
    expected = list(jieba.cut(text))
    search_build.remember_cuts()
    search_build.remember_cuts()  # idempotent: one layer of memory, not two
    assert list(jieba.cut(text)) == expected
    assert list(jieba.cut(text)) == expected
    assert jieba.cut.cache_info().hits == 1 and jieba.cut.cache_info().misses == 1
