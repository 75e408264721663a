"""Metrics: a formula over named inputs, with a unit, a direction and a target band."""

from .. import formula
from . import Kind, duplicates, ids_at, known, ref


def check(record, project) -> list:
    """Owner, unique inputs, a formula that parses and uses exactly the inputs, a sane band."""
    metric = record.data
    problems = ref(record, ("owner",), metric["owner"], "roles", project)
    problems += duplicates(record, ids_at(("inputs",), metric["inputs"]), "input id")
    inputs = [i["id"] for i in metric["inputs"]]
    try:
        used = formula.names(formula.parse(metric["formula"]))
    except formula.FormulaError as err:
        return problems + [record.problem(("formula",), f"the formula does not parse: {err}",
                                          "use input ids, numbers, + - * / and parentheses")]
    for name in sorted(used - set(inputs)):
        problems.append(record.problem(("formula",), f'the formula uses "{name}", which is not an '
                                       f"input; inputs: {known(inputs)}",
                                       "declare it under inputs or fix its spelling"))
    for i, name in enumerate(inputs):
        if name not in used:
            problems.append(record.problem(("inputs", i, "id"),
                                           f'input "{name}" is not used by the formula',
                                           "use it in the formula or remove it"))
    band = metric["target"]
    if "min" in band and "max" in band and band["min"] > band["max"]:
        problems.append(record.problem(("target",), f"target min ({band['min']}) is above max "
                                       f"({band['max']})", "swap the two values"))
    return problems


KIND = Kind(name="metrics", label="metric", schema="metric.schema.json", check=check)
