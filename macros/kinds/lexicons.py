"""Lexicons: phrases platforms treat as 诱导分享, 营销骚扰 or 夸大宣传, with a safer wording."""

from . import Kind, duplicates, ids_at


def check(record, project) -> list:
    """Each phrase is listed once."""
    return duplicates(record, ids_at(("entries",), record.data["entries"], "phrase"), "词语")


def entries(project) -> list[dict]:
    """Every risky phrase of every lexicon."""
    return [entry for lexicon in project.items("lexicons").values() for entry in lexicon["entries"]]


KIND = Kind(name="lexicons", noun="词库", schema="lexicon.schema.json", check=check)
