"""The macros' entry module (`module_name: docs_macros` in mkdocs.yml) for both site generators.

mkdocs-macros and Zensical's macros extension both load a module by file path, which a package
with relative imports cannot be: this file puts the project folder on the import path and imports
the `macros` package as a package. Nothing else belongs here."""

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parent)
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from macros import define_env, on_pre_page_macros  # noqa: E402, F401  (the hook: MkDocs only)
