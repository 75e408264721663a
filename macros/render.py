"""Renders Jinja partials (macros/partials/) with autoescape; compiled once per process."""

import re
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from . import links
from .quantities import unit_suffix

PARTIALS = Path(__file__).parent / "partials"


@cache
def environment() -> Environment:
    """The one Jinja environment for partials: autoescape on, undefined names are errors."""
    env = Environment(loader=FileSystemLoader(PARTIALS), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True, undefined=StrictUndefined, auto_reload=False)
    env.filters["md_text"] = md_text
    env.filters["keep_lines"] = keep_lines
    env.filters["unit_suffix"] = unit_suffix
    env.filters["site_link"] = links.site
    return env


MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")


def md_text(text: str) -> Markup:
    """Text that Markdown shows literally: HTML-escaped, Markdown punctuation backslash-escaped.
    For data shown inside Markdown constructs such as link text or headings."""
    return escape(MARKDOWN_PUNCTUATION.sub(r"\\\1", text))


def keep_lines(text: str) -> Markup:
    """Escaped text whose line breaks survive `compact` (written as &#10;), for <pre> and attributes."""
    return Markup(str(escape(text)).replace("\n", "&#10;"))


def compact(html: str) -> str:
    """Strip indentation and blank lines, so Markdown never mistakes the HTML for code or ends
    the block early."""
    return "\n".join(line.strip() for line in html.splitlines() if line.strip())


def partial(name: str, **context) -> str:
    """Render one partial with its context into compact HTML."""
    return compact(environment().get_template(name).render(**context))


def sections(entries) -> str:
    """Markdown `##` sections, one per (title, html) pair, so long library pages get a TOC."""
    return "\n\n".join(f"## {md_text(title)}\n\n{html}" for title, html in entries)
