"""Command line for the handbook, one subcommand per task:

  python -m macros check [--root DIR] [--base REF]   validate data/, front matter and version bumps
  python -m macros stale [--root DIR] [--strict]     list what is overdue for review
  python -m macros copy-lint FILE...                  check Chinese copywriting in files
"""

import argparse
import datetime
import sys
from pathlib import Path

from . import history, reports, typography
from .loader import load
from .problems import report, warnings_report


def check(root: Path, base: str) -> int:
    """Validate data/ and playbook front matter, and version bumps against `base`; 1 on problems.
    Warnings are printed too, and fail nothing."""
    project = load(root)
    if project.warnings:
        print(warnings_report(project.warnings), file=sys.stderr)
    problems = list(project.problems)
    note = ""
    if not problems:
        bumps, note = history.version_problems(project, base)
        problems += bumps
    if problems:
        print(report(problems), file=sys.stderr)
        return 1
    counts = ", ".join(f"{len(items)} {kind}" for kind, items in project.records.items())
    print(f"All data is valid: {counts}.")
    print(note)
    return 0


def stale(root: Path, today: datetime.date, strict: bool) -> int:
    """Print what is overdue for review, most urgent first; with --strict, 1 if anything is."""
    project = load(root)
    if project.problems:
        print(report(project.problems), file=sys.stderr)
        return 1
    items = reports.overdue(project, today)
    print(reports.stale_text(items, today))
    return 1 if strict and items else 0


def copy_lint(paths: list[Path]) -> int:
    """Print every Chinese copywriting issue in the files; 1 if there is any."""
    issues = typography.copy_issues(paths)
    for issue in issues:
        print(issue, file=sys.stderr)
    return 1 if issues else 0


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run one subcommand."""
    parser = argparse.ArgumentParser(prog="python -m macros", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    check_parser = commands.add_parser("check", help="validate data/, front matter and version bumps")
    check_parser.add_argument("--base", default="main",
                              help="git ref the version-bump rule compares with (default: main)")
    stale_parser = commands.add_parser("stale", help="list what is overdue for review")
    stale_parser.add_argument("--strict", action="store_true", help="exit 1 if anything is overdue")
    stale_parser.add_argument("--today", type=datetime.date.fromisoformat,
                              default=datetime.date.today(), help="pretend today is YYYY-MM-DD")
    lint_parser = commands.add_parser("copy-lint", help="check Chinese copywriting in files")
    lint_parser.add_argument("paths", nargs="*", type=Path, help="Markdown or YAML files")
    for sub in (check_parser, stale_parser):
        sub.add_argument("--root", type=Path, default=Path.cwd(), help="project directory")
    args = parser.parse_args(argv)
    if args.command == "check":
        return check(args.root, args.base)
    if args.command == "copy-lint":
        return copy_lint(args.paths)
    return stale(args.root, args.today, args.strict)


if __name__ == "__main__":
    sys.exit(main())
