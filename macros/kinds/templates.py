"""Message templates: a body with {{ placeholders }}, declared variables, do's and don'ts."""

import re
import weakref

from jinja2 import pass_context

from .. import identity
from ..render import partial, sections
from . import Kind, duplicates, ids_at, lexicons

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")


def placeholders(body: str) -> list[tuple[int, str]]:
    """(offset, name) for each {{ name }} in a template body."""
    return [(m.start(), m.group(1)) for m in PLACEHOLDER.finditer(body)]


def fill(body: str, values: dict[str, str]) -> str:
    """The body with each placeholder replaced by its value (unknown ones left as written)."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), body)


def body_text(template: dict) -> str:
    """The body as readers get it: without the whitespace around it (a block scalar's last line
    break); the filler shows, counts and copies this."""
    return template["body"].strip()


def length(text: str) -> int:
    """A text's length as the filler counts it (template.js counts the same way): Unicode code
    points, so a Chinese character, an emoji of one code point and a line break are one each.
    WeChat documents no counting rule for chat messages; max_length is the handbook's own."""
    return len(text)


def body_line(record, offset: int) -> int:
    """The file line of a character offset inside the body."""
    return record.text_line(("body",), offset)


def check(record, project) -> list:
    """Placeholders and variables match, no risky phrase is used, and the examples fit max_length."""
    template = record.data
    body, variables = template["body"], template["variables"]
    problems = duplicates(record, ids_at(("variables",), variables, "name"), "变量名")
    declared = {v["name"] for v in variables}
    used = {name for _, name in placeholders(body)}
    for offset, name in placeholders(body):
        if name not in declared:
            squeezed = re.sub(r"\s+", "", name)
            fix = (f"占位符名字里不能有空格，写成 {{{{ {squeezed} }}}}" if squeezed != name
                   else f"在 variables 下加上它（name: {name}），或者改正拼写")
            problems.append(record.problem(
                ("body",), f"占位符「{{{{ {name} }}}}」没有声明", fix,
                line=body_line(record, offset)))
    stray = re.search(r"\{\{|\}\}", PLACEHOLDER.sub(lambda m: " " * len(m.group(0)), body))
    if stray:
        problems.append(record.problem(
            ("body",), "有一个占位符没有闭合",
            "占位符写成 {{ 变量名 }}，前后两对花括号都要有",
            line=body_line(record, stray.start())))
    for i, variable in enumerate(variables):
        if variable["name"] not in used:
            problems.append(record.problem(("variables", i, "name"),
                                           f"正文里没有用到变量「{variable['name']}」",
                                           "在正文里写 {{ " + variable["name"] + " }}，或者删掉这个变量"))
    for entry in lexicons.entries(project):
        offset = body.find(entry["phrase"])
        if offset >= 0:
            problems.append(record.problem(
                ("body",), f"用了「{entry['phrase']}」，平台可能把它当作{entry['category']}",
                f"{entry['instead']}（见 data/lexicons/）", line=body_line(record, offset)))
    limit = template.get("max_length")
    filled = length(fill(body_text(template), {v["name"]: v["example"] for v in variables}))
    if limit and filled > limit:
        problems.append(record.problem(("max_length",),
                                       f"正文填入示例后有 {filled} 个字，"
                                       f"超过 max_length {limit}",
                                       "缩短正文，或者调高 max_length"))
    return problems


# The page renders (one Jinja context each) that already carry the risky-phrase list.
HAVE_LEXICON: weakref.WeakSet = weakref.WeakSet()


def lexicon_once(project, context) -> list[dict] | None:
    """The risky phrases [{phrase, category, instead}] for the first template card of a page
    render, None for the others: every filler on the page reads that one block."""
    if context in HAVE_LEXICON:
        return None
    HAVE_LEXICON.add(context)
    return [{key: entry[key] for key in ("phrase", "category", "instead")}
            for entry in lexicons.entries(project)]


def card(project, template_id: str, lexicon: list[dict] | None) -> str:
    """One filler, carrying the page's risky-phrase list when `lexicon` is given."""
    data = project.get("templates", template_id)
    return partial("template.html", template=data, body=body_text(data), lexicon=lexicon,
                   defaults=identity.template_defaults(project.identity),
                   edit=identity.edit_data_url(project, "templates", template_id))


@pass_context
def template(project, context, template_id: str) -> str:
    """A message-template filler from data/templates/, by id: fields pre-filled from handbook.yml."""
    return card(project, template_id, lexicon_once(project, context))


@pass_context
def library(project, context) -> str:
    """Every message template in data/, each as a filler under its own heading."""
    lexicon = lexicon_once(project, context)
    return sections((data["title"], card(project, ident, lexicon if n == 0 else None))
                    for n, (ident, data) in enumerate(sorted(project.items("templates").items())))


KIND = Kind(name="templates", noun="消息模板", schema="template.schema.json", check=check)
