"""Command line for the handbook, one subcommand per task:

  python -m macros check [--root DIR] [--base REF] [--no-version-check]
                                                      validate data/, front matter and version bumps
  python -m macros stale [--root DIR] [--strict]     list what is overdue for review
  python -m macros copy-lint FILE...                  check Chinese copywriting in files
  python -m macros init [--name …] [--org …] [--repo …] [--branch …] [--site-url …] [--community …]
                                                      make the handbook your team's (handbook.yml)
"""

import argparse
import datetime
import sys
from pathlib import Path

from . import adopt, history, reports, typography
from .loader import load
from .problems import report, warnings_report


def check(root: Path, base: str | None) -> int:
    """Validate data/ and playbook front matter, and version bumps against `base` (None: the
    contributor opted out); 1 on problems. Warnings are printed too, and fail nothing."""
    project = load(root)
    if project.warnings:
        print(warnings_report(project.warnings), file=sys.stderr)
    problems = list(project.problems)
    note = "版本号检查已按要求跳过（--no-version-check）。" if base is None else ""
    if not problems and base is not None:
        try:
            bumps, note = history.version_problems(project, base)
        except history.MissingBase as err:
            print(err, file=sys.stderr)
            return 1
        problems += bumps
    if problems:
        print(report(problems), file=sys.stderr)
        return 1
    counts = "、".join(f"{project.noun(kind)} {len(items)} 个" for kind, items in project.records.items())
    print(f"数据全部有效：{counts}。")
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


def project_dir(text: str) -> Path:
    """The --root argument: an existing directory that holds a handbook (mkdocs.yml or data/)."""
    root = Path(text)
    if not root.is_dir():
        raise argparse.ArgumentTypeError(f"{text} 不是一个目录 — --root 要指向手册项目的根目录")
    if not ((root / "mkdocs.yml").is_file() or (root / "data").is_dir()):
        raise argparse.ArgumentTypeError(f"{text} 里没有 mkdocs.yml 也没有 data/，不像手册项目 — "
                                         "--root 要指向手册项目的根目录")
    return root


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run one subcommand."""
    parser = argparse.ArgumentParser(prog="python -m macros", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    check_parser = commands.add_parser("check", help="validate data/, front matter and version bumps")
    check_parser.add_argument("--base", default="main",
                              help="git ref the version-bump rule compares with (default: main)")
    check_parser.add_argument("--no-version-check", dest="base", action="store_const", const=None,
                              help="explicitly skip the version-bump rule (see CONTRIBUTING.md)")
    stale_parser = commands.add_parser("stale", help="list what is overdue for review")
    stale_parser.add_argument("--strict", action="store_true", help="exit 1 if anything is overdue")
    stale_parser.add_argument("--today", type=datetime.date.fromisoformat,
                              default=datetime.date.today(), help="pretend today is YYYY-MM-DD")
    lint_parser = commands.add_parser("copy-lint", help="check Chinese copywriting in files")
    lint_parser.add_argument("paths", nargs="*", type=Path, help="Markdown or YAML files")
    init_parser = commands.add_parser(
        "init", help="make the handbook your team's: fill in handbook.yml (asks when no flag is given)")
    for question in adopt.QUESTIONS:
        init_parser.add_argument("--" + question.flag.replace("_", "-"), dest=question.flag,
                                 metavar="…", help=question.prompt)
    for sub in (check_parser, stale_parser, init_parser):
        sub.add_argument("--root", type=project_dir, default=Path.cwd(), help="project directory")
    args = parser.parse_args(argv)
    if args.command == "check":
        return check(args.root, args.base)
    if args.command == "copy-lint":
        return copy_lint(args.paths)
    if args.command == "init":
        return adopt.init(args.root, {q.flag: getattr(args, q.flag) for q in adopt.QUESTIONS})
    return stale(args.root, args.today, args.strict)


if __name__ == "__main__":
    sys.exit(main())
