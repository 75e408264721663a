"""Roles: who is on the team. Other kinds refer to roles by id."""

import dataclasses

from .. import identity, links
from ..pages import plain_problem
from ..problems import Problem
from ..render import md_text, partial, sections
from . import Kind
from .sops import roles_of


def check(record, project) -> list:
    """A role's name is the title of its "我的职责" page (docs/roles/<id>.md), which the theme prints
    unescaped like every page title (in <title> after unescaping entities): it must be plain text."""
    return plain_problem(record.path, record.doc.line(("name",)), "角色名（也是「我的职责」页的标题）",
                         record.data["name"])


def name_hints(problems: list, project) -> list:
    """Problems where a role's Chinese name stands in place of its id get a fix naming that id."""
    ids = {record.data["name"]: ident for ident, record in project.records["roles"].items()
           if record.valid}
    return [dataclasses.replace(p, fix=f"写角色的 id：把「{name}」改成 {ids[name]}")
            if (name := next((n for n in ids if p.what.endswith(f"「{n}」的格式不对")), None)) else p
            for p in problems]


def role_card(project, role_id: str) -> str:
    """A role card from data/roles/, by id: summary, responsibilities and permissions."""
    return partial("role_card.html", role=project.get("roles", role_id),
                   page=links.href(project, "roles", role_id),
                   edit=identity.edit_data_url(project, "roles", role_id))


def library(project) -> str:
    """Every role in data/, each as a card under its own heading."""
    return sections((data["name"], role_card(project, ident))
                    for ident, data in project.items("roles").items())


def role_page(project, role_id: str) -> str:
    """A role's "我的职责" page: its SOP steps (R or A), checklists, playbooks and reading order."""
    role = project.get("roles", role_id)
    steps = [{"sop": sop, "href": links.href(project, "sops", sop_id) , "step": step, "number": n,
              "letters": "".join(x for x in "RA" if role_id in roles_of(step["raci"], x))}
             for sop_id, sop in sorted(project.items("sops").items())
             for n, step in enumerate(sop["steps"], 1)
             if role_id in roles_of(step["raci"], "R") + roles_of(step["raci"], "A")]
    checklist_ids = [ident for ident, checklist in sorted(project.items("checklists").items())
                     if checklist["owner"] == role_id
                     or any(item["owner"] == role_id for group in checklist["groups"]
                            for item in group["items"])]
    chapters = sorted(project.items("playbooks").items(), key=lambda pair: pair[1]["chapter"])
    owned = [ident for ident, meta in chapters if meta["owner"] == role_id]
    involved = involved_chapters(project, role_id, {step["sop"]["id"] for step in steps},
                                 set(checklist_ids))
    reading = [{"text": meta["title"], "href": links.site(f"/playbooks/{ident}.md")}
               for ident, meta in chapters if ident in owned or ident in involved]
    reading.append({"text": "角色与职责（RACI 矩阵）", "href": links.site("/library/roles.md#raci-矩阵")})
    body = partial("role_page.html", role=role, steps=steps,
                   edit=identity.edit_data_url(project, "roles", role_id),
                   checklists=links.named_links(project, "checklists", checklist_ids),
                   playbooks=[{"text": project.get("playbooks", i)["title"],
                               "href": links.site(f"/playbooks/{i}.md")} for i in owned],
                   reading=reading)
    return f"# {md_text(role['name'])}：我的职责\n\n{body}"


def involved_chapters(project, role_id: str, sop_ids: set, checklist_ids: set) -> set[str]:
    """Playbooks that embed one of the role's SOPs or checklists, or its role card."""
    embeds = project.embeds
    pages = {page for ident in sop_ids for page in embeds.get("sop", {}).get(ident, [])}
    pages |= {page for ident in checklist_ids for page in embeds.get("checklist", {}).get(ident, [])}
    pages |= set(embeds.get("role_card", {}).get(role_id, []))
    return {page.removeprefix("/playbooks/").removesuffix(".md") for page in pages
            if page.startswith("/playbooks/")}


def pages(project) -> list:
    """Every role has its page docs/roles/<id>.md that calls role_page, and every page there a role
    (checked where the project has role pages, i.e. a docs/roles/ folder: data-only test projects
    have none; calls as read by the loader)."""
    folder = project.root / "docs/roles"
    if not folder.is_dir():
        return []
    calls = project.embeds.get("role_page", {})
    problems = [Problem(record.path, 1, f"角色“{ident}”没有自己的页面 docs/roles/{ident}.md",
                        f"新建 docs/roles/{ident}.md，内容照抄其他角色的页面，把 id 换成 {ident}")
                for ident, record in project.records["roles"].items()
                if f"/roles/{ident}.md" not in calls.get(ident, [])]
    problems += [Problem(page.relative_to(project.root).as_posix(), 1,
                         f"data/roles/ 里没有 id 为“{page.stem}”的角色，这个页面没有内容可显示",
                         f"删掉这个页面，或者新建 data/roles/{page.stem}.yml")
                 for page in sorted(folder.glob("*.md")) if page.stem not in project.records["roles"]]
    return problems


KIND = Kind(name="roles", noun="角色", schema="role.schema.json", check=check, check_all=pages)
