"""Writes one stub page per role (roles/<id>.md) for mkdocs-gen-files, so a role added to
data/roles/ gets its "我的职责" page without editing any page. The stub only calls the
`role_page` macro; file names are the ids (the loader checks that), so no YAML is read here."""

from pathlib import Path

import mkdocs_gen_files

ROOT = Path(__file__).resolve().parent.parent
SEARCH_BOOST = 0.3  # a role page lists the SOP steps a role takes part in: the chapter is the answer

for source in sorted((ROOT / "data/roles").glob("*.yml")):
    with mkdocs_gen_files.open(f"roles/{source.stem}.md", "w") as page:
        page.write(f"---\nsource: data/roles/{source.name}\nsearch:\n  boost: {SEARCH_BOOST}\n---\n\n"
                   f"[[ role_page(\"{source.stem}\") ]]\n")
