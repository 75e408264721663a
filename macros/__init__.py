"""Macros for 社群运营手册, loaded by mkdocs-macros-plugin (`module_name: macros`).

The data is loaded and checked once per build, before any page renders; the macros are plain
functions of (project, arguments), so they know nothing of MkDocs and can be tested on their own.
"""

import functools
import inspect
import sys
from pathlib import Path

from . import identity, rendering, reports
from .kinds import checklists, communities, comparisons, facts, metrics, playbooks, roles, sops, templates
from .loader import Project, load
from .problems import InvalidData, MacroError, report, warnings_report

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
    "handbook": identity.handbook,
}


def load_or_stop(root: Path) -> Project:
    """The checked project (its warnings printed on stderr), or the full problem report on stderr
    and a clean stop."""
    project = load(root)
    if project.warnings:
        print(warnings_report(project.warnings), file=sys.stderr)
    if project.problems:
        print(report(project.problems), file=sys.stderr)
        raise InvalidData(f"数据有 {len(project.problems)} 个问题，见上面的列表。")
    return project


def bind(function, project: Project):
    """A macro for authors: `function` with the project filled in, keeping its docstring, and its
    arguments checked first, so a wrong call says what to write instead."""
    name = next((n for n, f in MACROS.items() if f is function), function.__name__)
    params = list(inspect.signature(function).parameters.values())[1:]  # without project
    passes_context = hasattr(function, "jinja_pass_arg")  # Jinja passes the page context first
    signature = inspect.Signature(params[1:] if passes_context else params)

    @functools.wraps(function)  # also keeps Jinja's pass_context mark: the context comes first
    def macro(*args, **kwargs):
        check_arguments(name, signature, args[1:] if passes_context else args, kwargs)
        return function(project, *args, **kwargs)

    return macro


def check_arguments(name: str, signature: inspect.Signature, args, kwargs) -> None:
    """Raise MacroError unless a call fits the macro's parameters: their number, quoted ids where
    a str is expected and a non-empty list of quoted ids where a list[str] is."""
    usage = ", ".join(('["…"]' if p.annotation == list[str] else '"…"')
                      for p in signature.parameters.values() if p.default is p.empty)
    try:
        bound = signature.bind(*args, **kwargs)
    except TypeError:
        given = ", ".join([repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()])
        raise MacroError(f"{name}({given}) 的参数不对", f"写成 [[ {name}({usage}) ]]，"
                         "参见 docs/contributing/macros.md") from None
    for key, value in bound.arguments.items():
        wanted = signature.parameters[key].annotation
        if wanted is str and not isinstance(value, str):
            raise MacroError(f"{name}() 的 {key} 应当是加引号的 id，这里是 {value!r}",
                             f'写成 [[ {name}("某个 id") ]]')
        if wanted == list[str] and not (isinstance(value, list) and value
                                        and all(isinstance(item, str) for item in value)):
            raise MacroError(f"{name}() 的 {key} 应当是至少含一个 id 的列表，这里是 {value!r}",
                             f'写成 [[ {name}(["第一个 id", "第二个 id"]) ]]')


def define_env(env):
    """Apply handbook.yml to the site configuration and register the handbook's macros."""
    project = load_or_stop(Path(env.project_dir))
    identity.apply(env.conf, project.identity)
    for name, function in MACROS.items():
        env.macro(bind(function, project), name)


def on_pre_page_macros(env):
    """Render this page's macros here, so that a mistake is a message with the file and its real
    line instead of a traceback and an exit (see macros/rendering.py for why this hook exists)."""
    page = env.page
    if page.meta.get("render_macros") is False:
        return
    src = page.file.src_path  # docs-relative; playbooks/ is reached through docs/playbooks
    rel = src if src.startswith("playbooks/") or not (Path(env.project_dir, "docs", src).is_file()) \
        else f"docs/{src}"
    try:
        env.markdown = rendering.render(env.env, env.markdown, {**env.variables, **page.meta},
                                        rel, Path(page.file.abs_src_path), sorted(MACROS))
    except rendering.MacroProblem as err:
        print(err.problem, file=sys.stderr)
        raise InvalidData(f"{rel}: 页面里的宏有错误，见上面的说明") from None
    page.meta["render_macros"] = False  # rendered: the plugin's documented opt-out skips it
