"""Macros for 社群运营手册, loaded by mkdocs-macros-plugin (`module_name: macros`).

The data is loaded and checked once per build, before any page renders; the macros are plain
functions over that data, so they know nothing of MkDocs and can be tested on their own.
"""

import sys
from pathlib import Path

from .loader import load
from .problems import InvalidData, report


def load_or_stop(root: Path):
    """The checked project, or the full problem report on stderr and a clean stop."""
    project = load(root)
    if project.problems:
        print(report(project.problems), file=sys.stderr)
        raise InvalidData(f"{len(project.problems)} data problem(s); see the list above.")
    return project


def define_env(env):
    """Register the handbook's macros; nothing else happens here."""
    load_or_stop(Path(env.project_dir))
