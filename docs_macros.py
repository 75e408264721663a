"""The macros' entry module (`module_name: docs_macros` in mkdocs.yml) for both site generators.

mkdocs-macros and Zensical's macros extension both load a module by file path, which a package
with relative imports cannot be: this file puts the project folder on the import path and imports
the `macros` package as a package.

mkdocs-macros runs this file again on every build (Zensical on every page), but Python keeps an
imported package for the life of the process, so `mkdocs serve` would go on rendering with the
macros/ code and partials it started with. The package is therefore imported afresh when any file
under macros/ changed since it was imported. Nothing else belongs here."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def source_stamp() -> tuple:
    """Every file under macros/ with its size and modification time (about 0.1 ms: Zensical runs
    this file once per page)."""
    found = []
    for folder, subfolders, names in os.walk(ROOT / "macros"):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        for name in names:
            stat = os.stat(os.path.join(folder, name))
            found.append((folder, name, stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(found))


STAMP = source_stamp()
if getattr(sys.modules.get("macros"), "loaded_from", STAMP) != STAMP:
    for name in [name for name in sys.modules if name == "macros" or name.startswith("macros.")]:
        del sys.modules[name]

import macros  # noqa: E402
from macros import define_env, on_pre_page_macros  # noqa: E402, F401  (the hook: MkDocs only)

macros.loaded_from = STAMP  # what the imported package was read from
