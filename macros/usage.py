"""Where each data item is embedded: a scan of the Markdown sources for macro calls, so library
pages can link to the page that shows an item without any MkDocs machinery."""

import re
from collections import defaultdict

CALL = re.compile(r"\[\[\s*(\w+)\(\s*(['\"])([a-z][a-z0-9_]*)\2")
RAW = re.compile(r"\[%-?\s*raw\s*-?%\].*?\[%-?\s*endraw\s*-?%\]", re.DOTALL)


def site_path(rel: str) -> str:
    """The docs-relative path MkDocs knows a source by, e.g. /playbooks/structure.md."""
    return "/" + (rel if rel.startswith("playbooks/") else rel.removeprefix("docs/"))


def embeds(texts: dict[str, str]) -> dict[str, dict[str, list[str]]]:
    """{macro name: {item id: [site paths of the pages that call it]}}, from the text of every
    page by its project path (see pages.read_pages); calls shown inside [% raw %] blocks are
    examples, not embeds."""
    found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for rel in sorted(texts, key=lambda rel: (rel.startswith("playbooks/"), rel)):
        for macro, _, ident in CALL.findall(RAW.sub("", texts[rel])):
            pages = found[macro][ident]
            if site_path(rel) not in pages:
                pages.append(site_path(rel))
    return found
