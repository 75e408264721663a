"""Hardening against the reliability review (reliability-2026-11-24.md): every FAIL case of the
classes "no crash from any file", "messages, not tracebacks" and "no silent switch-off" has a test
here, named after its case id, plus variants of each class the review did not list."""

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from test_workflow import check, edit_body, fixture_repo, run, stale  # noqa: F401 (fixture)


# ---------- 4. No silent switch-off ----------

@pytest.mark.parametrize("base", ["nope-branch", "--output=/tmp/hardening-x", "main~99"])
def test_p01_missing_base_fails_with_a_chinese_message(fixture_repo, base, tmp_path):
    """P01: a base ref that does not exist fails the check (rc 1) instead of skipping it."""
    edit_body(fixture_repo)
    result = check(fixture_repo, f"--base={base}")
    assert result.returncode == 1, result.stdout
    assert f"找不到 git 引用 {base!r}" in result.stderr
    assert "--no-version-check" in result.stderr and "Traceback" not in result.stderr
    assert not Path("/tmp/hardening-x").exists()


def test_p01_make_check_with_a_missing_base_fails(tmp_path):
    """P01 through make: `make check BASE=<missing>` exits non-zero with the message."""
    result = subprocess.run(["make", "-s", "check", "BASE=no-such-ref-anywhere"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "找不到 git 引用 'no-such-ref-anywhere'" in result.stderr


def test_p01_only_the_explicit_flag_skips_the_version_check(fixture_repo):
    """The opt-out flag is the one way to skip the rule, and the output says it was skipped."""
    edit_body(fixture_repo)
    assert check(fixture_repo).returncode == 1  # body changed, no bump: the rule is on
    skipped = check(fixture_repo, "--no-version-check")
    assert skipped.returncode == 0, skipped.stderr
    assert "版本号检查已按要求跳过" in skipped.stdout
    assert "NO_VERSION_CHECK=1" in (ROOT / "CONTRIBUTING.md").read_text("utf-8")


@pytest.mark.parametrize("command", ["check", "stale"])
@pytest.mark.parametrize("root", ["/nonexistent-handbook", "mkdocs.yml", "/tmp"])
def test_p04_root_that_is_not_a_handbook_fails(command, root):
    """P04: --root on a missing directory, a file, or a directory without a handbook fails."""
    extra = ["--strict"] if command == "stale" else []
    result = run([sys.executable, "-m", "macros", command, "--root", root, *extra], ROOT)
    assert result.returncode == 2, result.stdout
    assert "--root 要指向手册项目的根目录" in result.stderr
    assert "Traceback" not in result.stderr
