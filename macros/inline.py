"""Numbers inside data text. A string in data/ (an SOP step, a checklist item, a template body …)
may call `[[ fact("id") ]]`, `[[ fact("id", "statement") ]]`, `[[ community("id", "key") ]]`,
`[[ metric_target("id") ]]` or `[[ metric_target("id", "门店群") ]]`. The loader checks each call
and replaces it with plain text, so every component, the copy buttons and the template filler show
the one number kept in data."""

import re

from .kinds import communities, facts, metrics
from .pages import texts_in

CALL = re.compile(r"\[\[\s*(?P<name>\w+)\s*\((?P<args>[^()\]]*)\)\s*\]\]")
ARG = re.compile(r"""\s*(?:"([^"]*)"|'([^']*)')\s*(?:,|$)""")
ARITY = {"fact": (1, 2), "community": (2, 2), "metric_target": (1, 2)}
FIX = ('数据里只能写 [[ fact("id") ]]、[[ fact("id", "statement") ]]、'
       '[[ community("id", "数字名") ]] 或 [[ metric_target("id") ]]（可加档名），参数加引号；'
       "id 见 data/facts/、data/communities/ 和 data/metrics/")
# Facts and communities are what the calls show, so their text holds no calls; playbooks are
# Markdown, where the macros themselves render the calls.
SKIPPED = ("facts", "communities", "playbooks")


def arguments(text: str) -> list[str] | None:
    """The quoted arguments of a call, or None when they are not all quoted strings."""
    found, at = [], 0
    while at < len(text):
        match = ARG.match(text, at)
        if not match:
            return None
        found.append(match.group(1) if match.group(1) is not None else match.group(2))
        at = match.end()
    return found


class Unreadable(Exception):
    """The called item exists but is invalid; its own problem is reported already."""


def item(project, kind: str, ident: str) -> dict:
    """A valid item's data; LookupError for an unknown id, Unreadable for an invalid item."""
    data = project.get(kind, ident)
    if not project.records[kind][ident].valid:
        raise Unreadable(ident)
    return data


def shown(project, name: str, args: list[str]) -> str:
    """The plain text a valid call stands for; LookupError or ValueError (in Chinese) when it is wrong."""
    if name == "fact":
        return facts.shown_text(item(project, "facts", args[0]), *args[1:])
    if name == "community":
        return communities.number_text(item(project, "communities", args[0]), args[1])
    return metrics.target_text(item(project, "metrics", args[0]), *args[1:])


def expand(project, text: str) -> tuple[str, list[tuple[int, str]]]:
    """The text with every call replaced by what it shows, and (offset, message) for each bad call."""
    errors = []

    def replace(match) -> str:
        name, args = match.group("name"), arguments(match.group("args"))
        low, high = ARITY.get(name, (0, -1))
        if args is None or not low <= len(args) <= high:
            errors.append((match.start(), f"“{match.group(0)}”不是数据里能用的写法"))
            return match.group(0)
        try:
            return shown(project, name, args)
        except (LookupError, ValueError) as err:
            errors.append((match.start(), str(err)))
        except Unreadable:
            pass
        return match.group(0)

    return CALL.sub(replace, text), errors


def put(data, path: tuple, text: str) -> None:
    """Set the string at `path` inside a data item."""
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = text


def expand_all(project) -> list:
    """Replace the calls in every valid data item's text; a problem for each call that cannot be shown."""
    problems = []
    for kind, records in project.records.items():
        if kind in SKIPPED:
            continue
        for record in records.values():
            if not (record.valid and record.calls):
                continue
            for path, text in list(texts_in(record.data)):
                if "[[" not in text:
                    continue
                expanded, errors = expand(project, text)
                problems += [record.problem(path, error, FIX, line=record.text_line(path, offset))
                             for offset, error in errors]
                if expanded != text:
                    put(record.data, path, expanded)
    return problems

