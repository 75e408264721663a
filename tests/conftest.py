"""Shared fixtures: one strict build of the real site per session, and temp project copies."""

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import sync_playwright

from bench.synth import ROOT, copy_project
from chromium import find as find_chromium
from chromium import missing_message
from macros.loader import load
from macros.problems import report

PAYLOAD = "<img src=x onerror=alert(1)>"
VALID_FIXTURE = ROOT / "tests/fixtures/valid"
GIT_ENV = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")


def load_hook(name: str):
    """The MkDocs hook hooks/<name>.py, loaded as a module on its own, as MkDocs loads it."""
    spec = importlib.util.spec_from_file_location(f"{name}_under_test", ROOT / f"hooks/{name}.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    return hook


def git_repo(root: Path) -> Path:
    """Make `root` a git repository with everything committed on main."""
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
        done = subprocess.run(["git", *command], cwd=root, env=GIT_ENV, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    return root


def build_site(project: Path, site_dir: Path, site_url: str = "http://127.0.0.1/"
               ) -> subprocess.CompletedProcess:
    """Run a strict `mkdocs build` of `project` into `site_dir` and capture its output.

    `site_url` must be the origin the site is served from: Material's instant navigation only
    takes over links that match the sitemap, which is written from site_url."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1", SITE_URL=site_url)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


ZENSICAL_SITE = "site-zensical"  # Zensical writes inside the project (no --site-dir): `make build-zensical`


def build_zensical(project: Path, site_url: str = "http://127.0.0.1/") -> subprocess.CompletedProcess:
    """Run a strict, cache-free `zensical build` of `project` into project/site-zensical, as
    `make build-zensical` does, and capture its output."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", SITE_URL=site_url, SITE_DIR=ZENSICAL_SITE)
    return subprocess.run([sys.executable, "-m", "zensical", "build", "--strict", "--clean"],
                          cwd=project, env=env, capture_output=True, text=True, timeout=600)


def poisoned(root: Path, payload: str = PAYLOAD) -> None:
    """Append an XSS payload (PAYLOAD unless told) to every free-text string of every data file
    under `root`, and of handbook.yml's community profile (its name, description and team must be
    plain text: a build refuses markup there, as in every title)."""
    ids = {"id", "owner", "A", "R", "C", "I", "templates", "checklists", "metrics", "formula",
           "channel", "cadence", "status", "category", "version", "date", "last_reviewed", "link",
           "name", "phrase", "url", "checked", "confidence", "platform",
           # search words: at most 12 characters without spaces (the schema), and a synonym's
           # term must match a heading, so the payload cannot go there
           "keywords", "word", "term"}

    def walk(value, keep, key=None):
        if isinstance(value, dict):
            return {k: walk(v, keep, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, keep, key) for v in value]
        if isinstance(value, str) and key not in keep:
            return value + payload
        return value

    def profile(data):
        return {**data, "community": walk(data["community"], {"carrier"})}

    files = [(path, lambda data: walk(data, ids)) for path in (root / "data").rglob("*.yml")]
    files += [(root / "handbook.yml", profile)] if (root / "handbook.yml").is_file() else []
    for path, poison in files:
        lines = path.read_text("utf-8").split("\n", 1)
        data = poison(yaml.safe_load(lines[1]))
        data.pop("max_length", None)
        path.write_text(lines[0] + "\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                        "utf-8")


SAMPLE_USES = ('\n\n群管理员上限 [[ fact("wechat_group_admin_cap") ]]，'
               '@所有人 [[ fact("house_at_all_cap") ]]；'
               '写作营每期 [[ community("writing_camp", "members") ]]，'
               '活跃率目标 [[ metric_target("activity_rate") ]]。\n')


SAMPLE_SOP = "new_member_welcome"  # its first step's timing gets a fact call appended


def with_sample_facts(root: Path) -> None:
    """Add the fixture's two facts to a project copy and show them, a community number and a metric
    target at the end of its glossary page, and a fact in the text of an SOP step."""
    for fact in (VALID_FIXTURE / "data/facts").glob("*.yml"):
        (root / "data/facts").mkdir(exist_ok=True)
        (root / "data/facts" / fact.name).write_bytes(fact.read_bytes())
    glossary = root / "docs/glossary.md"
    glossary.write_text(glossary.read_text("utf-8") + SAMPLE_USES, "utf-8")
    sop = root / f"data/sops/{SAMPLE_SOP}.yml"
    text = sop.read_text("utf-8")
    timing = re.search(r"^ +timing: (.*)$", text, re.M)
    sop.write_text(text[:timing.end()] + '，@所有人 [[ fact("house_at_all_cap") ]]' + text[timing.end():],
                   "utf-8")


@pytest.fixture(scope="session")
def facts_site(tmp_path_factory):
    """A strict build of a copy of the real project with sample facts in use, served on 127.0.0.1."""
    project = copy_project(tmp_path_factory.mktemp("facts") / "project")
    with_sample_facts(project)
    out = tmp_path_factory.mktemp("facts-site")
    running = SiteServer(out)
    result = build_site(project, out, running.url)
    assert result.returncode == 0, f"strict build failed:\n{result.stdout}\n{result.stderr}"
    yield out, running.url
    running.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """An HTTP server on 127.0.0.1 for built sites; `site` points it at the real build."""
    running = SiteServer(tmp_path_factory.mktemp("empty"))
    yield running
    running.close()


@pytest.fixture(scope="session")
def site(tmp_path_factory, server) -> Path:
    """The real project, built once per session with --strict and served by `server`."""
    out = tmp_path_factory.mktemp("site")
    result = build_site(ROOT, out, server.url)
    assert result.returncode == 0, f"strict build failed:\n{result.stdout}\n{result.stderr}"
    server.root = out
    return out


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory):
    """A copy of the real project built once per session by Zensical, served on 127.0.0.1:
    (site directory, server)."""
    project = copy_project(tmp_path_factory.mktemp("zensical") / "project")
    running = SiteServer(project / ZENSICAL_SITE)
    result = build_zensical(project, running.url)
    assert result.returncode == 0, f"Zensical build failed:\n{result.stdout}\n{result.stderr}"
    yield project / ZENSICAL_SITE, running
    running.close()


@pytest.fixture
def project(tmp_path) -> Path:
    """A fresh copy of the valid fixture project, with the real schemas."""
    root = tmp_path / "project"
    shutil.copytree(VALID_FIXTURE, root)
    shutil.copytree(ROOT / "data/schemas", root / "data/schemas")
    return root


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A throwaway copy of the project to break or modify."""
    return copy_project(tmp_path / "project")


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped test counts as a failure: nothing may be quietly left out."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if os.environ.get("CI") and skipped and exitstatus == 0:
        reporter.write_line(f"CI: {len(skipped)} test(s) skipped; skipping counts as failing.")
        session.exitstatus = 1


# ---------- real browser: Playwright driving Chromium (tests/chromium.py finds it) ----------

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class SiteServer:
    """A static file server on 127.0.0.1 whose root can be switched between builds."""

    def __init__(self, root: Path):
        self.root = root
        server = self

        class Handler(SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(server.root), **kwargs)

            def log_message(self, *args):
                """Stay quiet: test output is for test results."""

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        """Stop serving."""
        self.httpd.shutdown()
        self.httpd.server_close()


def pytest_sessionstart(session):
    """Stop before any test when the project's own data is invalid: the same report as
    `make check`, once, instead of dozens of failing tests that all say the same."""
    problems = load(ROOT).problems
    if problems:
        pytest.exit("数据有问题，测试没有运行。先改好下面的问题（make check 给出同样的报告）：\n"
                    + report(problems), returncode=1)


def pytest_collection_modifyitems(items):
    """Mark every test that drives Chromium: through the browser fixture or the PDF printer."""
    for item in items:
        if {"browser", "pdf_file"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    """The installed Chromium (see tests/chromium.py), launched once per session; never a
    downloaded one. Without a browser the browser tests are skipped, which fails CI."""
    executable = find_chromium()
    if executable is None:
        pytest.skip(missing_message())
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


WATCHED: list = []  # the pages watch() set up during the current test


@pytest.fixture(autouse=True)
def console_stays_clean():
    """Every page a test watched (the `page` fixture's and those made with watch()) ends the test
    with no console error and no uncaught page error. A test that provokes one on purpose
    asserts it, then clears page.errors."""
    WATCHED.clear()
    yield
    for watched in WATCHED:
        assert watched.errors == [], f"console or page errors: {watched.errors}"


def watch(page):
    """Record console errors, page errors and any request to a host other than 127.0.0.1."""
    WATCHED.append(page)
    page.errors, page.outside = [], []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))

    def route(request_route):
        if urlsplit(request_route.request.url).hostname in ("127.0.0.1", None):
            request_route.continue_()
        else:
            page.outside.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    return page


@pytest.fixture
def context(browser):
    """A fresh browser context (empty localStorage), phone-agnostic desktop size."""
    ctx = browser.new_context(locale="zh-CN")
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    """A page that records console errors and outside requests; both must stay empty (the errors
    are checked by console_stays_clean)."""
    opened = watch(context.new_page())
    yield opened
    assert opened.outside == [], f"requests to outside hosts: {opened.outside}"


def pytest_addoption(parser):
    """--update-golden rewrites tests/golden/*.html from the current output."""
    parser.addoption("--update-golden", action="store_true", help="rewrite the golden HTML files")
