"""Renders the macros of one page so that any mistake becomes a message for its author: the
file, the real line (front matter counted) and what to do, never a traceback.

Why a build-time hook is needed: mkdocs-macros renders pages itself, prints a Python traceback
on any error and, with on_error_fail, calls exit(), which ends `mkdocs serve` (a SystemExit its
rebuild loop does not catch). So the macros module's `on_pre_page_macros` (a documented
mkdocs-macros hook, not a MkDocs event) renders the page with the plugin's own Jinja
environment, then marks it `render_macros: false`, the plugin's documented per-page opt-out.
An error stops the build with InvalidData: `mkdocs build` exits 1, and `mkdocs serve` prints the
message, keeps serving and rebuilds when the file is saved again. The macros themselves know
nothing of this; without the hook (e.g. under Zensical) the plugin renders the pages as before.
"""

import difflib
import traceback
from pathlib import Path

from jinja2 import TemplateSyntaxError, UndefinedError

from .problems import MacroError, Problem

# Environment settings that change what Jinja compiles a page to (its parser and code generator).
COMPILE_SETTINGS = ("block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
                    "comment_start_string", "comment_end_string", "line_statement_prefix",
                    "line_comment_prefix", "trim_blocks", "lstrip_blocks", "newline_sequence",
                    "keep_trailing_newline", "optimized", "finalize", "autoescape")
COMPILED: dict = {}  # page -> (what it was compiled from, Jinja's code): one entry per page

RAW_HINT = "要原样显示 [[ 或 [%（例如 JSON 里的嵌套数组），用 [% raw %] … [% endraw %] 包起来"


def body_offset(source: str, body: str) -> int:
    """How many file lines come before the body MkDocs hands to the plugins (the front matter)."""
    source = source.replace("\r\n", "\n")
    return source[: len(source) - len(body)].count("\n") if source.endswith(body) else 0


def template_line(error: BaseException, markdown: str) -> int:
    """The body line where a rendering error happened (Jinja names the page '<template>'). A
    syntax error is found where Jinja gave up, which for an unclosed [[ is lines later: the line
    reported is then the nearest one above that opens a macro."""
    if isinstance(error, TemplateSyntaxError):
        lines = markdown.split("\n")
        line = min(error.lineno or 1, len(lines))
        opener = next((n for n in range(line, 0, -1) if "[[" in lines[n - 1] or "[%" in lines[n - 1]),
                      line)
        return opener
    lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__)
             if frame.filename == "<template>"]
    return lines[-1] if lines else 1


def explain(error: BaseException, macros: list[str]) -> tuple[str, str]:
    """(what, fix) for an error raised while rendering a page's macros."""
    if isinstance(error, MacroError):
        return error.what, error.fix
    if isinstance(error, TemplateSyntaxError):
        return (f"宏的写法有误：{error.message}",
                f"检查这一行的 [[ … ]] 和 [% … %] 是否成对、括号和引号是否配齐；{RAW_HINT}")
    if isinstance(error, UndefinedError):
        name = str(error.message).split("'")[1] if "'" in str(error.message) else str(error.message)
        close = difflib.get_close_matches(name, macros, n=1)
        hint = f"是不是 {close[0]}？" if close else ""
        return (f"没有叫 {name} 的宏或变量",
                f"{hint}检查拼写；可用的宏：{', '.join(sorted(macros))}；{RAW_HINT}")
    if isinstance(error, (LookupError, ValueError)):  # a macro refusing its arguments, in words
        return str(error), "按这条说明改这一行的宏调用；各个宏的写法见 docs/contributing/macros.md"
    return (f"宏运行出错：{type(error).__name__}: {error}",
            "检查这一行的宏调用和它用到的数据；调用没有问题的话，请带着这条信息提一个 issue")


def render(jinja_env, markdown: str, variables: dict, rel: str, source: Path,
           macros: list[str]) -> str:
    """The page's Markdown with its macros rendered; a Problem (in MacroProblem) on any error."""
    try:
        return compiled(jinja_env, markdown, rel).render(**variables)
    except Exception as error:  # every error becomes a message: the author's page broke it
        line = template_line(error, markdown) + body_offset(source.read_text("utf-8-sig"), markdown)
        raise MacroProblem(Problem(rel, line, *explain(error, macros))) from None


def compiled(jinja_env, markdown: str, rel: str):
    """The page as a Jinja template, compiled again only when its text or Jinja's settings changed."""
    # `mkdocs serve` renders every page after each save, and compiling them all was an eighth of a
    # rebuild. Reusing compiled code across environments is what Jinja's own bytecode cache does.
    source = (markdown, tuple(getattr(jinja_env, name) for name in COMPILE_SETTINGS),
              tuple(sorted(jinja_env.extensions)))
    kept = COMPILED.get(rel)
    if kept is None or kept[0] != source:
        kept = COMPILED[rel] = (source, jinja_env.compile(markdown))
    return jinja_env.template_class.from_code(jinja_env, kept[1], jinja_env.make_globals(None), None)


class MacroProblem(Exception):
    """A page whose macros failed; carries its Problem."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem
