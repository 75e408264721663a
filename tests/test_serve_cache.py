"""`mkdocs serve` rebuilds through hooks/serve_cache.py: a rebuild that reuses earlier pages and
search entries writes the same site, byte for byte, as a fresh build of the same sources; a page
whose conversion warned is converted again; saves are noticed every POLL_S seconds; an open page
swaps in its rebuilt version, and reloads when a stylesheet changed."""

import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from mkdocs.livereload import LiveReloadServer

from bench.reload import edit, free_port, serve
from conftest import ROOT, copy_project, git_repo, load_hook

PLAYBOOK_EDIT = ["playbooks/structure.md", "## 要点\n", "## 要点\n\n缓存测试加的一句话。\n"]
DATA_EDIT = ["data/sops/new_member_welcome.yml", "title: 新人入群欢迎\n", "title: 新人入群欢迎与破冰\n"]
BROKEN_LINK = ["playbooks/positioning.md", "## 要点\n", "## 要点\n\n[不存在的页](no-such-page.md)\n"]
LINK_FIXED = [BROKEN_LINK[0], BROKEN_LINK[2], BROKEN_LINK[1]]
REUSED = re.compile(r"沿用上次构建的结果：(\d+) 页中 (\d+) 页的 HTML、(\d+) 页的搜索条目")


def serve_builds(project: Path, out: Path, steps: list) -> list[dict]:
    """Build `project` once per step in one process, as `mkdocs serve` does (tests/serve_builds.py)."""
    done = subprocess.run([sys.executable, str(ROOT / "tests/serve_builds.py"), str(out), json.dumps(steps)],
                          cwd=project, capture_output=True, text=True, timeout=600,
                          env=dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1"))
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def reused(build: dict) -> tuple[int, int, int]:
    """(pages built, pages whose HTML was reused, pages whose search entries were reused)."""
    found = [REUSED.search(message) for message in build["log"]]
    numbers = next(match for match in found if match)
    return tuple(int(n) for n in numbers.groups())


def differences(one: Path, other: Path) -> list[str]:
    """Every file that is not the same in two site folders, by relative path."""
    files = {p.relative_to(one) for p in one.rglob("*") if p.is_file()}
    files |= {p.relative_to(other) for p in other.rglob("*") if p.is_file()}
    return sorted(str(f) for f in files
                  if not ((one / f).is_file() and (other / f).is_file()
                          and filecmp.cmp(one / f, other / f, shallow=False)))


def test_cached_rebuilds_write_what_fresh_builds_write(tmp_path):
    """After a playbook edit and then a data edit, the rebuilt site equals a fresh build of the
    same sources in every file (pages, search index, sitemap), and the rebuilds did reuse work."""
    base = git_repo(copy_project(tmp_path / "base"))  # one commit: the same git dates in every copy
    cached = serve_builds(shutil.copytree(base, tmp_path / "cached", symlinks=True), tmp_path / "cached-site",
                          [[], [PLAYBOOK_EDIT], [DATA_EDIT]])
    assert [b["outcome"] for b in cached] == ["built"] * 3
    for step, edits in ((1, [PLAYBOOK_EDIT]), (2, [PLAYBOOK_EDIT, DATA_EDIT])):
        fresh_project = shutil.copytree(base, tmp_path / f"fresh-{step}", symlinks=True)
        fresh = serve_builds(fresh_project, tmp_path / f"fresh-{step}-site", [edits])
        assert fresh[0]["outcome"] == "built"
        assert reused(fresh[0])[1:] == (0, 0)
        assert differences(tmp_path / "cached-site" / str(step), tmp_path / f"fresh-{step}-site/0") == []
        pages, html, entries = reused(cached[step])
        assert 0 < html < pages and 0 < entries < pages, cached[step]["log"]
    site = tmp_path / "cached-site/2"
    assert "缓存测试加的一句话" in (site / "playbooks/structure/index.html").read_text("utf-8")
    assert "新人入群欢迎与破冰" in (site / "library/sops/index.html").read_text("utf-8")


def test_a_page_that_warned_is_converted_again_on_every_rebuild(tmp_path):
    """A broken link stops every strict rebuild until it is fixed, not only the first."""
    builds = serve_builds(copy_project(tmp_path / "project"), tmp_path / "site",
                          [[], [BROKEN_LINK], [], [LINK_FIXED]])
    assert [b["outcome"][:7] for b in builds] == ["built", "aborted", "aborted", "built"]
    for build in builds[1:3]:
        assert any("no-such-page.md" in message for message in build["log"]), build["log"]


def test_serve_polls_for_saves_every_tenth_of_a_second(tmp_path):
    """The server `mkdocs serve` runs is replaced by one that polls every POLL_S seconds and
    watches what MkDocs watched before the serve event (docs/ and mkdocs.yml)."""
    hook = load_hook("serve_cache")
    config = SimpleNamespace(docs_dir=str(ROOT / "docs"), config_file_path=str(ROOT / "mkdocs.yml"))

    def builder():
        """Nothing to build here."""

    original = LiveReloadServer(builder=builder, host="127.0.0.1", port=0, root=str(tmp_path))
    original.watch(config.docs_dir)
    served = hook.on_serve(original, config=config, builder=builder)
    assert served.observer.timeout == hook.POLL_S == 0.1
    assert (served.root, served.builder, served.server_address) == (original.root, builder, ("127.0.0.1", 0))
    watched = sorted(emitter.watch.path for emitter in served.observer.emitters)
    served.server_close()
    assert watched == sorted([config.docs_dir, str(ROOT)])  # watchdog watches a file through its folder


def test_an_open_page_swaps_in_an_edit_and_reloads_for_a_stylesheet(page, tmp_path):
    """Under `mkdocs serve`, a playbook edit appears in the open page without a reload (the page's
    own variables survive) and its checklist starts again with the tick it had; after a stylesheet
    edit, which a swap cannot bring along, the page reloads (hooks/livereload.js)."""
    project = copy_project(tmp_path / "project")
    port = free_port()
    server = serve(project, port)
    try:
        page.goto(f"http://127.0.0.1:{port}/playbooks/structure/")
        toolbar = page.locator(".hb-checklist__toolbar").first
        toolbar.wait_for(state="visible")
        page.locator(".hb-checklist input[type=checkbox]").first.check()
        page.evaluate("window.sameDocument = true")
        edit(project, "playbooks/structure.md", "## 要点\n", "保存后原地换上的一句话")
        page.wait_for_function("document.body.innerText.includes('保存后原地换上的一句话')", timeout=120_000)
        assert page.evaluate("window.sameDocument") is True
        toolbar.wait_for(state="visible")  # the swapped-in checklist was enhanced again
        assert page.locator(".hb-checklist input[type=checkbox]").first.is_checked()
        stylesheet = project / "docs/assets/stylesheets/handbook.css"
        stylesheet.write_text(stylesheet.read_text("utf-8") + "\n/* 改过 */\n", "utf-8")
        page.wait_for_function("window.sameDocument === undefined", timeout=120_000)
        assert "保存后原地换上的一句话" in page.inner_text("body")
    finally:
        page.goto("about:blank")  # the page stops polling before the server goes
        server.terminate()
        server.wait(timeout=30)
