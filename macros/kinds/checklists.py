"""Checklists: grouped items to tick, whose ticks the browser keeps by item id."""

from .. import links
from ..render import partial
from . import Kind, duplicates, future_dates, ids_at, ref


def site_link_target(root, link: str):
    """The source file a site link like /playbooks/x.md#a points at, or None for a web URL."""
    if not link.startswith("/"):
        return None
    path = link.split("#", 1)[0].lstrip("/")
    return root / path if path.startswith("playbooks/") else root / "docs" / path


def check(record, project) -> list:
    """Owner, unique group and item ids, item owners and site links that resolve."""
    checklist = record.data
    problems = ref(record, ("owner",), checklist["owner"], "roles", project)
    problems += future_dates(record, [("last_reviewed",)])
    problems += duplicates(record, ids_at(("groups",), checklist["groups"]), "分组 id")
    items = [(("groups", g, "items", i), item)
             for g, group in enumerate(checklist["groups"])
             for i, item in enumerate(group["items"])]
    problems += duplicates(record, [(at + ("id",), item["id"]) for at, item in items], "条目 id")
    for at, item in items:
        problems += ref(record, at + ("owner",), item["owner"], "roles", project)
        target = site_link_target(project.root, item.get("link", ""))
        if target is not None and not target.is_file():
            problems.append(record.problem(
                at + ("link",), f"链接「{item['link']}」指向的页面不存在",
                "链接到一个存在的文件，例如 /playbooks/positioning.md"))
    return problems


def checklist(project, checklist_id: str) -> str:
    """An interactive checklist from data/checklists/, by id; ticks are kept in the browser."""
    data = project.get("checklists", checklist_id)
    roles = project.role_names()
    return partial("checklist.html", checklist=data, roles=roles)


def library(project) -> str:
    """Every checklist in data/, each linked to the page that shows it (or shown right here)."""
    roles = project.role_names()
    rows, orphans = [], []
    for ident, data in sorted(project.items("checklists").items()):
        if not project.embeds.get("checklist", {}).get(ident):
            orphans.append(data)
        items = [item for group in data["groups"] for item in group["items"]]
        rows.append({"checklist": data, "href": links.href(project, "checklists", ident),
                     "items": len(items), "required": sum(item["required"] for item in items)})
    table = partial("checklist_library.html", rows=rows, roles=roles)
    return "\n\n".join([table] + [partial("checklist.html", checklist=c, roles=roles) for c in orphans])


KIND = Kind(name="checklists", noun="检查清单",
            schema="checklist.schema.json", check=check)
