"""Site tests: assertions over one strict build of the real project."""

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

from bench.reload import free_port
from conftest import ROOT, SAMPLE_SOP, build_site
from macros.kinds import lexicons
from macros.kinds.metrics import target_text
from macros.kinds.sops import roles_of
from macros.loader import load

SOURCE_DIRS = {"docs": ROOT / "docs", "playbooks": ROOT / "playbooks"}
EXTERNAL = re.compile(r"^(?:https?:)?//", re.I)
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)|@import\s+['\"]([^'\"]+)")
LOADING_RELS = {"stylesheet", "preload", "modulepreload", "icon", "apple-touch-icon",
                "manifest", "preconnect", "dns-prefetch", "prefetch"}


def page_for(md: Path, base: Path) -> str:
    """Where MkDocs (use_directory_urls) writes the page for a Markdown file under `base`."""
    rel = md.relative_to(base).with_suffix("")
    parts = rel.parts[:-1] if rel.name in ("index", "README") else rel.parts
    return "/".join(parts + ("index.html",))


class ResourceCollector(HTMLParser):
    """Collects every URL an HTML page would load (not plain links)."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        """Record src/srcset of media and scripts, and href of loading <link>s."""
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "audio", "video", "source", "embed", "input"):
            self.urls += [a[k] for k in ("src", "data") if a.get(k)]
            if a.get("srcset"):
                self.urls += [s.split()[0] for s in a["srcset"].split(",") if s.strip()]
        if tag == "link" and LOADING_RELS & set((a.get("rel") or "").lower().split()):
            self.urls.append(a.get("href", ""))
        if tag == "object" and a.get("data"):
            self.urls.append(a["data"])
        self.urls += css_urls(a.get("style") or "")

    def handle_data(self, data):
        """Record url() and @import inside inline <style> blocks."""
        if self.lasttag == "style":
            self.urls += css_urls(data)


def css_urls(text: str) -> list[str]:
    """Every url(…) and @import target in a piece of CSS."""
    return [url or imported for url, imported in CSS_URL.findall(text)]


def test_every_markdown_file_produced_a_page(site):
    """Every Markdown file in docs/ and playbooks/ has a built HTML page."""
    missing = []
    for name, base in SOURCE_DIRS.items():
        prefix = "playbooks/" if name == "playbooks" else ""
        for md in base.rglob("*.md"):
            if name == "docs" and "playbooks" in md.relative_to(base).parts:
                continue  # the symlink to playbooks/, checked under its own name
            target = prefix + page_for(md, base)
            if not (site / target).is_file():
                missing.append(f"{md.relative_to(ROOT)} -> {target}")
    assert not missing, missing
    assert (site / "playbooks/positioning/index.html").is_file()
    assert (site / "playbooks/risk-compliance/index.html").is_file()


def test_search_index_is_segmented_by_jieba(site):
    """jieba ran: Chinese words in the search index are separated by U+200B."""
    index = json.loads((site / "search/search_index.json").read_text("utf-8"))
    text = " ".join(doc["text"] for doc in index["docs"])
    assert "\u200b社群\u200b" in text
    assert re.search(r"[\u4e00-\u9fff]\u200b[\u4e00-\u9fff]", text)


def external_loads(html: str) -> list[str]:
    """The URLs in one HTML document that would be fetched from another host."""
    collector = ResourceCollector()
    collector.feed(html)
    return [u for u in collector.urls if EXTERNAL.match(u.strip())]


def test_no_page_loads_anything_from_outside_hosts(site):
    """No HTML page or stylesheet loads a script, style, font or image from another host."""
    offenders = {}
    for html in site.rglob("*.html"):
        found = external_loads(html.read_text("utf-8"))
        if found:
            offenders[str(html.relative_to(site))] = found
    for css in site.rglob("*.css"):
        found = [u for u in css_urls(css.read_text("utf-8")) if EXTERNAL.match(u)]
        if found:
            offenders[str(css.relative_to(site))] = found
    assert offenders == {}


def test_external_load_detector_catches_what_it_should():
    """The detector itself flags fonts, scripts, images and CSS imports from other hosts."""
    html = ('<link rel="stylesheet" href="https://fonts.googleapis.com/css">'
            '<script src="//cdn.example.com/x.js"></script><img src="http://x.test/a.png">'
            '<style>@import "https://cdn.test/a.css";</style>'
            '<a href="https://github.com/">a plain link is fine</a><script src="/local.js"></script>')
    assert external_loads(html) == ["https://fonts.googleapis.com/css", "//cdn.example.com/x.js",
                                    "http://x.test/a.png", "https://cdn.test/a.css"]


SCRIPT_TAG = re.compile(r"<script\b([^>]*)\bsrc=\"([^\"]+)\"([^>]*)>")


def test_no_script_blocks_the_first_paint(site):
    """Every page loads all its scripts deferred, Material's bundle first (ours use its document$)."""
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for html in pages:
        scripts = [(src.rsplit("/", 1)[-1], "defer" in before + after)
                   for before, src, after in SCRIPT_TAG.findall(html.read_text("utf-8"))]
        assert scripts[0][0].startswith("bundle.") and len(scripts) > 1, (html, scripts)
        assert all(deferred for _, deferred in scripts), (html, scripts)


