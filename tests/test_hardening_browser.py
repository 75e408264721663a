"""Hardening in a real browser: hostile data text runs no script on any page of the real strict
build of a poisoned project copy (C01, C02 and variants). (B15, full-width digits in formulas, is
one grammar by construction now: macros/formula.py is the only parser, see test_hardening.py.)"""

import shutil

import yaml

from conftest import PAYLOAD, SiteServer, build_site, poisoned, watch, with_sample_facts

# Checklist item text is the one data field read as Markdown. Each payload tries another way to
# get a script, an event handler or a live script URL past Markdown, attr_list and md_in_html.
HOSTILE_TEXTS = [
    "C01 [点我](https://example.com/){onmouseover=alert(1101) style=position:fixed;inset:0;z-index:9999}",
    "C01 **粗体**{onclick=alert(1102)}",
    "C01 `代码`{onmouseover=alert(1103)}",
    "C02 [点我](javascript:alert(1104))",
    "[大小写](JaVaScRiPt:alert(1105))",
    "[数据](data:text/html;base64,PHNjcmlwdD5hbGVydCgxMTA2KTwvc2NyaXB0Pg==)",
    "[脚本](vbscript:msgbox(1107))",
    "\\[转义\\](javascript:alert(1108))",
    "<svg onload=alert(1109)>",
    '<a href="javascript:alert(1110)">链接</a>',
    '[引号](https://example.com/" onmouseover="alert(1111))',
    "![图](https://example.com/x.png){onerror=alert(1112)}",
    "<https://example.com/\" onmouseover=alert(1113)>",
    "{: onclick=alert(1114) }",
    "[空格](  javascript:alert(1115)  )",
    "[实体](&#106;avascript:alert(1116))",
    "<script>alert(1117)</script>",
    "*斜体*{: .x onmouseenter=alert(1118) }",
]
SAFE_URL = ("http:", "https:", "mailto:", "/", "./", "../", "#")
# Every other free-text field gets Markdown syntax too: none of it may become a link or an attribute.
MARKDOWN_PAYLOAD = " [点我](javascript:alert(1301)){onclick=alert(1302)} **粗**{onmouseover=alert(1303)}"
# Titles with markup are refused (test_hardening.py); these pass the check, and must stay text
# in <title>, the header, the nav, the TOC and the generated role page.
PLAIN_TITLE = ("社群架构 ＜img src=x onerror=alert(1201)＞ *星号* _下划线_ {onclick=alert(1202)} "
               "\\反斜杠 “引号”")
PLAIN_ROLE = "管理员 {onclick=alert(1203)} *星号*"


def poison_checklist_texts(project) -> None:
    """Put every hostile text into checklist items of group_setup (shown on a chapter page)."""
    path = project / "data/checklists/group_setup.yml"
    first, rest = path.read_text("utf-8").split("\n", 1)
    data = yaml.safe_load(rest)
    items = [item for group in data["groups"] for item in group["items"]]
    for i, text in enumerate(HOSTILE_TEXTS):
        items[i % len(items)]["text"] += " " + text
    path.write_text(first + "\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def plain_but_tricky_titles(project) -> None:
    """Give a chapter and a role titles that pass the plain-text check but look like syntax."""
    for rel, old, new in (("playbooks/structure.md", "title: 社群架构\n", f"title: {PLAIN_TITLE}\n"),
                          ("data/roles/admin.yml", "name: 管理员\n", f"name: {PLAIN_ROLE}\n")):
        path = project / rel
        path.write_text(path.read_text("utf-8").replace(old, new, 1), "utf-8")


DOM_AUDIT = """() => {
    const handlers = [], urls = [];
    for (const el of document.querySelectorAll('*')) {
        for (const attr of el.attributes) {
            const name = attr.name.toLowerCase();
            if (name.startsWith('on')) handlers.push(el.tagName + ' ' + name + '=' + attr.value);
            if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data'].includes(name)) {
                const value = attr.value.trim().toLowerCase().replace(/[\\s\\x00-\\x1f]/g, '');
                if (/^(javascript|data|vbscript):/.test(value)) urls.push(el.tagName + ' ' + value);
            }
        }
    }
    return {handlers, urls, svg: document.querySelectorAll('.md-content svg[onload]').length};
}"""


def test_c01_c02_hostile_data_runs_no_script_on_any_page(browser, project_copy, tmp_path):
    """C01/C02 and variants, on the real strict build of a poisoned copy of the project: every
    page is opened, the mouse sweeps it, and no dialog opens, no element carries an event
    handler and no link or source uses a script URL, on the pages and in search results; the
    hostile text (HTML, and Markdown links and attributes in every free-text field) is shown as
    text, also in facts, a community number and a metric target in use,
    and titles that look like syntax (a chapter's, a role's) are shown as text too."""
    with_sample_facts(project_copy)
    poisoned(project_copy, PAYLOAD + MARKDOWN_PAYLOAD)
    poison_checklist_texts(project_copy)
    plain_but_tricky_titles(project_copy)
    out = tmp_path / "out"
    running = SiteServer(out)
    try:
        result = build_site(project_copy, out, running.url)
        assert result.returncode == 0, result.stderr[-3000:]
        ctx = browser.new_context(viewport={"width": 1280, "height": 800})
        page = watch(ctx.new_page())
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        pages = sorted(out.rglob("index.html"))
        assert len(pages) > 20
        for html in pages:
            url = (running.url + html.parent.relative_to(out).as_posix() + "/").replace("/./", "/")
            page.goto(url)
            page.locator(".md-content").wait_for()
            for x in range(40, 1280, 200):
                for y in range(40, 800, 150):
                    page.mouse.move(x, y)
            audit = page.evaluate(DOM_AUDIT)
            assert audit == {"handlers": [], "urls": [], "svg": 0}, url
            assert page.locator("img[src=x]").count() == 0, url
        page.goto(running.url)  # search results show the hostile text too: as text
        page.locator(".md-content").wait_for()
        page.keyboard.press("/")
        page.keyboard.type("onerror")
        page.locator(".md-search-result__item").first.wait_for()
        page.mouse.move(640, 300)
        assert page.evaluate(DOM_AUDIT) == {"handlers": [], "urls": [], "svg": 0}
        assert page.locator("img[src=x]").count() == 0
        page.goto(running.url + "roles/admin/")
        assert page.title().startswith(f"{PLAIN_ROLE}：我的职责")
        page.goto(running.url + "playbooks/structure/")
        assert page.title().startswith(PLAIN_TITLE)
        assert page.locator(".md-header__topic", has_text=PLAIN_TITLE).count() == 1
        labels = page.locator("#checklist-group_setup .hb-checklist__item label")
        shown = " ".join(labels.all_inner_texts())
        assert "onmouseover=alert(1101)" in shown and "<svg onload=alert(1109)>" in shown
        assert PAYLOAD in shown
        page.goto(running.url + "library/templates/")
        assert page.get_by_text(PAYLOAD + MARKDOWN_PAYLOAD).count() > 0
        page.goto(running.url + "library/facts/")
        assert page.locator("#house_at_all_cap", has_text=PAYLOAD).count() == 1
        page.goto(running.url + "playbooks/structure/")
        for link in page.locator("#checklist-group_setup label a").all():
            href = link.get_attribute("href")
            assert href is None or href.startswith(SAFE_URL), href
        assert dialogs == []
        assert page.errors == []
        ctx.close()
    finally:
        running.close()
        shutil.rmtree(out, ignore_errors=True)
