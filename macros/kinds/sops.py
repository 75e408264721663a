"""SOPs: recurring work as numbered steps with RACI roles, templates and checklists."""

from .. import links
from ..render import partial, sections
from . import Kind, duplicates, ids_at, ref, refs


def check(record, project) -> list:
    """Owner, metrics, step ids and every role, template and checklist a step names."""
    sop = record.data
    problems = ref(record, ("owner",), sop["owner"], "roles", project)
    problems += refs(record, ("metrics",), sop.get("metrics"), "metrics", project)
    problems += duplicates(record, ids_at(("steps",), sop["steps"]), "step id")
    for i, step in enumerate(sop["steps"]):
        at = ("steps", i)
        raci = step["raci"]
        problems += ref(record, at + ("raci", "A"), raci["A"], "roles", project)
        for letter in ("R", "C", "I"):
            problems += refs(record, at + ("raci", letter), raci.get(letter), "roles", project)
        problems += refs(record, at + ("templates",), step.get("templates"), "templates", project)
        problems += refs(record, at + ("checklists",), step.get("checklists"), "checklists", project)
    return problems


def sop(project, sop_id: str) -> str:
    """An SOP card from data/sops/, by id: trigger, steps with RACI and timing, linked items."""
    data = project.get("sops", sop_id)
    steps = [{"step": step,
              "templates": links.named_links(project, "templates", step.get("templates")),
              "checklists": links.named_links(project, "checklists", step.get("checklists"))}
             for step in data["steps"]]
    return partial("sop.html", sop=data, roles=project.role_names(), steps=steps,
                   metrics=links.named_links(project, "metrics", data.get("metrics"), "name"))


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
               "steps": [{"step": step,
                          "cells": {role: "".join(letter for letter in "RACI"
                                                  if role in roles_of(step["raci"], letter))
                                    for role in roles}}
                         for step in data["steps"]]}
              for ident, data in sorted(project.items("sops").items())]
    return partial("raci.html", roles=roles, groups=groups)


KIND = Kind(name="sops", label="SOP", noun="SOP", schema="sop.schema.json", check=check)
