"""Command line for the handbook, one subcommand per task:

  python -m macros check [--root DIR] [--base REF] [--no-version-check]
                                                      validate data/, front matter and version bumps
  python -m macros stale [--root DIR] [--strict]     list what is overdue for review
  python -m macros copy-lint [--fix] FILE...          check (or correct) Chinese copywriting in files
  python -m macros init [--name …] [--org …] [--repo …] [--branch …] [--site-url …] [--community …]
                                                      make the handbook your team's (handbook.yml)
"""

import argparse
import datetime
import os
import sys
from pathlib import Path

from . import adopt, editor, history, pagecheck, reports, typography
from .loader import load
from .problems import annotations, report, warnings_report


def check(root: Path, base: str | None, versions: bool = True) -> int:
    """Validate data/ and playbook front matter, and version bumps against `base` (None: the
    upstream default branch) unless the contributor opted out; 1 on problems. Warnings are
    printed too, and fail nothing. On sound data, bring the editors' id lists up to date
    (macros/editor.py)."""
    project = load(root)
    if not project.problems and (root / "mkdocs.yml").is_file():  # render pages on sound data only
        found = pagecheck.problems(project)
        project.problems = [p for p in found if not p.warning]
        project.warnings = sorted(project.warnings + [p for p in found if p.warning])
    if project.warnings:
        print(warnings_report(project.warnings), file=sys.stderr)
    problems = list(project.problems)
    note = "" if versions else "版本号检查已按要求跳过（--no-version-check）。"
    if not problems and versions:
        try:
            bumps, note = history.version_problems(project, base)
        except history.MissingBase as err:
            print(err, file=sys.stderr)
            return 1
        problems += bumps
    on_github(problems + project.warnings)
    if problems:
        print(report(problems), file=sys.stderr)
        return 1
    counts = "、".join(f"{project.noun(kind)} {len(items)} 个" for kind, items in project.records.items())
    print(f"数据全部有效：{counts}。")
    if editor.refresh(project):
        print(f"已更新 {editor.path(Path()).as_posix()}（编辑器补全用的 id 列表），"
              "请把它和你的改动一起提交。")
    print(note)
    return 0


def on_github(found: list) -> None:
    """In GitHub Actions: each problem as an annotation on its line, and the report at the top of
    the run's summary page. Elsewhere nothing."""
    if os.environ.get("GITHUB_ACTIONS") != "true" or not found:
        return
    print(annotations(found))
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as page:
            page.write(f"## make check 发现的问题\n\n```text\n{report([p for p in found if not p.warning])}\n"
                       f"{warnings_report([p for p in found if p.warning])}\n```\n")


def stale(root: Path, today: datetime.date, strict: bool) -> int:
    """Print what is overdue for review, most urgent first; with --strict, 1 if anything is."""
    project = load(root)
    if project.problems:
        print(report(project.problems), file=sys.stderr)
        return 1
    items = reports.overdue(project, today)
    print(reports.stale_text(items, today))
    return 1 if strict and items else 0


def copy_lint(paths: list[Path], fix: bool) -> int:
    """Print every Chinese copywriting issue in the files, or with `fix` correct them and say so;
    1 if an issue is left."""
    if fix:
        fixed, issues = typography.fix_copy(paths)
        print("\n".join(fixed or ["中文排版没有要改的地方。"]))
    else:
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
    parser = argparse.ArgumentParser(prog="python -m macros", description="社群运营手册的命令行："
                                     "检查数据、列出待复审的内容、检查中文排版、把手册变成你们团队的。")
    commands = parser.add_subparsers(dest="command", required=True)
    check_parser = commands.add_parser("check", help="检查 data/、章节头信息和版本号")
    check_parser.add_argument("--base", help="检查版本号时对比的 git 分支（默认是上游的默认分支："
                              "origin/HEAD、origin/main、upstream/main……中第一个存在的，从分叉处算起）")
    check_parser.add_argument("--no-version-check", dest="versions", action="store_false",
                              help="明确跳过版本号检查（见 CONTRIBUTING.md）")
    stale_parser = commands.add_parser("stale", help="列出超过复审期限的内容")
    stale_parser.add_argument("--strict", action="store_true", help="有超期内容时以状态 1 退出")
    stale_parser.add_argument("--today", type=datetime.date.fromisoformat,
                              default=datetime.date.today(), help="把这一天（YYYY-MM-DD）当作今天")
    lint_parser = commands.add_parser("copy-lint", help="检查文件的中文排版")
    lint_parser.add_argument("paths", nargs="*", type=Path, help="Markdown 或 YAML 文件")
    lint_parser.add_argument("--fix", action="store_true", help="直接改好，而不只是列出来")
    init_parser = commands.add_parser(
        "init", help="把手册变成你们团队的：填写 handbook.yml（不带参数时逐项询问）")
    for question in adopt.QUESTIONS:
        init_parser.add_argument("--" + question.flag.replace("_", "-"), dest=question.flag,
                                 metavar="…", help=question.prompt)
    for sub in (check_parser, stale_parser, init_parser):
        sub.add_argument("--root", type=project_dir, default=Path.cwd(), help="手册项目的根目录")
    args = parser.parse_args(argv)
    if args.command == "check":
        return check(args.root, args.base, args.versions)
    if args.command == "copy-lint":
        return copy_lint(args.paths, args.fix)
    if args.command == "init":
        return adopt.init(args.root, {q.flag: getattr(args, q.flag) for q in adopt.QUESTIONS})
    return stale(args.root, args.today, args.strict)


if __name__ == "__main__":
    sys.exit(main())
