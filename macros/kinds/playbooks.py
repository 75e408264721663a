"""Playbook front matter: version, status, owner, review dates and a changelog, newest first."""

import datetime

from jinja2 import pass_context

from .. import links
from ..render import partial
from . import Kind, ref

STATUS_LABELS = {"draft": "草稿", "active": "生效中", "deprecated": "已废弃"}


def semver(text: str) -> tuple[int, ...]:
    """A version string such as 1.2.0 as a comparable tuple."""
    return tuple(int(part) for part in text.split("."))


def check(record, project) -> list:
    """The owner exists; the changelog is newest first and its newest entry is `version`."""
    meta = record.data
    problems = ref(record, ("owner",), meta["owner"], "roles", project)
    log = meta["changelog"]
    if log[0]["version"] != meta["version"]:
        problems.append(record.problem(
            ("changelog", 0, "version"),
            f'the newest changelog entry is {log[0]["version"]} but version is {meta["version"]}',
            "add a changelog entry for the new version at the top, or fix version"))
    for i in range(1, len(log)):
        newer, older = log[i - 1], log[i]
        if semver(older["version"]) >= semver(newer["version"]):
            problems.append(record.problem(
                ("changelog", i, "version"),
                f'changelog entry {older["version"]} is not older than {newer["version"]} above it',
                "list entries newest first, each with a lower version than the one above"))
        elif older["date"] > newer["date"]:
            problems.append(record.problem(
                ("changelog", i, "date"),
                f'changelog entry {older["version"]} is dated after {newer["version"]} above it',
                "fix the dates: a newer version cannot be older than the one before it"))
    for key in ("title", "chapter"):
        for other in project.holders("playbooks", key, meta[key]):
            if other is not record:
                problems.append(record.problem((key,), f'{key} "{meta[key]}" is also used by '
                                               f"{other.path}", f"give each playbook its own {key}"))
    return problems


def review_due(meta: dict, reviewed: str = "last_reviewed") -> datetime.date:
    """The date by which a playbook, SOP, checklist or fact (whose date field is `reviewed`)
    is due for review again."""
    last = datetime.date.fromisoformat(meta[reviewed])
    return last + datetime.timedelta(days=meta["review_every_days"])


def current(project, context) -> dict:
    """The front matter of the playbook being rendered, found by the page title in the context."""
    title = context.get("title")
    for meta in project.items("playbooks").values():
        if meta["title"] == title:
            return meta
    raise LookupError(f"this page is not a playbook with front matter (title {title!r}); "
                      "playbook macros only work in playbooks/*.md")


@pass_context
def playbook_header(project, context, today: datetime.date | None = None) -> str:
    """Version, status, owner and review dates of the current playbook, with a 待复审 badge."""
    meta = current(project, context)
    due = review_due(meta)
    today = today or datetime.date.today()
    return partial("playbook_header.html", meta=meta, status_label=STATUS_LABELS[meta["status"]],
                   owner=project.role_names()[meta["owner"]],
                   owner_href=links.href(project, "roles", meta["owner"]), due=due.isoformat(),
                   overdue_days=(today - due).days if due < today else None)


@pass_context
def playbook_changelog(project, context) -> str:
    """The current playbook's own changelog, newest first, under its own heading."""
    changelog = current(project, context)["changelog"]
    return "## 本章更新日志\n\n" + partial("playbook_changelog.html", changelog=changelog)


KIND = Kind(name="playbooks", label="playbook", noun="手册章节", schema="playbook.schema.json", check=check)
