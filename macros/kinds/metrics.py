"""Metrics: a formula over named inputs, with a unit, a direction and a target band."""

import hashlib

from .. import formula
from ..render import partial, sections
from . import Kind, duplicates, ids_at, known, ref


def check(record, project) -> list:
    """Owner, unique inputs, a formula that parses and uses exactly the inputs, a sane band."""
    metric = record.data
    problems = ref(record, ("owner",), metric["owner"], "roles", project)
    problems += duplicates(record, ids_at(("inputs",), metric["inputs"]), "input id")
    inputs = [i["id"] for i in metric["inputs"]]
    try:
        tree = formula.parse(metric["formula"])
    except formula.FormulaError as err:
        return problems + [record.problem(("formula",), f"the formula does not parse: {err}",
                                          "use input ids, numbers, + - * / and parentheses")]
    used = formula.names(tree)
    if formula.divides_by_zero(tree):
        problems.append(record.problem(("formula",), "公式里除以常数 0，计算器永远算不出结果",
                                       "检查除号后面的数，应当除以某个输入，例如 / members_at_start"))
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


def entry(project, metric: dict) -> str:
    """One metric dictionary entry, with its formula spelled out in the inputs' labels."""
    labels = {item["id"]: item["label"] for item in metric["inputs"]}
    text = formula.describe(formula.parse(metric["formula"]), labels)
    return partial("metric.html", metric=metric, owner=project.role_names()[metric["owner"]],
                   formula_text=text)


def metrics(project, metric_ids: list[str]) -> str:
    """Metric dictionary entries from data/metrics/, by a list of ids."""
    return "\n".join(entry(project, project.get("metrics", ident)) for ident in metric_ids)


def metric_calculator(project, metric_ids: list[str]) -> str:
    """A calculator for the listed metrics: enter the inputs, see values against their targets."""
    chosen = [project.get("metrics", ident) for ident in metric_ids]
    key = hashlib.sha1(",".join(metric_ids).encode()).hexdigest()[:8]
    return partial("calculator.html", key=key, metrics=chosen)


def metric_target(project, metric_id: str, community_type: str | None = None) -> str:
    """A metric's target band from data/metrics/, inline in prose, e.g. 20～60 %."""
    metric = project.get("metrics", metric_id)
    if community_type is not None:
        raise LookupError(f"指标“{metric_id}”（{metric['name']}）没有按社群类型分的目标区间，"
                          f"不能按“{community_type}”取值；去掉第二个参数即可")
    return partial("metric_target.html", metric=metric)


def library(project) -> str:
    """The metric dictionary: every metric in data/, then one calculator for all of them."""
    every = sorted(project.items("metrics").items())
    return sections([(data["name"], entry(project, data)) for _, data in every]
                    + [("指标计算器", metric_calculator(project, [ident for ident, _ in every]))])


KIND = Kind(name="metrics", label="metric", noun="指标", schema="metric.schema.json", check=check)