def test_chinese_heading_gets_chinese_anchor(site):
    """A Chinese heading keeps its Chinese characters in its anchor, and links to it resolve."""
    html = (site / "contributing/macros/index.html").read_text("utf-8")
    assert 'id="宏与占位符"' in html
    assert 'href="#宏与占位符"' in html
    chapter = (site / "playbooks/structure/index.html").read_text("utf-8")
    assert 'id="入群门槛与流程"' in chapter


def test_literal_placeholders_survive_in_prose_and_code(site):
    """A literal {{ placeholder }} reaches the HTML unchanged, in prose and in a code block."""
    html = (site / "contributing/macros/index.html").read_text("utf-8")
    assert re.search(r"<p>[^<]*\{\{ 社群名称 \}\}", html)
    assert re.search(r"<pre.*?\{\{ 社群名称 \}\}.*?</pre>", html, re.S)
    assert "{{ 群主昵称 }}" in html


def test_undefined_macro_fails_the_build_naming_the_page(project_copy, tmp_path):
    """A page calling an undefined macro fails the strict build, and the message names the page."""
    page = project_copy / "playbooks/positioning.md"
    page.write_text(page.read_text("utf-8") + "\n[[ no_such_macro('x') ]]\n", "utf-8")
    result = build_site(project_copy, tmp_path / "out")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "playbooks/positioning.md" in output
    assert "no_such_macro" in output


def test_undefined_variable_fails_the_build_naming_the_page(project_copy, tmp_path):
    """A page using an undefined variable fails the strict build, and the message names the page."""
    page = project_copy / "docs/index.md"
    page.write_text(page.read_text("utf-8") + "\n社群名称是 [[ community_nmae ]]。\n", "utf-8")
    result = build_site(project_copy, tmp_path / "out")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "index.md" in output
    assert "community_nmae" in output


def test_bad_data_fails_the_build_with_the_check_messages(project_copy, tmp_path):
    """The build stops before rendering, with exactly the problems `make check` prints."""
    role = project_copy / "data/roles/ops_lead.yml"
    role.write_text(role.read_text("utf-8").replace("name: 运营负责人", "nmae: 运营负责人"), "utf-8")
    expected = [str(p) for p in load(project_copy).problems]
    assert expected  # the edit really broke something
    result = build_site(project_copy, tmp_path / "out")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for line in expected:
        assert line in result.stderr.splitlines()
    assert not (tmp_path / "out/index.html").exists()


def test_serve_reloads_when_data_changes(project_copy):
    """`mkdocs serve` (what `make serve` runs) serves the site at its own address and rebuilds on
    a data/ edit, a playbook edit, an edit to a partial in macros/ (docs_macros.py imports the
    package afresh) and a handbook.yml edit (through hooks/serve_cache.py, which reuses what an
    edit did not change)."""
    port = free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr",
                               f"127.0.0.1:{port}", "--livereload"], cwd=project_copy, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def page_text(path: str) -> str:
        """The served page, waiting up to 120 s for the server to answer."""
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=5) as reply:
                    return reply.read().decode("utf-8")
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    def wait_for(text: str, path: str, what: str) -> None:
        """Wait up to 120 s for `text` to appear on the served page after an edit of `what`."""
        deadline = time.monotonic() + 120
        while text not in page_text(path):
            assert time.monotonic() < deadline, f"the page never picked up the {what}"
            time.sleep(1)

    try:
        assert "运营负责人：我的职责" in page_text("roles/ops_lead/")
        role = project_copy / "data/roles/ops_lead.yml"
        role.write_text(role.read_text("utf-8").replace("name: 运营负责人", "name: 社群主理人"), "utf-8")
        wait_for("社群主理人：我的职责", "roles/ops_lead/", "data change")
        assert f'<link rel="canonical" href="http://127.0.0.1:{port}/"' in page_text("")
        playbook = project_copy / "playbooks/structure.md"
        text = playbook.read_text("utf-8").replace("## 要点\n", "## 要点\n\n保存后就能看到的一句话。\n", 1)
        playbook.write_text(text, "utf-8")
        wait_for("保存后就能看到的一句话", "playbooks/structure/", "playbook edit")
        assert "社群主理人" in page_text("playbooks/structure/")  # a page converted again keeps the data edit
        partial = project_copy / "macros/partials/sop.html"
        card = 'class="hb-card hb-sop"'
        partial.write_text(partial.read_text("utf-8").replace(card, f'{card} data-edited="yes"'), "utf-8")
        wait_for('data-edited="yes"', "library/sops/", "edit to a partial in macros/")
        identity = project_copy / "handbook.yml"
        identity.write_text(re.sub(r"(?m)^name: .*$", "name: 改了名的手册", identity.read_text("utf-8")),
                            "utf-8")
        wait_for("改了名的手册</title>", "", "handbook.yml change")
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_facts_page_is_in_the_nav_and_lists_every_real_fact(site):
    """平台规则与法规速查 is built under 资料库 and lists each fact of data/facts/ with its anchor,
    source link and checked date (or says that there is none yet)."""
    html = (site / "library/facts/index.html").read_text("utf-8")
    assert "<h1" in html and "平台规则与法规速查" in html
    assert 'href="../facts/"' in (site / "library/metrics/index.html").read_text("utf-8")
    facts = load(ROOT).items("facts")
    for ident, fact in facts.items():
        assert f'id="{ident}"' in html, ident
        assert f'<time datetime="{fact["checked"]}">' in html, ident
        if "source" in fact:
            assert f'<a href="{fact["source"]["url"]}"' in html.replace("&amp;", "&"), ident
    if not facts:
        assert "还没有收录任何事实" in html


