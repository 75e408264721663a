"""`make check` renders the macros of every page the way the build does, so a wrong macro name,
id, argument or bracket is reported in seconds, with the build's own message and real line,
instead of surfacing only in `make build`. Nothing here needs MkDocs: the Jinja delimiters come
from the macros plugin's settings in mkdocs.yml, the macros from this package."""

import re
from pathlib import Path

import jinja2
import yaml

from . import MACROS, bind, pages, rendering
from .problems import Problem

DEFAULT_DELIMITERS = {"variable": ("{{", "}}"), "block": ("{%", "%}"), "comment": ("{#", "#}")}
CURLY_CALL = re.compile(r"\{\{\s*(\w+)\s*\(")


def delimiters(root: Path) -> dict[str, tuple[str, str]]:
    """The j2_* delimiters mkdocs.yml gives the macros plugin (Jinja's defaults where unset)."""
    config = yaml.load((root / "mkdocs.yml").read_text("utf-8"), Loader=yaml.BaseLoader) or {}
    plugin = next((entry["macros"] for entry in config.get("plugins", [])
                   if isinstance(entry, dict) and "macros" in entry), None) or {}
    return {part: (plugin.get(f"j2_{part}_start_string", start), plugin.get(f"j2_{part}_end_string", end))
            for part, (start, end) in DEFAULT_DELIMITERS.items()}


def environment(project) -> jinja2.Environment:
    """A Jinja environment configured as mkdocs.yml configures mkdocs-macros, with our macros."""
    found = delimiters(project.root)
    env = jinja2.Environment(
        variable_start_string=found["variable"][0], variable_end_string=found["variable"][1],
        block_start_string=found["block"][0], block_end_string=found["block"][1],
        comment_start_string=found["comment"][0], comment_end_string=found["comment"][1],
        undefined=jinja2.StrictUndefined)
    env.globals.update({name: bind(function, project) for name, function in MACROS.items()})
    return env


def curly_calls(rel: str, text: str) -> list[Problem]:
    """`{{ name(` around one of our macros in prose, which this handbook writes [[ name(…) ]]: the
    braces would reach readers as text. In code or [% raw %] it shows the wrong way on purpose."""
    return [Problem(rel, number, f"「{{{{ {match.group(1)}(」不会执行：这本手册的宏用 [[ ]] 包起来",
                    f"改成 [[ {match.group(1)}(…) ]]")
            for number, prose, _ in pages.split_code(text)
            for match in CURLY_CALL.finditer(prose) if match.group(1) in MACROS]


def problems(project) -> list[Problem]:
    """Every page's macro problems (one per page, where rendering stops) and `{{ name(` calls."""
    env, found = environment(project), []
    for rel, text in sorted(project.pages.items()):
        found += curly_calls(rel, text)
        front, _ = pages.split_front_matter(text)
        meta = yaml.safe_load(front) if front else {}
        if not isinstance(meta, dict) or meta.get("render_macros") is False:
            continue
        page = pages.stand_in_page(rel.removeprefix("docs/"))  # playbooks/ too is docs-relative
        try:
            rendering.render(env, pages.body(text), {**meta, "page": page}, rel, project.root / rel,
                             sorted(MACROS))
        except rendering.MacroProblem as err:
            found.append(err.problem)
    return found
