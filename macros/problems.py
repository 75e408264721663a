"""Problems found in the data: each names a file, a line, what is wrong and how to fix it."""

from dataclasses import dataclass

WARNING_PREFIX = "警告："


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file, printed as `path:line: what — fix`. A warning is printed with
    the prefix 警告： and fails nothing: neither `make check` nor the build."""

    path: str
    line: int
    what: str
    fix: str
    warning: bool = False

    def __str__(self) -> str:
        """The one-line form used by `make check` and by the build."""
        prefix = WARNING_PREFIX if self.warning else ""
        return f"{prefix}{self.path}:{self.line}: {self.what} — {self.fix}"


class MacroError(LookupError):
    """A macro called the wrong way on a page: what is wrong and what to write instead. The page
    renderer (macros/rendering.py) adds the file and line."""

    def __init__(self, what: str, fix: str):
        super().__init__(what)
        self.what, self.fix = what, fix


class InvalidData(Exception, SystemExit):
    """Stops a build or a check after the problems were printed; exits 1 with no traceback.

    It is a SystemExit for `mkdocs build` (clean exit, status 1) and an Exception for
    `mkdocs serve`, which then reports it and keeps serving until the data is fixed.
    """

    code = 1


def warnings_report(warnings: list[Problem]) -> str:
    """All warnings, sorted by file and line, then a count that says they fail nothing."""
    lines = [str(w) for w in sorted(warnings)]
    lines.append(f"{len(warnings)} 条警告：不影响检查通过，但请尽快处理。")
    return "\n".join(lines)


def report(problems: list[Problem]) -> str:
    """All problems, sorted by file and line, one per line, with a count at the end."""
    lines = [str(p) for p in sorted(problems)]
    lines.append(f"共发现 {len(problems)} 个问题，改好后再运行一次。")
    return "\n".join(lines)


def workflow_value(text: str, extra: str = "") -> str:
    """Text escaped for a GitHub Actions workflow command (`extra`: more characters to escape)."""
    for char in "%\r\n" + extra:
        text = text.replace(char, f"%{ord(char):02X}")
    return text


def annotations(problems: list[Problem]) -> str:
    """Problems and warnings as GitHub Actions workflow commands, so that each one shows once, on
    its own file and line, in the pull request."""
    return "\n".join(f"::{'warning' if p.warning else 'error'} file={workflow_value(p.path, ':,')},"
                     f"line={p.line}::{workflow_value(f'{p.what} — {p.fix}')}" for p in sorted(problems))
