"""`make pdf`: the whole handbook as one A4 PDF, printed by Chromium from the print view.

The print view is mkdocs-print-site-plugin's print page (every nav page in nav order, a cover
and a table of contents), enabled for this build only with PRINT_SITE=true."""

import datetime
import tempfile
import threading
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from . import DIST, ROOT, PublishError, build, say, slug, version

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves the built site without logging every request."""

    def log_message(self, *args):
        """Stay quiet: the terminal shows progress, not requests."""


@contextmanager
def serve(site: Path):
    """Serve `site` on 127.0.0.1 for as long as the block runs; yields its base URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def local_only(route) -> None:
    """Let requests to 127.0.0.1 through and abort any other: the PDF needs nothing from outside."""
    if urlsplit(route.request.url).hostname == "127.0.0.1":
        route.continue_()
    else:
        route.abort()


def print_page(url: str, target: Path) -> None:
    """Open the print view at `url` in Chromium and print it to `target` (A4)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise PublishError(f"找不到 {CHROMIUM}：请先安装 Debian 的 chromium（apt-get install chromium）。")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(locale="zh-CN").new_page()
        page.route("**/*", local_only)
        say("在 Chromium 中打开打印视图…")
        page.goto(url, wait_until="load")  # parsed, scripts run: the contents page is filled in
        page.wait_for_load_state("networkidle")
        page.evaluate("document.fonts.ready")
        say("Chromium 正在排版并打印为 PDF（A4）…")
        # Page size, margins and page numbers come from the site's @page rules (handbook.css).
        data = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
        browser.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def pdf(out: Path = DIST, root: Path = ROOT) -> Path:
    """Build the print view and print it to `out`/<slug>.pdf; the PDF's path."""
    target = out / f"{slug(root)}.pdf"
    env = {"PRINT_SITE": "true", "HANDBOOK_VERSION": version(root),
           "HANDBOOK_BUILT": datetime.date.today().isoformat()}
    with tempfile.TemporaryDirectory(prefix="handbook-pdf-") as work:
        site = Path(work) / "site"
        build(site, env, root)
        with serve(site) as base:
            print_page(f"{base}print_page/", target)
    say(f"PDF 已生成：{target}（{target.stat().st_size / 1024 / 1024:.1f} MB）。")
    return target
