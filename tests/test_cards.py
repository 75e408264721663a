"""Every card reaches its data: a 「编辑数据」 link to its YAML file (at the line of its id) on the
repository named in handbook.yml, the role id on role cards, library pages whose edit button opens
their data folder, and no link at all when handbook.yml names no repository."""

import html
import re
from pathlib import Path

from bench.synth import ROOT, copy_project
from conftest import build_site
from macros import identity

REPO = identity.read(ROOT)[0].data["repo"]
# The outer element of each card (attributes in any order): its class and id.
DIV = re.compile(r"<div\b([^>]*)>")
CARD_CLASSES = {"hb-card hb-sop", "hb-card hb-template", "hb-card hb-metric", "hb-card hb-role",
                "hb-checklist"}
FOLDERS = {"sop": "sops", "template": "templates", "metric": "metrics", "role": "roles",
           "checklist": "checklists"}
EDIT_DATA = re.compile(r'<a class="hb-edit-data" href="([^"]+)"[^>]*>编辑数据</a>')
LIBRARIES = ("sops", "checklists", "templates", "metrics")


def id_line(path: Path, ident: str) -> int:
    """The line of `id: <ident>` in a data file, found by reading the file itself."""
    lines = path.read_text("utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.strip() == f"id: {ident}")


def card_links(page: str) -> list[tuple[str, str, list[str]]]:
    """(kind, id, edit-data addresses) for every card on a page: the links between the card's
    start and its first paragraph's end (the kicker, or a checklist's title)."""
    found = []
    for div in DIV.finditer(page):
        attributes = dict(re.findall(r'([a-z-]+)="([^"]*)"', div[1]))
        if attributes.get("class") in CARD_CLASSES:
            kind, ident = attributes["id"].split("-", 1)
            head = page[div.end():page.index("</p>", div.end())]
            found.append((kind, ident, [html.unescape(href) for href in EDIT_DATA.findall(head)]))
    return found


def test_every_card_on_every_page_links_its_own_data_file(site):
    """Each SOP, checklist, template, metric and role card, in its library, embedded in a chapter or
    on a role page, carries one 编辑数据 link: the host's edit address of its own file, which exists,
    at the line where its id is; every item of the five kinds is shown somewhere with one."""
    seen = {kind: set() for kind in FOLDERS}
    for path in site.rglob("*.html"):
        for kind, ident, hrefs in card_links(path.read_text("utf-8")):
            data = ROOT / "data" / FOLDERS[kind] / f"{ident}.yml"
            assert data.is_file(), (path, ident)
            rel = data.relative_to(ROOT).as_posix()
            assert hrefs == [identity.source_url(REPO, rel, "edit", id_line(data, ident))], (path, ident)
            assert f"#L{id_line(data, ident)}" in hrefs[0]
            seen[kind].add(ident)
    for kind, folder in FOLDERS.items():
        assert seen[kind] == {p.stem for p in (ROOT / "data" / folder).glob("*.yml")}, kind


def test_raci_matrix_links_each_sops_data_file(site):
    """Each SOP's row group in the RACI matrix links to that SOP's file as well as its card."""
    page = (site / "library/roles/index.html").read_text("utf-8")
    matrix = page[page.index('id="raci-matrix"'):]
    matrix = matrix[:matrix.index("</table>")]
    expected = [identity.source_url(REPO, f"data/sops/{p.stem}.yml", "edit", id_line(p, p.stem))
                for p in sorted((ROOT / "data/sops").glob("*.yml"))]
    assert [html.unescape(href) for href in EDIT_DATA.findall(matrix)] == expected


def test_role_cards_show_the_id_to_write(site):
    """Role cards in the library and on each role's own page show the role's id in their kicker."""
    library = (site / "library/roles/index.html").read_text("utf-8")
    for path in (ROOT / "data/roles").glob("*.yml"):
        ident = path.stem
        own = (site / "roles" / ident / "index.html").read_text("utf-8")
        for page in (library, own):
            start = page.index(f'id="role-{ident}"')
            kicker = page[start:page.index("</p>", start)]
            assert re.search(rf"角色 · <code[^>]*>{ident}</code>", kicker), ident


def test_library_pages_edit_button_opens_the_data_folder(site):
    """On the SOP, checklist, template and metric libraries the edit button opens the folder the
    cards come from (which exists); the view button still shows the page's own Markdown."""
    for name in LIBRARIES:
        page = (site / "library" / name / "index.html").read_text("utf-8")
        assert (ROOT / "data" / name).is_dir()
        edit = re.search(r'<a href="([^"]+)" title="([^"]+)" class="md-content__button md-icon" '
                         r'rel="edit"', page)
        assert html.unescape(edit[1]) == identity.source_url(REPO, f"data/{name}/", "folder"), name
        assert f"data/{name}/" in edit[2]
        view = identity.source_url(REPO, f"docs/library/{name}.md", "view")
        assert f'href="{view}"' in page, name


def test_line_marks_and_folders_on_each_host():
    """The edit address of a line and a folder's address follow each host's scheme."""
    file, folder = "data/sops/a.yml", "data/sops/"
    github = {"url": "https://github.com/acme/handbook", "branch": "main"}
    gitee = {"url": "https://gitee.com/acme/handbook", "branch": "master"}
    gitlab = {"url": "https://code.example.cn/ops/handbook", "branch": "main", "host": "gitlab"}
    assert identity.source_url(github, file, "edit", 7) == "https://github.com/acme/handbook/edit/main/data/sops/a.yml#L7"
    assert identity.source_url(gitee, file, "edit", 2) == "https://gitee.com/acme/handbook/edit/master/data/sops/a.yml#L2"
    assert identity.source_url(gitlab, file, "edit", 3) == "https://code.example.cn/ops/handbook/-/edit/main/data/sops/a.yml#L3"
    assert identity.source_url(github, folder, "folder") == "https://github.com/acme/handbook/tree/main/data/sops/"
    assert identity.source_url(gitee, folder, "folder") == "https://gitee.com/acme/handbook/tree/master/data/sops/"
    assert identity.source_url(gitlab, folder, "folder") == "https://code.example.cn/ops/handbook/-/tree/main/data/sops/"


def without_repository(root: Path) -> None:
    """Delete the `repo:` block from a project's handbook.yml, as a team without a web repository."""
    path = root / "handbook.yml"
    text = path.read_text("utf-8")
    block = re.search(r"^repo:\n(?:(?:  .*|\s*)\n)*", text, re.M)
    path.write_text(text[:block.start()] + text[block.end():], "utf-8")
    assert "repo" not in identity.read(root)[0].data


def test_without_a_repository_no_card_or_page_has_an_edit_link(tmp_path):
    """With no repository in handbook.yml the strict build passes, and no page has a 编辑数据 link,
    an edit or view button, or a link to an issue tracker; the cards are still there."""
    root = copy_project(tmp_path / "project")
    without_repository(root)
    out = tmp_path / "site"
    result = build_site(root, out)
    assert result.returncode == 0, result.stderr
    pages = {p: p.read_text("utf-8") for p in out.rglob("*.html")}
    assert sum(len(card_links(page)) for page in pages.values()) > 100
    for path, page in pages.items():
        assert "hb-edit-data" not in page and 'rel="edit"' not in page, path
        assert "md-content__button" not in page and "/issues" not in page, path


def test_edit_data_links_read_on_a_phone_in_both_schemes_and_vanish_in_print(browser, site, server):
    """On a phone the link is visible, at least 12 px, tall enough to tap and not the colour of the
    card in the light or the dark scheme (its contrast is axe's, in test_components_browser.py);
    printed, it is gone."""
    phone = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True,
                                locale="zh-CN")
    page = phone.new_page()
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme, media="screen")
        page.goto(server.url + "playbooks/structure/")
        link = page.locator(".hb-sop .hb-edit-data").first
        assert link.is_visible()
        box = link.bounding_box()
        assert box["x"] + box["width"] <= 360 and box["height"] >= 20
        style = link.evaluate("a => [getComputedStyle(a).fontSize, getComputedStyle(a).color,"
                              " getComputedStyle(a.closest('.hb-card')).backgroundColor,"
                              " getComputedStyle(document.body).backgroundColor]")
        assert float(style[0].removesuffix("px")) >= 12
        assert style[1] not in (style[2], style[3]), scheme
    page.emulate_media(media="print")
    assert page.locator(".hb-edit-data").first.is_hidden()
    assert page.locator(".hb-sop").first.is_visible()
    phone.close()
