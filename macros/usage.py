"""Where each data item is embedded: a scan of the Markdown sources for macro calls, so library
pages can link to the page that shows an item without any MkDocs machinery."""

import re
from collections import defaultdict
from pathlib import Path

CALL = re.compile(r"\[\[\s*(\w+)\(\s*(['\"])([a-z][a-z0-9_]*)\2")
RAW = re.compile(r"\[%-?\s*raw\s*-?%\].*?\[%-?\s*endraw\s*-?%\]", re.DOTALL)


def site_path(root: Path, source: Path) -> str:
    """The docs-relative path MkDocs knows a source by, e.g. /playbooks/structure.md."""
    rel = source.relative_to(root).as_posix()
    return "/" + (rel if rel.startswith("playbooks/") else rel.removeprefix("docs/"))


def sources(root: Path) -> list[Path]:
    """Every Markdown page of the site (docs/ without the playbooks symlink, and playbooks/)."""
    docs = [p for p in (root / "docs").rglob("*.md") if "playbooks" not in p.relative_to(root / "docs").parts]
    return sorted(docs) + sorted((root / "playbooks").rglob("*.md"))


def embeds(root: Path) -> dict[str, dict[str, list[str]]]:
    """{macro name: {item id: [site paths of the pages that call it]}}; calls shown inside
    [% raw %] blocks are examples, not embeds."""
    found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for source in sources(root):
        for macro, _, ident in CALL.findall(RAW.sub("", source.read_text("utf-8"))):
            pages = found[macro][ident]
            if site_path(root, source) not in pages:
                pages.append(site_path(root, source))
    return found
