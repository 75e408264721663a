"""Renders Jinja partials (macros/partials/) with autoescape; compiled once per process."""

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

PARTIALS = Path(__file__).parent / "partials"


@cache
def environment() -> Environment:
    """The one Jinja environment for partials: autoescape on, undefined names are errors."""
    env = Environment(loader=FileSystemLoader(PARTIALS), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True, undefined=StrictUndefined)
    env.filters["md_link_text"] = md_link_text
    return env


def md_link_text(text: str) -> str:
    """Text made safe to sit inside the brackets of a Markdown link."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def compact(html: str) -> str:
    """Strip indentation and blank lines, so Markdown never mistakes the HTML for code or ends
    the block early."""
    return "\n".join(line.strip() for line in html.splitlines() if line.strip())


def partial(name: str, **context) -> str:
    """Render one partial with its context into compact HTML."""
    return compact(environment().get_template(name).render(**context))
