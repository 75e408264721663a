"""Reports across kinds: what is overdue for review, and every playbook's changelog in one list.
Used by the command line (`make stale`) and by site pages, so both say the same thing."""

import datetime
from dataclasses import dataclass

from . import links
from .kinds.playbooks import review_due, semver
from .render import partial

# (kind, label, field that names an item, field that holds the date it was last reviewed)
REVIEWED = (("playbooks", "手册章节", "title", "last_reviewed"),
            ("sops", "SOP", "title", "last_reviewed"),
            ("checklists", "检查清单", "title", "last_reviewed"),
            ("facts", "规则速查", "statement", "checked"))


@dataclass(frozen=True)
class Overdue:
    """One item past its review date."""

    kind: str
    label: str
    ident: str
    title: str
    path: str
    owner: str
    due: datetime.date
    days: int


def overdue(project, today: datetime.date) -> list[Overdue]:
    """Every playbook, SOP, checklist and fact past its review date, most overdue first."""
    names = project.role_names()
    found = []
    for kind, label, title, reviewed in REVIEWED:
        for ident, record in project.records[kind].items():
            due = review_due(record.data, reviewed)
            if due < today:
                found.append(Overdue(kind, label, ident, record.data[title], record.path,
                                     names[record.data["owner"]], due, (today - due).days))
    return sorted(found, key=lambda item: (-item.days, item.path))


def stale_text(items: list[Overdue], today: datetime.date) -> str:
    """The `make stale` report: one line per overdue item, or a line saying there is none."""
    if not items:
        return f"截至 {today.isoformat()}，没有超过复审期限的内容。"
    lines = [f"截至 {today.isoformat()}，有 {len(items)} 项超过复审期限，最急的在前："]
    lines += [f"超期 {item.days:>4} 天  {item.path}  {item.label}「{item.title}」  负责人：{item.owner}"
              for item in items]
    return "\n".join(lines)


def changelog_entries(project) -> list[dict]:
    """Every playbook changelog entry, newest first (same day: chapter order), with its playbook's
    title and link."""
    entries = [{**entry, "title": meta["title"], "chapter": meta["chapter"],
                "href": links.site(f"/playbooks/{ident}.md")}
               for ident, meta in project.items("playbooks").items() for entry in meta["changelog"]]
    entries.sort(key=lambda e: e["chapter"])  # ties stay in chapter order
    return sorted(entries, key=lambda e: (e["date"], semver(e["version"])), reverse=True)


def stale_list(project, today: datetime.date | None = None) -> str:
    """Every playbook, SOP, checklist and fact past its review date, with owner and days overdue."""
    today = today or datetime.date.today()
    return partial("stale.html", items=overdue(project, today), today=today.isoformat())


def changelog_list(project) -> str:
    """The site-wide changelog: every playbook's entries, newest first, linked to the playbook."""
    return partial("changelog.html", entries=changelog_entries(project))
