"""Publishing the handbook beyond GitHub Pages: an offline zip, a PDF, object storage (S3 API).

Run as `python -m publish offline|pdf|s3`; the Makefile's `make offline`, `make pdf` and
`make deploy-s3` call it. Messages to the user are in Chinese."""

import datetime
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from macros import identity

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"


class PublishError(Exception):
    """A problem the user can fix; the message (in Chinese) says how."""


def say(message: str) -> None:
    """Print a progress line: building and printing take a while."""
    print(f"[发布 {time.strftime('%H:%M:%S')}] {message}", flush=True)


def site_name(root: Path = ROOT) -> str:
    """The handbook's name: `name` in handbook.yml, the file a team rebrands the site in."""
    document, problems = identity.read(root)
    errors = [problem for problem in problems if not problem.warning]
    if document is None or errors:
        raise PublishError("handbook.yml 有问题，先修好再发布：\n" + "\n".join(map(str, errors)))
    return document.data["name"]


def slug(root: Path = ROOT) -> str:
    """The file-name stem of every artifact in dist/: the handbook's name, safe in a file name."""
    return re.sub(r"[\s/\\:*?\"<>|]+", "-", site_name(root)).strip("-") or "handbook"


def version(root: Path = ROOT) -> str:
    """The version printed on the cover: the git tag on HEAD (without its v), else today's date."""
    tag = subprocess.run(["git", "describe", "--tags", "--exact-match", "HEAD"], cwd=root,
                         capture_output=True, text=True, check=False).stdout.strip()
    return tag.removeprefix("v") if tag else datetime.date.today().isoformat()


def build(site_dir: Path, env: dict[str, str], root: Path = ROOT) -> None:
    """Strict `mkdocs build` of the project into `site_dir`, with extra environment variables."""
    say(f"构建站点到 {site_dir}（严格模式，约需一分钟）…")
    full_env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **env)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
                             "--site-dir", str(site_dir)], cwd=root, env=full_env,
                            capture_output=True, text=True, check=False)
    if result.returncode:
        raise PublishError(f"站点构建失败，先修好下面的问题再发布：\n{result.stderr[-4000:]}")
