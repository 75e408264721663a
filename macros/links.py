"""Site links to data items, written as docs-relative Markdown targets (`/library/…md#…`).

MkDocs turns them into relative URLs and fails the strict build if a page or anchor is
missing, so a link can never silently break. Every item has an anchor on its library page."""

LIBRARY = {
    "sops": ("/library/sops.md", "sop"),
    "templates": ("/library/templates.md", "template"),
    "metrics": ("/library/metrics.md", "metric"),
    "roles": ("/library/roles.md", "role"),
    "facts": ("/library/facts.md", ""),  # a fact's anchor is its bare id
}
ROLE_PAGES = "/roles/{}.md"  # one generated "我的职责" page per role (macros/role_pages.py)


def anchor(kind: str, ident: str) -> str:
    """The HTML id an item's component carries, e.g. sop-new_member_welcome (a fact: its id)."""
    prefix = LIBRARY[kind][1] if kind in LIBRARY else kind.rstrip("s")
    return f"{prefix}-{ident}" if prefix else ident


def href(project, kind: str, ident: str) -> str:
    """Where an item is shown: checklists on the page that embeds them, roles on their own page,
    the rest in their library."""
    if kind == "roles":
        return ROLE_PAGES.format(ident)
    if kind == "checklists":
        pages = project.embeds.get("checklist", {}).get(ident) or ["/library/checklists.md"]
        return f"{pages[0]}#{anchor(kind, ident)}"
    return f"{LIBRARY[kind][0]}#{anchor(kind, ident)}"


def named_links(project, kind: str, ids, field: str = "title") -> list[dict]:
    """[{text, href}] for a list of item ids, using each item's title (or `field`)."""
    return [{"text": project.get(kind, ident)[field], "href": href(project, kind, ident)}
            for ident in ids or []]
