"""Message templates: a body with {{ placeholders }}, declared variables, do's and don'ts."""

import json
import re

from ..render import partial, sections
from . import Kind, duplicates, ids_at, lexicons

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")


def placeholders(body: str) -> list[tuple[int, str]]:
    """(offset, name) for each {{ name }} in a template body."""
    return [(m.start(), m.group(1)) for m in PLACEHOLDER.finditer(body)]


def fill(body: str, values: dict[str, str]) -> str:
    """The body with each placeholder replaced by its value (unknown ones left as written)."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), body)


def body_line(record, offset: int) -> int:
    """The file line of a character offset inside the body."""
    return record.text_line(("body",), offset)


def check(record, project) -> list:
    """Placeholders and variables match, no risky phrase is used, and the examples fit max_length."""
    template = record.data
    body, variables = template["body"], template["variables"]
    problems = duplicates(record, ids_at(("variables",), variables, "name"), "variable name")
    declared = {v["name"] for v in variables}
    used = {name for _, name in placeholders(body)}
    for offset, name in placeholders(body):
        if name not in declared:
            problems.append(record.problem(
                ("body",), f'placeholder "{{{{ {name} }}}}" is not declared',
                f"add it under variables (name: {name}) or fix its spelling",
                line=body_line(record, offset)))
    stray = re.search(r"\{\{|\}\}", PLACEHOLDER.sub(lambda m: " " * len(m.group(0)), body))
    if stray:
        problems.append(record.problem(
            ("body",), "a placeholder is not closed",
            "write placeholders as {{ 变量名 }} with both pairs of braces",
            line=body_line(record, stray.start())))
    for i, variable in enumerate(variables):
        if variable["name"] not in used:
            problems.append(record.problem(("variables", i, "name"),
                                           f'variable "{variable["name"]}" is never used in the body',
                                           "use it as {{ " + variable["name"] + " }} or remove it"))
    for entry in lexicons.entries(project):
        offset = body.find(entry["phrase"])
        if offset >= 0:
            problems.append(record.problem(
                ("body",), f'uses "{entry["phrase"]}", which platforms may treat as {entry["category"]}',
                f'{entry["instead"]} (see data/lexicons/)', line=body_line(record, offset)))
    limit = template.get("max_length")
    filled = fill(body, {v["name"]: v["example"] for v in variables})
    if limit and len(filled) > limit:
        problems.append(record.problem(("max_length",),
                                       f"the body filled with the examples has {len(filled)} "
                                       f"characters, over max_length {limit}",
                                       "shorten the body or raise max_length"))
    return problems


def template(project, template_id: str) -> str:
    """A message-template filler from data/templates/, by id: fields, preview, copy, length check."""
    lexicon = [{key: entry[key] for key in ("phrase", "category", "instead")}
               for entry in lexicons.entries(project)]
    return partial("template.html", template=project.get("templates", template_id),
                   lexicon=json.dumps(lexicon, ensure_ascii=False, separators=(",", ":")))


def library(project) -> str:
    """Every message template in data/, each as a filler under its own heading."""
    return sections((data["title"], template(project, ident))
                    for ident, data in sorted(project.items("templates").items()))


KIND = Kind(name="templates", label="template", noun="消息模板", schema="template.schema.json", check=check)
