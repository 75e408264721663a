"""`make bench`: edit-to-reload in `mkdocs serve`. A copy of the project is served with live
reload; Chromium shows a page; a playbook or a data file is saved with a new sentence, and the
time runs until the page shows it (build, search index and reload included)."""

import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.synth import copy_project

EDITS = {  # what is edited: (file, text to change, page that shows it)
    "playbook": ("playbooks/structure.md", "## 要点\n", "playbooks/structure/"),
    "data": ("data/sops/new_member_welcome.yml", "title: 新人入群欢迎\n", "library/sops/"),
}


def free_port() -> int:
    """A TCP port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(project: Path, port: int) -> subprocess.Popen:
    """`mkdocs serve` with live reload on the project, once it answers."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    process = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dev-addr",
                                f"127.0.0.1:{port}"], cwd=project, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise SystemExit("mkdocs serve did not start within 5 minutes")


def edit(project: Path, rel: str, anchor: str, marker: str) -> None:
    """Save the file with `marker` written after `anchor` (a sentence in a playbook, a title
    suffix in data)."""
    path = project / rel
    text = path.read_text("utf-8")
    if rel.endswith(".md"):
        text = text.replace(anchor, f"{anchor}\n{marker}。\n", 1)
    else:
        text = text.replace(anchor, anchor.rstrip("\n") + marker + "\n", 1)
    path.write_text(text, "utf-8")


def measure(browser, work: Path, rounds: int = 5) -> dict:
    """Median seconds from saving to the reloaded page, for a playbook edit and a data edit."""
    project = copy_project(work / "serve")
    port = free_port()
    process = serve(project, port)
    result = {}
    try:
        page = browser.new_page()
        for name, (rel, anchor, shown) in EDITS.items():
            original = (project / rel).read_text("utf-8")
            page.goto(f"http://127.0.0.1:{port}/{shown}")
            times = []
            for round_ in range(rounds + 1):  # the first round warms the server up; not counted
                marker = f"测速标记{name}{round_}"
                start = time.perf_counter()
                edit(project, rel, anchor, marker)
                page.wait_for_function(f"document.body?.innerText.includes({marker!r})", timeout=120_000)
                if round_:
                    times.append(time.perf_counter() - start)
                (project / rel).write_text(original, "utf-8")
                page.wait_for_function(f"document.body && !document.body.innerText.includes({marker!r})",
                                       timeout=120_000)
            result[f"{name}_reload_s"] = round(statistics.median(times), 2)
        page.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
    return result
