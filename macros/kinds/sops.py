"""SOPs: recurring work as numbered steps with RACI roles, templates and checklists."""

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


KIND = Kind(name="sops", label="SOP", schema="sop.schema.json", check=check)
