"""Search keywords: the words readers type that the handbook never writes (slang, abbreviations,
synonyms). Playbooks, SOPs, checklists, templates and metrics may list `keywords`; a synonym table
in data/synonyms/ maps a colloquial word to the handbook's own term. Each page gets the words that
concern it as front-matter `tags`, which Material indexes with a large boost and, without its tags
plugin, never shows on the page. Everything here is plain data: no MkDocs object is touched."""

import re
from collections import defaultdict

from . import links, pages, usage
from .problems import Problem

# kind -> (macro that embeds one item, field holding its title, library page)
ITEMS = {
    "sops": ("sop", "title", links.LIBRARY["sops"][0]),
    "checklists": ("checklist", "title", "/library/checklists.md"),
    "templates": ("template", "title", links.LIBRARY["templates"][0]),
    "metrics": (None, "name", links.LIBRARY["metrics"][0]),  # chapters list many metrics at once
}
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def strings(value, skip: str = "keywords"):
    """Every text inside a data item, except under the `skip` key."""
    if isinstance(value, dict):
        return [s for key, inner in value.items() if key != skip for s in strings(inner, skip)]
    if isinstance(value, list):
        return [s for inner in value for s in strings(inner, skip)]
    return [value] if isinstance(value, str) else []


def pages_of(project, kind: str, ident: str) -> list[str]:
    """The site paths of the pages that show an item: the chapters embedding it and its library."""
    macro, _, library = ITEMS[kind]
    embedded = project.embeds.get(macro, {}).get(ident, []) if macro else []
    return list(dict.fromkeys([*embedded, library]))


def headings(project) -> dict[str, list[str]]:
    """{site path: the page's title and headings}, from the Markdown sources and playbook titles."""
    found = defaultdict(list)
    for rel, text in project.pages.items():
        found[usage.site_path(rel)] += HEADING.findall(pages.body(text))
    for ident, meta in project.items("playbooks").items():
        found[f"/playbooks/{ident}.md"].append(meta["title"])
    return found


def item_titles(project) -> dict[str, list[str]]:
    """{site path: the titles of the items the page shows}."""
    found = defaultdict(list)
    for kind, (_, field, _) in ITEMS.items():
        for ident, data in project.items(kind).items():
            for page in pages_of(project, kind, ident):
                found[page].append(data[field])
    return found


def claims(project) -> list[tuple[str, object, tuple, list[str]]]:
    """(keyword, record, location, pages) for every keyword of every playbook and item."""
    found = []
    for ident, record in project.records["playbooks"].items():
        if record.valid:
            found += [(word, record, ("keywords", i), [f"/playbooks/{ident}.md"])
                      for i, word in enumerate(record.data.get("keywords", []))]
    for kind in ITEMS:
        for ident, record in project.records[kind].items():
            if record.valid:
                pages = pages_of(project, kind, ident)
                found += [(word, record, ("keywords", i), pages)
                          for i, word in enumerate(record.data.get("keywords", []))]
    return found


def synonyms(project) -> list[tuple[str, object, tuple, str]]:
    """(word, record, location, term) for every entry of every synonym table."""
    return [(entry["word"], record, ("entries", i, "word"), entry["term"])
            for record in project.records["synonyms"].values() if record.valid
            for i, entry in enumerate(record.data["entries"])]


def own_text(project, record) -> str:
    """The words a page already shows for this item: a playbook's Markdown, an item's texts."""
    if record.path.startswith("playbooks/"):
        return pages.body(project.pages[record.path])
    return "\n".join(strings(record.data))


def term_pages(term: str, titles: tuple[dict, dict]) -> list[str]:
    """The pages with `term` in their title or a heading; failing those, the pages showing an item
    with `term` in its title. (A page that only mentions the term in passing is not about it.)"""
    for found in titles:
        pages = sorted(page for page, names in found.items() if any(term in name for name in names))
        if pages:
            return pages
    return []


def problems(project) -> list[Problem]:
    """Keywords the page already uses (they add nothing) and synonyms whose term no page is about."""
    found = []
    for word, record, at, _ in claims(project):
        if word.lower() in own_text(project, record).lower():
            found.append(record.problem(
                at, f"搜索关键词「{word}」在正文里已经出现，搜索本来就能找到",
                "删掉它；keywords 只写读者会搜、但正文没有写的叫法"))
    titles = (headings(project), item_titles(project)) if project.records["synonyms"] else ()
    for word, record, at, term in synonyms(project):
        if not term_pages(term, titles):
            found.append(record.problem(
                at[:-1] + ("term",), f"术语「{term}」没有出现在任何页面的标题、小标题或条目标题里，"
                f"「{word}」因此找不到页面", "改成手册标题里的写法，例如「沉默成员」"))
    return found


def warnings(project) -> list[Problem]:
    """A keyword or colloquial word claimed twice: only one place should answer it."""
    claimed = [(word.lower(), record, at) for word, record, at, _ in claims(project)]
    claimed += [(word.lower(), record, at) for word, record, at, _ in synonyms(project)]
    first, found = {}, []
    for word, record, at in claimed:
        if word in first:
            other, other_at = first[word]
            found.append(record.problem(
                at, f"搜索关键词「{word}」也写在 {other.path}:{other.doc.line(other_at)}",
                "同一个词只留在最该被搜到的那一处，删掉另一处", warning=True))
        else:
            first[word] = (record, at)
    return found


def page_tags(project) -> dict[str, list[str]]:
    """{site path: the search keywords of that page}, for front-matter `tags`."""
    tags = defaultdict(list)
    for word, _, _, shown_on in claims(project):
        for page in shown_on:
            tags[page].append(word)
    titles = (headings(project), item_titles(project)) if project.records["synonyms"] else ()
    for word, _, _, term in synonyms(project):
        for page in term_pages(term, titles):
            tags[page].append(word)
    return {page: list(dict.fromkeys(words)) for page, words in tags.items()}
