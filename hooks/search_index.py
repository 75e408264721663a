"""Writes Material's search index as UTF-8 text instead of `\\uXXXX` escapes (a MkDocs hook,
listed under `hooks:` in mkdocs.yml; Zensical ignores it and writes its own index).

Material's search plugin writes search/search_index.json with json.dumps' default ASCII escapes,
so every Chinese character takes six bytes instead of three. A reader downloads the whole index
before their first result, so it should be small: written as UTF-8, it is about half the size
raw and a sixth smaller gzip for this handbook, a third of the size gzip at 1,000 synthetic
playbooks (bench/results/notes.md); the data is the same. Line and paragraph separators (U+2028,
U+2029) stay escaped, because the offline zip inlines the index into a script (search_index.js)
and older JavaScript engines reject them in string literals. This hook runs after Material's
search plugin and before the offline plugin (priority -100), so the offline zip gets the smaller
text too.
"""

import json
from pathlib import Path


def as_utf8(text: str) -> str:
    """The same JSON without ASCII escapes, except for U+2028 and U+2029."""
    out = json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))
    return out.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def on_post_build(config) -> None:
    """Rewrite the built search index, if the search plugin wrote one."""
    path = Path(config["site_dir"], "search/search_index.json")
    if path.is_file():
        path.write_text(as_utf8(path.read_text("utf-8")), "utf-8")
