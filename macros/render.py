"""Renders Jinja partials (macros/partials/) with autoescape; compiled once per process."""

import re
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import markdown
import nh3
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
    env.filters["inline_markdown"] = inline_markdown
    env.filters["link_target"] = link_target
    # tojson (formula trees, the risky-phrase list): compact, and Chinese as UTF-8, not \uXXXX
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False,
                                         "separators": (",", ":")}
    env.filters["site_link"] = links.site
    return env


# The one allowlist for Markdown written in data: what inline Markdown makes, nothing else.
ALLOWED_TAGS = {"strong", "em", "code", "a", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}  # and relative URLs, which nh3 keeps by default
INERT = {c: f"&#{ord(c)};" for c in "\\`*_[]{}()!#|~+-."}  # Markdown punctuation, as entities
UNSAFE_IN_URL = re.compile(r"[^A-Za-z0-9\-._~/:@!$&+,;=%\u0080-\U0010ffff]")


@cache
def _markdown() -> markdown.Markdown:
    """Plain Python-Markdown, no extensions: no attr_list, no raw-HTML tricks survive nh3."""
    return markdown.Markdown()


def inline_markdown(text: str) -> Markup:
    """Inline Markdown from data (bold, emphasis, code, links) as safe HTML: the text is escaped,
    rendered, passed through nh3 with ALLOWED_TAGS and URL_SCHEMES, and its text made inert, so
    the page's own Markdown pass (md_in_html) cannot turn it into anything else."""
    md = _markdown()
    html = md.reset().convert(str(escape(text)))
    html = re.sub(r"^<p>|</p>$", "", html.strip())
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                      link_rel="noopener noreferrer")
    parts = re.split(r"(<[^>]*>)", clean)
    return Markup("".join(part if part.startswith("<") else "".join(INERT.get(c, c) for c in part)
                          for part in parts))


def web_link(link: str) -> bool:
    """Whether a data link is an http(s) URL with a host that link_target accepts."""
    parts = urlsplit(link)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def link_target(link: str) -> str:
    """A data link rebuilt from its validated parts for a Markdown link target: an http(s) URL
    with a host, or a site path to a .md source; any character Markdown or HTML could read as
    syntax is percent-encoded. Anything else raises ValueError (the schema refuses it first)."""
    parts = urlsplit(link)
    web = web_link(link)
    site = not parts.scheme and not parts.netloc and parts.path.startswith("/") \
        and parts.path.endswith(".md")
    if not (web or site):
        raise ValueError(f"not an http(s) URL or a site path: {link!r}")
    return urlunsplit(tuple(UNSAFE_IN_URL.sub(lambda m: f"%{ord(m.group()):02X}", part)
                            for part in parts))


MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")


def md_text(text: str) -> Markup:
    """Text that Markdown shows literally: HTML-escaped, Markdown punctuation backslash-escaped.
    For data shown inside Markdown constructs such as link text or headings."""
    return escape(MARKDOWN_PUNCTUATION.sub(r"\\\1", text))


WHITESPACE_REFS = str.maketrans({"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def keep_lines(text: str) -> Markup:
    """Escaped text whose line breaks and tabs reach the page as written, for <pre> and
    attributes: as character references, `compact` cannot strip them, Markdown cannot expand a
    tab into spaces, and HTML parsing cannot turn a CR into an LF."""
    return Markup(str(escape(text)).translate(WHITESPACE_REFS))


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
