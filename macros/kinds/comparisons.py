"""Comparison tables: columns and rows kept as data, e.g. carriers or acquisition channels."""

from ..render import partial
from . import Kind, duplicates, ids_at


def check(record, project) -> list:
    """Unique column ids, and every row fills exactly the declared columns."""
    table = record.data
    problems = duplicates(record, ids_at(("columns",), table["columns"]), "列 id")
    columns = [column["id"] for column in table["columns"]]
    for i, row in enumerate(table["rows"]):
        for name in columns:
            if name not in row:
                problems.append(record.problem(("rows", i), f"缺少「{name}」这一列",
                                               f"在这一行加上 {name}: …"))
        for name in row:
            if name not in columns:
                problems.append(record.problem(("rows", i, name), f"没有「{name}」这一列",
                                               f"只能写这些列：{', '.join(columns)}"))
    return problems


def comparison_table(project, table_id: str) -> str:
    """A comparison table from data/comparisons/, by id (e.g. carriers, channels)."""
    return partial("comparison.html", table=project.get("comparisons", table_id))


KIND = Kind(name="comparisons", noun="对比表",
            schema="comparison.schema.json", check=check)
