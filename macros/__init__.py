"""Macros for 社群运营手册, loaded through the root entry module docs_macros.py by mkdocs-macros
(once per build) or by Zensical's macros extension (once per page).

The data is loaded and checked once per build, before any page renders, and kept until a source
file changes; the macros are plain functions of (project, arguments), so they know nothing of the
site generator and can be tested on their own.
"""

import functools
import sys
from pathlib import Path

from jinja2 import pass_context

from . import links, reports, usage
from .kinds import checklists, communities, comparisons, facts, metrics, playbooks, roles, sops, templates
from .loader import Project, load
from .problems import InvalidData, report, warnings_report

MACROS = {
    "checklist": checklists.checklist,
    "checklist_library": checklists.library,
    "sop": sops.sop,
    "sop_library": sops.library,
    "raci_matrix": sops.raci_matrix,
    "role_card": roles.role_card,
    "role_library": roles.library,
    "role_page": roles.role_page,
    "template": templates.template,
    "template_library": templates.library,
    "metrics": metrics.metrics,
    "metric_calculator": metrics.metric_calculator,
    "metric_library": metrics.library,
    "metric_target": metrics.metric_target,
    "fact": facts.fact,
    "fact_library": facts.library,
    "community": communities.community,
    "comparison_table": comparisons.comparison_table,
    "playbook_header": playbooks.playbook_header,
    "playbook_changelog": playbooks.playbook_changelog,
    "stale_list": reports.stale_list,
    "changelog_list": reports.changelog_list,
}


def fingerprint(root: Path) -> tuple:
    """Path, size and modification time of every file the loader reads (data, playbooks, pages)."""
    files = [p for folder in ("data", "playbooks") for p in (root / folder).rglob("*") if p.is_file()]
    files += usage.sources(root)
    return tuple(sorted((p.as_posix(), s.st_size, s.st_mtime_ns) for p in files for s in [p.stat()]))


@functools.lru_cache(maxsize=1)
def loaded(root: Path, _fingerprint: tuple) -> Project:
    """The checked project at `root`, loaded once for as long as its files stay as they are."""
    return load_or_stop(root)


def load_or_stop(root: Path) -> Project:
    """The checked project (its warnings printed on stderr), or the full problem report on stderr
    and a clean stop."""
    project = load(root)
    if project.warnings:
        print(warnings_report(project.warnings), file=sys.stderr)
    if project.problems:
        print(report(project.problems), file=sys.stderr)
        raise InvalidData(f"{len(project.problems)} data problem(s); see the list above.")
    return project


def page_source(context) -> str | None:
    """The docs-relative source path of the page a macro renders (None outside a page): MkDocs's
    page.file.src_uri, or Zensical's page.path; the only thing the macros read from either."""
    page = context.get("page")
    file = getattr(page, "file", None)
    return file.src_uri if file is not None else getattr(page, "path", None)


def bind(function, project: Project):
    """A macro for authors: `function` with the project filled in, its links written relative to
    the page being rendered, keeping its docstring (and the context if it asks for it)."""
    wants_context = getattr(function, "jinja_pass_arg", None) is not None

    @pass_context
    @functools.wraps(function)
    def macro(context, *args, **kwargs):
        with links.on_page(page_source(context)):
            if wants_context:
                return function(project, context, *args, **kwargs)
            return function(project, *args, **kwargs)

    return macro


def define_env(env):
    """Register the handbook's macros; nothing else happens here."""
    root = Path(env.project_dir).resolve()
    project = loaded(root, fingerprint(root))
    for name, function in MACROS.items():
        env.macro(bind(function, project), name)
