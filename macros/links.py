"""Site links to data items, as Markdown targets relative to the page being rendered
(`../library/…md#…`), which MkDocs and Zensical both resolve to URLs.

Items are found by docs-absolute paths (`/library/…md#…`); `site` makes them page-relative while
a macro renders a page (`on_page`). MkDocs fails the strict build if a page or anchor is missing,
and the built HTML of both builders is link-checked by the tests. Every item has an anchor on its
library page."""

import posixpath
from contextlib import contextmanager
from contextvars import ContextVar

PAGE: ContextVar[str | None] = ContextVar("page", default=None)  # docs-relative source path

LIBRARY = {
    "sops": ("/library/sops.md", "sop"),
    "templates": ("/library/templates.md", "template"),
    "metrics": ("/library/metrics.md", "metric"),
    "roles": ("/library/roles.md", "role"),
    "facts": ("/library/facts.md", ""),  # a fact's anchor is its bare id
}
ROLE_PAGES = "/roles/{}.md"  # one "我的职责" page per role (docs/roles/, checked by the loader)


@contextmanager
def on_page(path: str | None):
    """Within this block, links are written relative to the page at `path` (docs-relative)."""
    token = PAGE.set(path)
    try:
        yield
    finally:
        PAGE.reset(token)


def site(target: str) -> str:
    """A docs-absolute target (/library/sops.md#sop-x) as seen from the page being rendered
    (../library/sops.md#sop-x); unchanged outside a page, and for web URLs and bare anchors."""
    page = PAGE.get()
    if page is None or not target.startswith("/"):
        return target
    path, mark, fragment = target[1:].partition("#")
    return posixpath.relpath(path, posixpath.dirname(page) or ".") + mark + fragment


def anchor(kind: str, ident: str) -> str:
    """The HTML id an item's component carries, e.g. sop-new_member_welcome (a fact: its id)."""
    prefix = LIBRARY[kind][1] if kind in LIBRARY else kind.rstrip("s")
    return f"{prefix}-{ident}" if prefix else ident


def href(project, kind: str, ident: str) -> str:
    """Where an item is shown: checklists on the page that embeds them, roles on their own page,
    the rest in their library."""
    if kind == "roles":
        return site(ROLE_PAGES.format(ident))
    if kind == "checklists":
        pages = project.embeds.get("checklist", {}).get(ident) or ["/library/checklists.md"]
        return site(f"{pages[0]}#{anchor(kind, ident)}")
    return site(f"{LIBRARY[kind][0]}#{anchor(kind, ident)}")


def named_links(project, kind: str, ids, field: str = "title") -> list[dict]:
    """[{text, href}] for a list of item ids, using each item's title (or `field`)."""
    return [{"text": project.get(kind, ident)[field], "href": href(project, kind, ident)}
            for ident in ids or []]
