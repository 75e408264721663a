"""Builds the project in the current folder as `mkdocs serve` does, several times in one process,
for tests/test_serve_cache.py:

    python serve_builds.py OUT STEPS_JSON

STEPS_JSON is a list of steps; a step is a list of edits [file, old text, new text], applied
before that step's build. Build n goes to OUT/n. One JSON line per build on stdout: whether it
was built or aborted, and what MkDocs logged."""

import json
import logging
import sys
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

SERVE_URL = "http://127.0.0.1:8000/"


class Kept(logging.Handler):
    """Keeps MkDocs's log messages of the current build."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep one message."""
        self.messages.append(record.getMessage())


def edit(rel: str, old: str, new: str) -> None:
    """Replace the first `old` in a file with `new`."""
    path = Path(rel)
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} is not in {rel}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def main(out: str, steps: list) -> None:
    """Apply each step's edits and build, as `mkdocs serve` rebuilds after a save."""
    kept = Kept()
    logging.getLogger("mkdocs").addHandler(kept)
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    for n, edits in enumerate(steps):
        for rel, old, new in edits:
            edit(rel, old, new)
        config = load_config("mkdocs.yml", site_dir=str(Path(out) / str(n)))
        config.site_url = SERVE_URL
        config.plugins.on_startup(command="serve", dirty=False)
        kept.messages.clear()
        try:
            build(config, serve_url=SERVE_URL)
            outcome = "built"
        except Abort as error:
            outcome = f"aborted: {error}"
        print(json.dumps({"outcome": outcome, "log": kept.messages}, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], json.loads(sys.argv[2]))
