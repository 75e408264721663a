"""Synonym tables: colloquial words readers search for, each mapped to the handbook's own term.
The search keywords they produce are worked out in macros/search.py."""

from . import Kind


def check(record, project) -> list:
    """A colloquial word is not the term itself."""
    return [record.problem(("entries", i, "word"), f"口语说法「{entry['word']}」和术语本身相同",
                           "删掉这一条，或写读者真正会搜的另一种说法")
            for i, entry in enumerate(record.data["entries"]) if entry["word"] == entry["term"]]


KIND = Kind(name="synonyms", noun="同义词表", schema="synonym.schema.json", check=check)
