"""Finds the Chromium the browser tests drive, and says how to install one when there is none.

Search order: the CHROMIUM environment variable, the Debian/Ubuntu paths, a browser that
Playwright manages (`playwright install chromium`), then Google Chrome. `make test` runs this file
first, so a laptop without a browser stops with the install command instead of failing inside the
suite. Nothing here downloads a browser."""

import os
import sys
from pathlib import Path

DEBIAN_UBUNTU = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium")
GOOGLE_CHROME = ("/usr/bin/google-chrome", "/usr/bin/google-chrome-stable",
                 "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome")
INSTALL = """浏览器测试需要 Chromium 或 Google Chrome，但这台电脑上没有找到。安装一个，再运行 make test：
  Debian / Ubuntu：sudo apt-get install chromium fonts-noto-cjk（Ubuntu 上包名是 chromium-browser）
  macOS：brew install --cask google-chrome
已经装在别处了？用 CHROMIUM 指定它的路径，例如 CHROMIUM=/opt/chromium/chrome make test"""


def playwright_managed() -> str | None:
    """The Chromium that `playwright install chromium` put on this machine, if any."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        path = playwright.chromium.executable_path
    return path if Path(path).is_file() else None


def find() -> str | None:
    """The browser the tests should launch, in the documented order; None when there is none."""
    chosen = os.environ.get("CHROMIUM")
    if chosen:
        return chosen if Path(chosen).is_file() else None
    found = next((path for path in DEBIAN_UBUNTU if Path(path).is_file()), None)
    return found or playwright_managed() or next(
        (path for path in GOOGLE_CHROME if Path(path).is_file()), None)


def missing_message() -> str:
    """What to do when no browser is found (a wrong CHROMIUM path is named)."""
    chosen = os.environ.get("CHROMIUM")
    if chosen:
        return (f"环境变量 CHROMIUM 指向的 {chosen} 不存在 — "
                f"改成浏览器程序的完整路径，或去掉这个变量\n{INSTALL}")
    return INSTALL


if __name__ == "__main__":
    if find() is None:
        print(missing_message(), file=sys.stderr)
        sys.exit(1)
