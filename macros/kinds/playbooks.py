"""Playbook front matter: version, status, owner, review dates and a changelog, newest first."""

import datetime

from jinja2 import pass_context

from .. import links
from ..pages import front_matter_problems, page_source
from ..problems import MacroError
from ..render import partial
from . import Kind, future_dates, ref

STATUS_LABELS = {"draft": "草稿", "active": "生效中", "deprecated": "已废弃"}


def semver(text: str) -> tuple[int, ...]:
    """A version string such as 1.2.0 as a comparable tuple."""
    return tuple(int(part) for part in text.split("."))


def check(record, project) -> list:
    """The owner exists; the changelog is newest first and its newest entry is `version`."""
    meta = record.data
    problems = ref(record, ("owner",), meta["owner"], "roles", project)
    problems += front_matter_problems(record.path, record.doc)
    log = meta["changelog"]
    problems += future_dates(record, [("last_reviewed",)] + [("changelog", i, "date")
                                                            for i in range(len(log))])
    if log[0]["version"] != meta["version"]:
        problems.append(record.problem(
            ("changelog", 0, "version"),
            f"最新的更新记录是 {log[0]['version']}，但 version 是 {meta['version']}",
            "在 changelog 最上面为新版本加一条记录，或者改正 version"))
    for i in range(1, len(log)):
        newer, older = log[i - 1], log[i]
        if semver(older["version"]) >= semver(newer["version"]):
            problems.append(record.problem(
                ("changelog", i, "version"),
                f"更新记录 {older['version']} 不比上面的 {newer['version']} 旧",
                "按从新到旧排列更新记录，每一条的版本号都比上一条低"))
        elif older["date"] > newer["date"]:
            problems.append(record.problem(
                ("changelog", i, "date"),
                f"更新记录 {older['version']} 的日期晚于上面的 {newer['version']}",
                "改正日期：新版本的日期不能早于旧版本"))
    for key in ("title", "chapter"):
        for other in project.holders("playbooks", key, meta[key]):
            if other is not record:
                problems.append(record.problem((key,), f"{key}「{meta[key]}」和 "
                                               f"{other.path} 重复", f"每个章节用不同的 {key}"))
    return problems


def review_due(meta: dict, reviewed: str = "last_reviewed") -> datetime.date:
    """The date by which a playbook, SOP, checklist or fact (whose date field is `reviewed`)
    is due for review again."""
    last = datetime.date.fromisoformat(meta[reviewed])
    return last + datetime.timedelta(days=meta["review_every_days"])


def current(project, source: str | None) -> dict:
    """The front matter of the playbook whose file is `source` (docs-relative, as page_source
    gives it: playbooks/<id>.md); the page's title plays no part."""
    folder, _, name = (source or "").rpartition("/")
    ident = name.removesuffix(".md")
    if folder == "playbooks" and name.endswith(".md") and ident in project.records["playbooks"]:
        return project.get("playbooks", ident)
    where = f"这一页（{source}）" if source else "这里"
    raise MacroError(f"{where}不是带头信息的手册章节",
                     "playbook_header 和 playbook_changelog 只能用在 playbooks/*.md 里")


@pass_context
def playbook_header(project, context, today: datetime.date | None = None) -> str:
    """Version, status, owner and review dates of the current playbook, with a 待复审 badge."""
    meta = current(project, page_source(context))
    due = review_due(meta)
    today = today or datetime.date.today()
    return partial("playbook_header.html", meta=meta, status_label=STATUS_LABELS[meta["status"]],
                   owner=project.role_names()[meta["owner"]],
                   owner_href=links.href(project, "roles", meta["owner"]), due=due.isoformat(),
                   overdue_days=(today - due).days if due < today else None)


@pass_context
def playbook_changelog(project, context) -> str:
    """The current playbook's own changelog, newest first, under its own heading."""
    changelog = current(project, page_source(context))["changelog"]
    return "## 本章更新日志\n\n" + partial("playbook_changelog.html", changelog=changelog)


KIND = Kind(name="playbooks", noun="手册章节", schema="playbook.schema.json", check=check)
