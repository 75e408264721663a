"""Checklists: grouped items to tick, whose ticks the browser keeps by item id."""

from .. import identity, links, pages
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
        problems += link_problems(record, at + ("link",), item.get("link", ""), project)
    return problems


def component_anchors(project) -> set[str]:
    """The anchors macros give the items they show (sop-…, template-…, a fact's id, …): known
    from the data, since the check reads pages before any macro renders them."""
    return {links.anchor(kind, ident) for kind in (*links.LIBRARY, "checklists")
            for ident in project.items(kind)}


def link_problems(record, at: tuple, link: str, project) -> list:
    """A site link must reach an existing page and, after #, one of that page's headings."""
    target = site_link_target(project.root, link)
    if target is None:
        return []
    if not target.is_file():
        return [record.problem(at, f"链接「{link}」指向的页面不存在",
                               "链接到一个存在的文件，例如 /playbooks/positioning.md")]
    anchor = link.partition("#")[2]
    text = project.pages.get(target.relative_to(project.root).as_posix())
    found = pages.anchors(text) if anchor and text is not None else None
    if found is None or anchor in found or anchor in component_anchors(project):
        return []
    return [record.problem(at, f"链接「{link}」里的锚点「#{anchor}」在那一页找不到",
                           f"改成那一页已有的小标题锚点，例如 #{sorted(found)[0]}" if found
                           else "那一页没有小标题，去掉 # 后面的部分")]


def checklist(project, checklist_id: str) -> str:
    """An interactive checklist from data/checklists/, by id; ticks are kept in the browser."""
    data = project.get("checklists", checklist_id)
    roles = project.role_names()
    return partial("checklist.html", checklist=data, roles=roles,
                   edit=identity.edit_data_url(project, "checklists", checklist_id))


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
    return "\n\n".join([table] + [checklist(project, c["id"]) for c in orphans])


KIND = Kind(name="checklists", noun="检查清单",
            schema="checklist.schema.json", check=check)
