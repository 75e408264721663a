"""Macros for 社群运营手册, loaded by mkdocs-macros-plugin (`module_name: macros`).

The data is loaded and checked once per build, before any page renders; the macros are plain
functions of (project, arguments), so they know nothing of MkDocs and can be tested on their own.
"""

import functools
import sys
from pathlib import Path

from . import reports
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


def bind(function, project: Project):
    """A macro for authors: `function` with the project filled in, keeping its docstring."""

    @functools.wraps(function)  # also keeps Jinja's pass_context mark: the context comes first
    def macro(*args, **kwargs):
        return function(project, *args, **kwargs)

    return macro


def define_env(env):
    """Register the handbook's macros; nothing else happens here."""
    project = load_or_stop(Path(env.project_dir))
    for name, function in MACROS.items():
        env.macro(bind(function, project), name)
