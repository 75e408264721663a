"""The data kinds. Each module describes one kind: where its files live, its schema and its
cross-checks, and the macros that render it."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from ..problems import Problem
from ..schemacheck import where
from ..yamlsource import Document


@dataclass
class Record:
    """One loaded item: its id, source file, data and line map."""

    id: str
    path: str
    doc: Document
    valid: bool = True
    calls: bool = False  # its file holds "[[", so its text may call fact/community/metric_target

    @property
    def data(self) -> dict:
        """The item's plain data."""
        return self.doc.data

    def text_line(self, at: tuple, offset: int) -> int:
        """The file line of a character offset inside the text at `at` (a block text such as
        `body: |` starts on the line after its key)."""
        text = self.doc.data
        for key in at:
            text = text[key]
        return self.doc.line(at) + ("\n" in text) + text[:offset].count("\n")

    def problem(self, at: tuple, what: str, fix: str, line: int | None = None,
                warning: bool = False) -> Problem:
        """A problem (or a warning) located at a path inside this item (or at an explicit line)."""
        loc = where(at)
        return Problem(self.path, line or self.doc.line(at), f"{loc}: {what}" if loc else what, fix,
                       warning)


@dataclass(frozen=True)
class Kind:
    """How to find, validate and cross-check one kind of item."""

    name: str  # folder under data/ (or "playbooks"), and the key in Project.records
    noun: str  # the Chinese name of one item, for messages to contributors
    schema: str  # file name in data/schemas/
    check: Callable = field(compare=False)  # (record, project) -> list[Problem]
    check_all: Callable | None = field(default=None, compare=False)  # (project) -> list[Problem],
    # for checks across every item of the kind, run once after the per-item checks


def known(ids, limit: int = 8) -> str:
    """A short comma-separated list of known ids for an error message."""
    ids = sorted(ids)
    return ", ".join(ids[:limit]) + (", …" if len(ids) > limit else "") if ids else "（还没有）"


def ref(record: Record, at: tuple, value: str, kind: str, project) -> list[Problem]:
    """A problem if `value` is not an id of `kind` in the project."""
    items = project.records[kind]
    if value in items:
        return []
    noun = project.noun(kind)
    return [record.problem(at, f"{noun}「{value}」不存在；已有的 id：{known(items)}",
                           f"用已有的 id，或者新建 data/{kind}/{value}.yml")]


def refs(record: Record, at: tuple, values, kind: str, project) -> list[Problem]:
    """Problems for every id in a list that is not an id of `kind`."""
    return [p for i, v in enumerate(values or []) for p in ref(record, at + (i,), v, kind, project)]


def ids_at(at: tuple, entries: list, key: str = "id") -> list[tuple[tuple, str]]:
    """(path, id) pairs for the entries of a list found at `at`."""
    return [(at + (i, key), entry[key]) for i, entry in enumerate(entries)]


def duplicates(record: Record, located: list[tuple[tuple, str]], label: str) -> list[Problem]:
    """Problems for ids that repeat an earlier one; `located` holds (path, id) pairs;
    `label` names the id, e.g. 步骤 id."""
    seen, problems = {}, []
    for at, value in located:
        if value in seen:
            problems.append(record.problem(
                at, f"{label}「{value}」重复了（第一次出现在第 {seen[value]} 行）",
                f"每一项用不同的{label}"))
        else:
            seen[value] = record.doc.line(at)
    return problems


def future_dates(record: Record, paths: list[tuple]) -> list[Problem]:
    """Problems for dates after tomorrow (one day of slack for time zones): a review date in the
    future would hide the item from `make stale`, and a changelog date in the future tops it."""
    latest = datetime.date.today() + datetime.timedelta(days=1)
    problems = []
    for at in paths:
        value = record.data
        for key in at:
            value = value[key]
        if datetime.date.fromisoformat(value) > latest:
            problems.append(record.problem(at, f"日期 {value} 还没到",
                                           "写实际发生的日期（不晚于今天），格式 YYYY-MM-DD"))
    return problems
