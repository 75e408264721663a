"""Problems found in the data: each names a file, a line, what is wrong and how to fix it."""

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file, printed as `path:line: what — fix`."""

    path: str
    line: int
    what: str
    fix: str

    def __str__(self) -> str:
        """The one-line form used by `make check` and by the build."""
        return f"{self.path}:{self.line}: {self.what} — {self.fix}"


class InvalidData(Exception, SystemExit):
    """Stops a build or a check after the problems were printed; exits 1 with no traceback.

    It is a SystemExit for `mkdocs build` (clean exit, status 1) and an Exception for
    `mkdocs serve`, which then reports it and keeps serving until the data is fixed.
    """

    code = 1


def report(problems: list[Problem]) -> str:
    """All problems, sorted by file and line, one per line, with a count at the end."""
    lines = [str(p) for p in sorted(problems)]
    lines.append(f"{len(problems)} problem(s) found in the handbook data.")
    return "\n".join(lines)
