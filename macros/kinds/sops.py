"""SOPs: recurring work as numbered steps with RACI roles, templates and checklists."""

from .. import identity, links
from ..render import partial, sections
from . import Kind, duplicates, future_dates, ids_at, ref, refs


def check(record, project) -> list:
    """Owner, metrics, step ids and every role, template and checklist a step names."""
    sop = record.data
    problems = ref(record, ("owner",), sop["owner"], "roles", project)
    problems += future_dates(record, [("last_reviewed",)])
    problems += refs(record, ("metrics",), sop.get("metrics"), "metrics", project)
    problems += duplicates(record, ids_at(("steps",), sop["steps"]), "步骤 id")
    for i, step in enumerate(sop["steps"]):
        at = ("steps", i)
        raci = step["raci"]
        problems += ref(record, at + ("raci", "A"), raci["A"], "roles", project)
        for letter in ("R", "C", "I"):
            problems += refs(record, at + ("raci", letter), raci.get(letter), "roles", project)
        problems += refs(record, at + ("templates",), step.get("templates"), "templates", project)
        problems += refs(record, at + ("checklists",), step.get("checklists"), "checklists", project)
    return problems + owner_warnings(record, project)


def owner_warnings(record, project) -> list:
    """A warning when the SOP's owner is neither R nor A on any of its steps."""
    sop = record.data
    owner = sop["owner"]
    if any(owner in roles_of(step["raci"], "R") + roles_of(step["raci"], "A") for step in sop["steps"]):
        return []
    name = project.role_names().get(owner, owner)
    return [record.problem(("owner",), f"SOP 负责人{name}（{owner}）在任何一步里都既不是执行人（R），"
                           "也不是拍板人（A）",
                           f"让{name}在它对结果负责的步骤里做 A（或 R）；如果另有角色真正负责这个 SOP，"
                           "把 owner 改成那个角色", warning=True)]


def accountable_share(project) -> list:
    """A warning for each role that is A on more than half of all SOP steps, at its role file."""
    steps = [step for record in project.records["sops"].values() if record.valid
             for step in record.data["steps"]]
    counts: dict[str, int] = {}
    for step in steps:
        counts[step["raci"]["A"]] = counts.get(step["raci"]["A"], 0) + 1
    warnings = []
    for role_id, count in sorted(counts.items()):
        role = project.records["roles"].get(role_id)
        if count * 2 <= len(steps) or role is None or not role.valid:
            continue
        name = role.data["name"]
        warnings.append(role.problem(
            (), f"{name}（{role_id}）是全部 {len(steps)} 个 SOP 步骤中 {count} 个的拍板人（A），"
            "超过一半", f"每一步的 A 应是对这一步结果负责的角色，通常是 SOP 的负责人；只把真正由{name}"
            f"拍板的决定留给{name}，其余步骤的 A 改成 SOP 的 owner 或执行这一步的角色",
            line=role.doc.line(("id",)), warning=True))
    return warnings


def sop(project, sop_id: str) -> str:
    """An SOP card from data/sops/, by id: trigger, steps with RACI and timing, linked items."""
    data = project.get("sops", sop_id)
    steps = [{"step": step,
              "templates": links.named_links(project, "templates", step.get("templates")),
              "checklists": links.named_links(project, "checklists", step.get("checklists"))}
             for step in data["steps"]]
    return partial("sop.html", sop=data, roles=project.role_names(), steps=steps,
                   metrics=links.named_links(project, "metrics", data.get("metrics"), "name"),
                   edit=identity.edit_data_url(project, "sops", sop_id))


def library(project) -> str:
    """Every SOP in data/, each as a card under its own heading."""
    return sections((data["title"], sop(project, ident))
                    for ident, data in sorted(project.items("sops").items()))


def roles_of(raci: dict, letter: str) -> list[str]:
    """The role ids under one RACI letter (A holds one id, the others a list)."""
    value = raci.get(letter) or []
    return [value] if isinstance(value, str) else value


def raci_matrix(project) -> str:
    """The RACI matrix: every SOP step as a row, every role as a column."""
    roles = project.role_names()
    groups = [{"sop": data, "href": links.href(project, "sops", ident),
               "edit": identity.edit_data_url(project, "sops", ident),
               "steps": [{"step": step,
                          "cells": {role: "".join(letter for letter in "RACI"
                                                  if role in roles_of(step["raci"], letter))
                                    for role in roles}}
                         for step in data["steps"]]}
              for ident, data in sorted(project.items("sops").items())]
    return partial("raci.html", roles=roles, groups=groups)


KIND = Kind(name="sops", noun="SOP", schema="sop.schema.json", check=check,
            check_all=accountable_share)
