"""Macros for 社群运营手册, loaded through the root entry module docs_macros.py by mkdocs-macros
(once per build) or by Zensical's macros extension (once per page).

The data is loaded and checked once per build, before any page renders; the macros are plain
functions of (project, arguments), so they know nothing of the site generator and can be tested
on their own.
"""

import functools
import sys
from pathlib import Path

from jinja2 import pass_context

from . import links, reports
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


BUILD: dict = {}  # the configuration of the build being run ("conf") and its checked project


def project_of(env) -> Project:
    """The checked project, loaded once per build: MkDocs calls define_env once per build, Zensical
    once per page, with one configuration object throughout a build."""
    if BUILD.get("conf") is not env.conf:
        BUILD.update(conf=env.conf, project=load_or_stop(Path(env.project_dir)))
    return BUILD["project"]


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
    project = project_of(env)
    for name, function in MACROS.items():
        env.macro(bind(function, project), name)
