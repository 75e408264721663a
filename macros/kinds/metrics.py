"""Metrics: a formula over named inputs, with a unit, a direction and a target band."""

import hashlib

from .. import formula, identity
from ..quantities import band_text, number
from ..render import partial, sections
from . import Kind, duplicates, ids_at, known, ref


def check(record, project) -> list:
    """Owner, sane target bands, unique inputs, a formula that parses and uses exactly the inputs."""
    metric = record.data
    problems = ref(record, ("owner",), metric["owner"], "roles", project)
    problems += band_problems(record)
    problems += duplicates(record, ids_at(("inputs",), metric["inputs"]), "输入 id")
    inputs = [i["id"] for i in metric["inputs"]]
    try:
        tree = formula.parse(metric["formula"])
    except formula.FormulaError as err:
        return problems + [record.problem(("formula",), f"公式无法解析：{err}",
                                          "公式里只能写输入的 id、数字、+ - * / 和括号")]
    used = formula.names(tree)
    if formula.divides_by_zero(tree):
        problems.append(record.problem(("formula",), "公式里除以常数 0，计算器永远算不出结果",
                                       "检查除号后面的数，应当除以某个输入，例如 / members_at_start"))
    for name in sorted(used - set(inputs)):
        problems.append(record.problem(("formula",), f"公式用到了「{name}」，但它不是输入；"
                                       f"输入有：{known(inputs)}",
                                       "在 inputs 下声明它，或者改正拼写"))
    for i, name in enumerate(inputs):
        if name not in used:
            problems.append(record.problem(("inputs", i, "id"),
                                           f"公式没有用到输入「{name}」",
                                           "在公式里用上它，或者删掉它"))
    return problems


def band_problems(record) -> list:
    """Exactly one of target and bands; each band has a bound, min not above max, unique names."""
    metric = record.data
    if ("target" in metric) == ("bands" in metric):
        what = "target 和 bands 只能写一个" if "target" in metric else "没有目标区间"
        return [record.problem((), what, "一个区间适合所有社群时写 target（min、max），"
                               "否则按社群类型写 bands，每档一个 name 和 min、max")]
    located = [(("target",), metric["target"])] if "target" in metric else \
        [(("bands", i), band) for i, band in enumerate(metric["bands"])]
    problems = duplicates(record, [(at + ("name",), band["name"]) for at, band in located
                                   if "name" in band], "档名")
    for at, band in located:
        if "min" not in band and "max" not in band:
            problems.append(record.problem(at, "这一档没有 min 也没有 max", "至少写下限 min 或上限 max"))
        elif "min" in band and "max" in band and band["min"] > band["max"]:
            problems.append(record.problem(at, f"下限 min（{number(band['min'])}）高于上限 max"
                                           f"（{number(band['max'])}）", "把两个数对调"))
    return problems


def targets(metric: dict) -> list[dict]:
    """The metric's bands as [{name, min?, max?, text}]; a single target has the name None."""
    unit = metric["unit"]
    bands = metric.get("bands") or [{"name": None, **metric["target"]}]
    return [{**band, "text": band_text(band, unit)} for band in bands]


def target_text(metric: dict, band_name: str | None = None) -> str:
    """A metric's target in words: its one band, the named band, or every band with its name."""
    every = targets(metric)
    if band_name is None:
        return "；".join(f"{band['name']}：{band['text']}" if band["name"] else band["text"]
                        for band in every)
    names = [band["name"] for band in every if band["name"]]
    if not names:
        raise LookupError(f"指标“{metric['id']}”（{metric['name']}）只有一个目标区间，没有分档，"
                          f"不能按“{band_name}”取值；去掉第二个参数即可")
    if band_name not in names:
        raise LookupError(f"指标“{metric['id']}”（{metric['name']}）没有“{band_name}”这一档；"
                          f"已有：{'、'.join(names)}")
    return next(band["text"] for band in every if band["name"] == band_name)


def entry(project, metric: dict) -> str:
    """One metric dictionary entry, with its formula spelled out in the inputs' labels."""
    labels = {item["id"]: item["label"] for item in metric["inputs"]}
    text = formula.describe(formula.parse(metric["formula"]), labels)
    return partial("metric.html", metric=metric, owner=project.role_names()[metric["owner"]],
                   formula_text=text, targets=targets(metric),
                   edit=identity.edit_data_url(project, "metrics", metric["id"]))


def metrics(project, metric_ids: list[str]) -> str:
    """Metric dictionary entries from data/metrics/, by a list of ids."""
    return "\n".join(entry(project, project.get("metrics", ident)) for ident in metric_ids)


def metric_calculator(project, metric_ids: list[str]) -> str:
    """A calculator for the listed metrics: enter the inputs, see values against their targets."""
    chosen = [{"metric": metric, "tree": formula.parse(metric["formula"]), "targets": targets(metric)}
              for metric in (project.get("metrics", ident) for ident in metric_ids)]
    key = hashlib.sha1(",".join(metric_ids).encode()).hexdigest()[:8]
    return partial("calculator.html", key=key, metrics=chosen)


def metric_target(project, metric_id: str, community_type: str | None = None) -> str:
    """A metric's target from data/metrics/ inline, e.g. 20%～60%; with bands, the named one or all."""
    metric = project.get("metrics", metric_id)
    return partial("metric_target.html", text=target_text(metric, community_type))


def library(project) -> str:
    """The metric dictionary: every metric in data/, then one calculator for all of them."""
    every = sorted(project.items("metrics").items())
    return sections([(data["name"], entry(project, data)) for _, data in every]
                    + [("指标计算器", metric_calculator(project, [ident for ident, _ in every]))])


KIND = Kind(name="metrics", noun="指标", schema="metric.schema.json", check=check)
