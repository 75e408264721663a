"""Chinese copywriting checks (中文文案排版指北) with autocorrect, for pre-commit and the tests."""

import re
from pathlib import Path

import autocorrect_py

from .pages import read_bytes
from .yamlsource import YamlProblem, decode

CJK = re.compile(r"[\u4e00-\u9fff]")


def chinese_texts(paths: list[Path], issues: list[str]):
    """(path, text) for each file that holds Chinese; a file that cannot be read adds its
    problem to `issues` instead."""
    for path in paths:
        try:
            text = decode(read_bytes(path, str(path)), str(path))
        except YamlProblem as err:
            issues.append(str(err.problem))
            continue
        if CJK.search(text):
            yield path, text


def copy_issues(paths: list[Path]) -> list[str]:
    """`path:line: 中文排版：'old' — 改成 'new'` for every autocorrect finding in files that hold
    Chinese."""
    issues = []
    for path, text in chinese_texts(paths, issues):
        issues += [f"{path}:{line.line}: 中文排版：{line.old!r} — 改成 {line.new!r}"
                   for line in autocorrect_py.lint_for(text, str(path)).lines]
    return issues


def fix_copy(paths: list[Path]) -> tuple[list[str], list[str]]:
    """Rewrite each file that has findings with autocorrect's corrections: (what was fixed, files
    that could not be read)."""
    fixed, issues = [], []
    for path, text in chinese_texts(paths, issues):
        lines = autocorrect_py.lint_for(text, str(path)).lines
        if lines:
            path.write_text(autocorrect_py.format_for(text, str(path)), "utf-8")
            fixed.append(f"{path}: 改好了 {len(lines)} 行的中文排版，请再看一眼改动")
    return fixed, issues
