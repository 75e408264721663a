"""The test command says what it needs: the browser search order, and `make test` stopping with
the install commands before the suite runs when no browser is found."""

import os
import subprocess

import chromium
from conftest import ROOT


def fake_browsers(tmp_path, monkeypatch, present: set[str]) -> None:
    """Point each place the search looks at a file under tmp_path that exists only if `present`."""
    for name in ("debian", "playwright", "chrome", "env"):
        if name in present:
            (tmp_path / name).write_text("")
    place = lambda name: str(tmp_path / name)  # noqa: E731
    monkeypatch.setattr(chromium, "DEBIAN_UBUNTU", (place("missing"), place("debian")))
    monkeypatch.setattr(chromium, "GOOGLE_CHROME", (place("chrome"),))
    monkeypatch.setattr(chromium, "playwright_managed",
                        lambda: place("playwright") if "playwright" in present else None)
    if "env" in present:
        monkeypatch.setenv("CHROMIUM", place("env"))
    else:
        monkeypatch.delenv("CHROMIUM", raising=False)


def test_the_search_order_is_env_debian_playwright_chrome(tmp_path, monkeypatch):
    """Each place wins over the ones after it; with nothing installed, find() says so."""
    order = ["env", "debian", "playwright", "chrome"]
    for i, first in enumerate(order):
        (tmp_path / first).mkdir()
        fake_browsers(tmp_path / first, monkeypatch, set(order[i:]))
        assert chromium.find() == str(tmp_path / first / first)
    (tmp_path / "none").mkdir()
    fake_browsers(tmp_path / "none", monkeypatch, set())
    assert chromium.find() is None


def test_a_wrong_chromium_variable_is_not_silently_replaced(tmp_path, monkeypatch):
    """CHROMIUM naming a file that does not exist finds nothing and the message names it."""
    fake_browsers(tmp_path, monkeypatch, {"debian"})
    monkeypatch.setenv("CHROMIUM", str(tmp_path / "nope"))
    assert chromium.find() is None
    assert f"CHROMIUM 指向的 {tmp_path / 'nope'} 不存在" in chromium.missing_message()


def test_make_test_stops_before_the_suite_without_a_browser():
    """`make test` with no browser prints the Debian/Ubuntu and macOS commands and runs no test."""
    env = dict(os.environ, CHROMIUM="/nonexistent/chromium")
    result = subprocess.run(["make", "--no-print-directory", "test"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "sudo apt-get install chromium fonts-noto-cjk" in result.stderr
    assert "brew install --cask google-chrome" in result.stderr
    assert "test session starts" not in result.stdout + result.stderr
