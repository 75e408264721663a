"""Macros for 社群运营手册, loaded through the root entry module docs_macros.py by mkdocs-macros
(once per build) or by Zensical's macros extension (once per page).

The data is loaded and checked once per build, before any page renders; the macros are plain
functions of (project, arguments), so they know nothing of the site generator and can be tested
on their own.
"""

import functools
import inspect
import sys
from pathlib import Path

from jinja2 import pass_context

from . import identity, links, rendering, reports, search
from .kinds import checklists, communities, comparisons, facts, metrics, playbooks, roles, sops, templates
from .loader import Project, load
from .pages import page_source
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
        raise InvalidData(f"数据有 {len(project.problems)} 个问题，见上面的列表。")
    return project


def bind(function, project: Project):
    """A macro for authors: `function` with the project filled in, keeping its docstring, its
    arguments checked first (so a wrong call says what to write instead), and its links written
    relative to the page being rendered (the context is passed on if it asks for it)."""
    name = next((n for n, f in MACROS.items() if f is function), function.__name__)
    params = list(inspect.signature(function).parameters.values())[1:]  # without project
    passes_context = hasattr(function, "jinja_pass_arg")  # Jinja passes the page context first
    signature = inspect.Signature(params[1:] if passes_context else params)

    @pass_context
    @functools.wraps(function)
    def macro(context, *args, **kwargs):
        check_arguments(name, signature, args, kwargs)
        with links.on_page(page_source(context)):
            if passes_context:
                return function(project, context, *args, **kwargs)
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
    """Apply handbook.yml to the site configuration and register the handbook's macros (under
    Zensical the theme never sees the configuration it is given: docs/contributing/zensical.md)."""
    project = project_of(env)
    identity.apply(env.conf, project.identity)
    for name, function in MACROS.items():
        env.macro(bind(function, project), name)
    env.variables["search_tags"] = search.page_tags(project)


def on_pre_page_macros(env):
    """Give the page its search keywords, then render its macros here (see page_tags and
    render_page)."""
    page_tags(env)
    render_page(env)


def page_tags(env):
    """Hand the page its search keywords as front-matter `tags`: Material's search indexes tags
    with a large boost, and without its tags plugin shows them on no page. The keywords are plain
    data, read from mkdocs-macros' documented `env.page`."""
    words = env.variables["search_tags"].get("/" + env.page.file.src_uri)
    if words:
        env.page.meta["tags"] = list(dict.fromkeys([*(env.page.meta.get("tags") or []), *words]))


def render_page(env):
    """Render this page's macros, so that a mistake is a message with the file and its real line
    instead of a traceback and an exit (see macros/rendering.py for why this hook exists)."""
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
