"""The version-bump rule: a playbook whose body changed since the base branch must raise its
version and add a changelog entry. Git is asked through its command line; no history, no check."""

import subprocess
from pathlib import Path

from .kinds.playbooks import semver
from .pages import body, page_text, split_front_matter
from .problems import Problem
from .yamlsource import YamlProblem, parse


def git(root: Path, *args: str) -> subprocess.CompletedProcess:
    """Run one git command in the project and capture its output."""
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=False, check=False)


def split(raw: bytes, rel: str) -> tuple[str, str]:
    """(front matter, body) of a copy of a playbook, read as the loader reads pages; a copy that
    is not UTF-8 is still compared, with its bad bytes replaced."""
    try:
        text = page_text(raw, rel)
    except YamlProblem:
        text = raw.decode("utf-8", "replace")
    return split_front_matter(text)[0] or "", body(text)


def base_version(raw: bytes, rel: str) -> str | None:
    """The version in a base-branch copy of a playbook, if it can be read."""
    try:
        meta = parse(split(raw, rel)[0].encode(), rel).data
    except YamlProblem:
        return None
    version = meta.get("version") if isinstance(meta, dict) else None
    return version if isinstance(version, str) else None


class MissingBase(Exception):
    """The base ref of the version-bump rule does not exist in this repository."""


# Where the upstream default branch usually is: the clone's `origin` (a team's own handbook, or a
# contributor's clone), a remote named `upstream` when there is no origin, then local branches
# (a repository without remotes). An adopting team's `upstream` is the handbook they copied,
# whose chapters they have rewritten, so it never comes before their own origin.
UPSTREAM_CANDIDATES = ("origin/HEAD", "origin/main", "origin/master", "upstream/HEAD",
                       "upstream/main", "upstream/master", "main", "master")


def exists(root: Path, ref: str) -> bool:
    """Whether `ref` names a commit in the repository at `root`."""
    return not ref.startswith("-") and git(root, "rev-parse", "--verify", "--quiet",
                                           f"{ref}^{{commit}}").returncode == 0


def upstream_base(root: Path) -> str | None:
    """The upstream default branch to compare with when none was named, if one exists."""
    return next((ref for ref in UPSTREAM_CANDIDATES if exists(root, ref)), None)


def fork_point(root: Path, base: str) -> str | None:
    """The commit where the current work left `base`: their merge base, so that work committed
    to a local branch of the same name is still compared with upstream. None when they share no
    history (a shallow clone) or nothing is committed yet."""
    found = git(root, "merge-base", base, "HEAD")
    return found.stdout.decode().strip() if found.returncode == 0 else None


def version_problems(project, base: str | None) -> tuple[list[Problem], str]:
    """Problems for playbooks changed since they left `base` (None: the upstream default branch)
    without a bump, and a note on what was compared. Outside a git repository there is no history
    and the note says the rule was skipped; a base that is missing inside one raises MissingBase,
    since a typo must not switch the rule off. Line ends and a BOM are not changes."""
    root = project.root
    if git(root, "rev-parse", "--is-inside-work-tree").returncode != 0:
        against = f" {base} " if base else "上游的默认分支"
        return [], f"这里没有 git 历史，无法和{against}对比：跳过了版本号检查。"
    wanted = f" git 引用 {base!r}" if base else "上游的默认分支（origin/main、upstream/main 或 main）"
    base = base or upstream_base(root)
    if base is None or not exists(root, base):
        raise MissingBase(
            f"错误：找不到{wanted}，无法检查改过正文的章节是否升级了版本号 — "
            "先运行 git fetch origin main，或用 BASE=<已有的分支>（--base）指定对比的分支；"
            "确实要跳过这项检查时，明确加上 NO_VERSION_CHECK=1（--no-version-check），见 CONTRIBUTING.md")
    fork = fork_point(root, base)
    since = fork or base
    problems = []
    for record in project.records["playbooks"].values():
        if not record.valid:
            continue
        old = git(root, "show", f"{since}:./{record.path}")
        if old.returncode != 0:
            continue  # a new playbook: nothing to compare with
        current = (root / record.path).read_bytes()
        if split(old.stdout, record.path)[1] == split(current, record.path)[1]:
            continue
        was, now = base_version(old.stdout, record.path), record.data["version"]
        if was is not None and semver(now) <= semver(was):
            problems.append(record.problem(
                ("version",), f"正文和 {base} 相比有改动，但 version 还是 {now}",
                f"把 version 升到 {was} 以上，并在 changelog 最上面为新版本加一条记录"))
    where = f"（从 {fork[:7]} 分出之后的改动）" if fork else ""
    return problems, f"已和 {base}{where}对比各章节的版本号。"