def test_a_fact_renders_in_a_page_and_is_listed_on_the_facts_page(facts_site):
    """In a strict build with facts in use: prose shows the value and a link to the fact's anchor on
    the 速查 page, which lists the fact with its source link, checked date and owner."""
    out, _ = facts_site
    glossary = (out / "glossary/index.html").read_text("utf-8")
    assert ('群管理员上限 <span class="hb-fact">3 名<a class="hb-fact__ref" '
            'href="../library/facts/#wechat_group_admin_cap">') in glossary
    assert "官方来源：如何设置群管理员（微信客服）；2026-11-20 核对" in glossary
    assert '<span class="hb-fact__tag" aria-hidden="true">经验值</span>' in glossary
    assert '写作营每期 <span class="hb-number" title="21 天写作营：每期学员">450 人</span>' in glossary
    target = target_text(load(ROOT).get("metrics", "activity_rate"))
    assert f'活跃率目标 <span class="hb-number">{target}</span>' in glossary
    facts = (out / "library/facts/index.html").read_text("utf-8")
    assert '<div class="hb-card hb-fact-entry" id="wechat_group_admin_cap">' in facts
    assert ('<a href="https://kf.qq.com/faq/example.html" rel="noopener noreferrer">'
            "如何设置群管理员</a>") in facts
    assert '<time datetime="2026-11-20">2026-11-20</time>' in facts
    order = [facts.index(f'id="{anchor}"') for anchor in ("微信", "wechat_group_admin_cap", "运营经验")]
    assert order == sorted(order)


def test_a_fact_called_in_data_text_shows_its_value(facts_site):
    """A fact called in an SOP step's text shows as its value on the SOP page, with no call left."""
    out, _ = facts_site
    html = (out / "library/sops/index.html").read_text("utf-8")
    card = html[html.index(f'id="sop-{SAMPLE_SOP}"'):]
    timing = re.search(r'<span class="hb-sop__timing">时间：([^<]*)</span>', card).group(1)
    assert timing.endswith("，@所有人 每周 1 次")
    assert "[[" not in html


def test_warnings_are_printed_by_the_build_and_do_not_fail_it(project_copy, tmp_path):
    """A strict build of data with a RACI warning succeeds and prints the warning, as `make check` does."""
    sop = project_copy / "data/sops/new_member_welcome.yml"
    data = load(project_copy).items("sops")["new_member_welcome"]
    involved = {role for step in data["steps"] for letter in "RA" for role in roles_of(step["raci"], letter)}
    idle = sorted(set(load(project_copy).items("roles")) - involved)[0]
    sop.write_text(sop.read_text("utf-8").replace(f"owner: {data['owner']}", f"owner: {idle}", 1), "utf-8")
    expected = [str(w) for w in load(project_copy).warnings]
    assert any("SOP 负责人" in line and f"（{idle}）" in line for line in expected)
    result = build_site(project_copy, tmp_path / "out")
    assert result.returncode == 0, result.stderr[-3000:]
    for line in expected:
        assert line in result.stderr.splitlines()
    assert (tmp_path / "out/library/sops/index.html").exists()


def test_each_page_with_template_fillers_carries_the_risky_phrases_once(site):
    """Every page with a template card (the library, chapters with one card or several) holds the
    risky-phrase list exactly once, and that copy is the whole list from data/."""
    project = load(ROOT)
    expected = [{key: entry[key] for key in ("category", "instead", "phrase")}
                for entry in lexicons.entries(project)]
    pages = {html: html.read_text("utf-8") for html in site.rglob("*.html")}
    with_cards = {html: text for html, text in pages.items() if 'class="hb-card hb-template"' in text}
    assert site / "library/templates/index.html" in with_cards
    assert any(text.count('class="hb-card hb-template"') == 1 for text in with_cards.values())
    for html, text in pages.items():
        blocks = re.findall(r"<div hidden data-hb-lexicon='([^']*)'></div>", text)
        assert len(blocks) == (1 if html in with_cards else 0), html
        if blocks:
            assert json.loads(blocks[0]) == expected, html
    templates_page = with_cards[site / "library/templates/index.html"]
    assert templates_page.count('class="hb-card hb-template"') == len(project.items("templates"))
