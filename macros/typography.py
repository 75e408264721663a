"""Chinese copywriting checks (中文文案排版指北) with autocorrect, for pre-commit and the tests."""

import re
from pathlib import Path

import autocorrect_py

from .pages import read_bytes
from .yamlsource import YamlProblem, decode

CJK = re.compile(r"[\u4e00-\u9fff]")


def copy_issues(paths: list[Path]) -> list[str]:
    """`path:line: 中文排版：'old' — 改成 'new'` for every autocorrect finding in files that hold
    Chinese."""
    issues = []
    for path in paths:
        try:
            text = decode(read_bytes(path, str(path)), str(path))
        except YamlProblem as err:
            issues.append(str(err.problem))
            continue
        if CJK.search(text):
            issues += [f"{path}:{line.line}: 中文排版：{line.old!r} — 改成 {line.new!r}"
                       for line in autocorrect_py.lint_for(text, str(path)).lines]
    return issues
