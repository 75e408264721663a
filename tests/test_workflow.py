"""Versioning, review and contribution workflow: version bumps against git, stale reports,
the changelog page, edit links, CI workflows, pre-commit, git dates and mike."""

import datetime
import json
import os
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from bench.synth import SITE_PARTS
from conftest import GIT_ENV, ROOT, VALID_FIXTURE, build_site, copy_project, git_repo
from macros import identity, reports
from macros.loader import load
from macros.typography import copy_issues
from macros.yamlsource import parse


def run(args, cwd, **kwargs) -> subprocess.CompletedProcess:
    """Run a command, capturing text output."""
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=GIT_ENV, check=False,
                          **kwargs)


def check(root: Path, *extra: str) -> subprocess.CompletedProcess:
    """`python -m macros check` on a project."""
    return run([sys.executable, "-m", "macros", "check", "--root", str(root), *extra], ROOT)


@pytest.fixture
def fixture_repo(tmp_path) -> Path:
    """The valid fixture project with real schemas, committed on main in a fresh git repo."""
    root = tmp_path / "repo"
    shutil.copytree(VALID_FIXTURE, root)
    shutil.copytree(ROOT / "data/schemas", root / "data/schemas")
    return git_repo(root)


def edit_body(root: Path) -> Path:
    """Change the body text of the fixture playbook on a branch."""
    run(["git", "checkout", "-q", "-b", "edit"], root)
    page = root / "playbooks/positioning.md"
    page.write_text(page.read_text("utf-8") + "\n补充一段说明。\n", "utf-8")
    return page


def test_body_change_without_a_bump_fails_check(fixture_repo):
    """Editing a playbook's text without raising its version fails `make check`."""
    edit_body(fixture_repo)
    result = check(fixture_repo)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "playbooks/positioning.md:4: version: 正文和 main 相比有改动，但 version 还是 1.1.0 — "
        "把 version 升到 1.1.0 以上，并在 changelog 最上面为新版本加一条记录")


def test_body_change_with_a_bump_and_entry_passes(fixture_repo):
    """With a higher version and a changelog entry for it, the same edit passes."""
    page = edit_body(fixture_repo)
    text = page.read_text("utf-8").replace("version: 1.1.0\nstatus", "version: 1.1.1\nstatus")
    text = text.replace("changelog:\n", "changelog:\n  - version: 1.1.1\n    date: 2026-11-24\n"
                        "    summary: 补充说明。\n")
    page.write_text(text, "utf-8")
    result = check(fixture_repo)
    assert result.returncode == 0, result.stderr
    fork = run(["git", "rev-parse", "--short=7", "main"], fixture_repo).stdout.strip()
    assert f"已和 main（从 {fork} 分出之后的改动）对比各章节的版本号。" in result.stdout


def test_bump_without_changelog_entry_still_fails(fixture_repo):
    """Raising the version alone is not enough: the newest changelog entry must match it."""
    page = edit_body(fixture_repo)
    page.write_text(page.read_text("utf-8").replace("version: 1.1.0\nstatus", "version: 1.2.0\nstatus"),
                    "utf-8")
    result = check(fixture_repo)
    assert result.returncode == 1
    assert "最新的更新记录是 1.1.0，但 version 是 1.2.0" in result.stderr


def test_base_can_be_set_and_front_matter_only_edits_pass(fixture_repo):
    """--base picks the comparison; a front-matter-only change needs no bump."""
    run(["git", "checkout", "-q", "-b", "review"], fixture_repo)
    page = fixture_repo / "playbooks/positioning.md"
    page.write_text(page.read_text("utf-8").replace("review_every_days: 90", "review_every_days: 60"),
                    "utf-8")
    run(["git", "commit", "-q", "-am", "review"], fixture_repo)
    assert check(fixture_repo).returncode == 0
    edit_body(fixture_repo)
    assert check(fixture_repo, "--base", "review").returncode == 1
    assert check(fixture_repo, "--base", "HEAD").returncode == 1


def clone(upstream: Path, where: Path) -> Path:
    """A contributor's clone of `upstream`, whose origin/HEAD names upstream's main."""
    assert run(["git", "clone", "-q", str(upstream), str(where)], upstream.parent).returncode == 0
    return where


def test_work_committed_to_local_main_is_compared_with_upstream(fixture_repo, tmp_path):
    """A contributor who commits a body edit to their own `main` is still checked: with no base
    named, the comparison is with origin's default branch from where the work left it."""
    mine = clone(fixture_repo, tmp_path / "mine")
    page = mine / "playbooks/positioning.md"
    page.write_text(page.read_text("utf-8") + "\n补充一段说明。\n", "utf-8")
    assert run(["git", "commit", "-qam", "edit on main"], mine).returncode == 0
    result = check(mine)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith(
        "playbooks/positioning.md:4: version: 正文和 origin/HEAD 相比有改动，但 version 还是 1.1.0")


def test_upstream_moving_on_does_not_blame_the_contributor(fixture_repo, tmp_path):
    """Compared from the fork point: a playbook edited upstream after the contributor branched
    off is not the contributor's change. A remote named `upstream` serves when there is no
    origin."""
    mine = clone(fixture_repo, tmp_path / "mine")
    run(["git", "remote", "rename", "origin", "upstream"], mine)
    page = fixture_repo / "playbooks/positioning.md"
    page.write_text(page.read_text("utf-8") + "\n上游的新段落。\n", "utf-8")
    run(["git", "commit", "-qam", "upstream edit"], fixture_repo)
    run(["git", "fetch", "-q", "upstream"], mine)
    result = check(mine)
    assert result.returncode == 0, result.stderr
    assert "已和 upstream/HEAD（从 " in result.stdout


def test_line_end_only_changes_need_no_bump(fixture_repo):
    """A playbook saved with Windows line ends (Git for Windows' default) has not changed."""
    page = fixture_repo / "playbooks/positioning.md"
    page.write_bytes(page.read_bytes().replace(b"\n", b"\r\n"))
    result = check(fixture_repo)
    assert result.returncode == 0, result.stderr
    page.write_bytes(page.read_bytes() + "补充。\r\n".encode())
    assert check(fixture_repo).returncode == 1


def test_a_crlf_checkout_of_the_real_project_passes_check(tmp_path):
    """Every text file of the real project with Windows line ends (Git for Windows without the
    .gitattributes rule) passes make check, pages rendered and playbooks compared with main."""
    project = git_repo(copy_project(tmp_path / "copy", SITE_PARTS))
    converted = 0
    for path in project.rglob("*"):
        if path.suffix in (".md", ".yml", ".yaml") and path.is_file() and not path.is_symlink():
            path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
            converted += 1
    assert converted > 200
    result = check(project)
    assert result.returncode == 0, result.stderr
    assert "已和 main（从 " in result.stdout


def test_no_upstream_and_no_main_fails_and_says_how_to_fix(tmp_path):
    """Without any upstream or main branch the check stops and names the way out."""
    root = tmp_path / "repo"
    shutil.copytree(VALID_FIXTURE, root)
    shutil.copytree(ROOT / "data/schemas", root / "data/schemas")
    run(["git", "init", "-q", "-b", "trunk"], root)
    run(["git", "add", "-A"], root)
    run(["git", "commit", "-qm", "base"], root)
    result = check(root)
    assert result.returncode == 1
    assert result.stderr.startswith("错误：找不到上游的默认分支（origin/main、upstream/main 或 main）")
    assert "BASE=<已有的分支>" in result.stderr and "Traceback" not in result.stderr


def test_without_git_history_the_bump_check_is_skipped_and_said(tmp_path):
    """Outside a git repository the check says it skipped the version rule and passes it."""
    root = tmp_path / "plain"
    shutil.copytree(VALID_FIXTURE, root)
    shutil.copytree(ROOT / "data/schemas", root / "data/schemas")
    result = run([sys.executable, "-m", "macros", "check", "--root", str(root)], ROOT,
                 )
    assert result.returncode == 0, result.stderr
    assert "这里没有 git 历史，无法和上游的默认分支对比：跳过了版本号检查。" in result.stdout


COUNTS = re.compile(r"([^：、\s]+) (\d+) 个")
SCHEMA_LINE = re.compile(r"# yaml-language-server: \$schema=\.\./schemas/(\w+)\.schema\.json\n")


def contributing_skeletons() -> dict:
    """The files CONTRIBUTING.md tells contributors to copy, as {path in the project: text}: each
    data skeleton (its first line names its schema), with the `at_scale` fragment added to the
    SOP's last step as the text says, and the new-chapter skeleton under the file name it gives."""
    text = (ROOT / "CONTRIBUTING.md").read_text("utf-8")
    blocks = re.findall(r"^```(yaml|markdown)\n(.*?)^```$", text, re.MULTILINE | re.DOTALL)
    files, fragments = {}, []
    for lang, block in blocks:
        kind = SCHEMA_LINE.match(block)
        if kind:
            files[f"data/{kind[1]}s/{parse(block.encode(), 'skeleton').data['id']}.yml"] = block
        elif lang == "markdown":
            files["playbooks/" + re.search(r"例如 `([a-z-]+\.md)`", text)[1]] = block
        else:
            fragments.append(block)
    assert [f.split(":")[0].strip() for f in fragments] == ["at_scale"]
    sop = next(path for path in files if path.startswith("data/sops/"))
    files[sop] += fragments[0]
    return files


def test_contributing_skeletons_pass_make_check(tmp_path):
    """Every skeleton in CONTRIBUTING.md, pasted in as the text says, passes `make check` (data,
    page macros and Chinese copy), so the guide cannot drift from the schemas."""
    project = copy_project(tmp_path / "copy", SITE_PARTS)
    skeletons = contributing_skeletons()
    assert sorted(path.split("/")[-2] for path in skeletons) == [
        "checklists", "playbooks", "sops", "templates"]
    for rel, text in skeletons.items():
        assert not (project / rel).exists(), f"{rel} would overwrite a real file"
        (project / rel).write_text(text, "utf-8")
    result = check(project, "--no-version-check")
    assert result.returncode == 0, result.stderr
    before = check(copy_project(tmp_path / "plain", SITE_PARTS), "--no-version-check")
    added = {noun: int(count) - int(was) for (noun, count), (_, was) in zip(
        COUNTS.findall(result.stdout), COUNTS.findall(before.stdout), strict=True)}
    assert {noun: n for noun, n in added.items() if n} == {
        "SOP": 1, "检查清单": 1, "消息模板": 1, "手册章节": 1}
    assert copy_issues([project / rel for rel in skeletons]) == []


def stale(root: Path, *args: str) -> subprocess.CompletedProcess:
    """`python -m macros stale` on a project."""
    return run([sys.executable, "-m", "macros", "stale", "--root", str(root), *args], ROOT)


def test_stale_lists_overdue_items_by_urgency(fixture_repo):
    """Overdue playbooks, SOPs, checklists and facts, with owner and days, most overdue first."""
    sop = fixture_repo / "data/sops/new_member_welcome.yml"
    sop.write_text(sop.read_text("utf-8").replace("last_reviewed: 2026-11-23",
                                                  "last_reviewed: 2026-10-01"), "utf-8")
    result = stale(fixture_repo, "--today", "2027-03-01")
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "截至 2027-03-01，有 4 项超过复审期限，最急的在前：",
        "超期   61 天  data/sops/new_member_welcome.yml  SOP「新人入群欢迎」  负责人：运营专员",
        "超期   11 天  data/facts/wechat_group_admin_cap.yml  规则速查「一个微信群最多设 3 名群管理员，"
        "只有群主能设置或取消。」  负责人：运营负责人",
        "超期    8 天  data/checklists/new_member_onboarding.yml  检查清单「新人入群当天」  负责人：运营专员",
        "超期    8 天  playbooks/positioning.md  手册章节「社群定位」  负责人：运营负责人",
    ]
    assert stale(fixture_repo, "--today", "2027-03-01", "--strict").returncode == 1


def test_stale_is_quiet_when_nothing_is_due(fixture_repo):
    """Before any due date nothing is listed, and --strict passes."""
    result = stale(fixture_repo, "--today", "2026-12-01", "--strict")
    assert result.returncode == 0
    assert result.stdout.strip() == "截至 2026-12-01，没有超过复审期限的内容。"


def test_changelog_page_gathers_every_entry_newest_first(site):
    """The site-wide changelog lists every playbook entry, newest first, linked to its playbook."""
    project = load(ROOT)
    html = (site / "changelog/index.html").read_text("utf-8")
    items = re.findall(r'<li><time datetime="([\d-]+)">.*?<a href="([^"]+)">([^<]+)</a> v([\d.]+)', html)
    found = [(d, t, v) for d, _, t, v in items]
    chapters = {meta["title"]: meta["chapter"] for meta in project.items("playbooks").values()}
    expected = sorted(((e["date"], meta["title"], e["version"])
                       for meta in project.items("playbooks").values() for e in meta["changelog"]),
                      key=lambda x: (x[0], tuple(map(int, x[2].split("."))), -chapters[x[1]]),
                      reverse=True)
    assert found == expected
    assert all(href.startswith("../playbooks/") for _, href, _, _ in items)


STALE_ROW = re.compile(r'<tr><th scope="row">(.*?)<br><code>(.*?)</code></th><td>(.*?)</td>'
                       r"<td>(.*?)</td><td>[\d-]+</td><td>(\d+) 天</td></tr>")
STALE_LINE = re.compile(r"^超期 +(\d+) 天  (\S+)  (\S+?)「(.*)」  负责人：(.+)$")


def page_rows(html: str) -> list[tuple]:
    """(days, path, label, title, owner) of each row of a 待复审 table."""
    return [(int(days), unescape(path), unescape(label), unescape(title), unescape(owner))
            for title, path, label, owner, days in STALE_ROW.findall(html)]


def command_rows(root: Path, today: str) -> list[tuple]:
    """(days, path, label, title, owner) of each item `make stale --today` lists for `root`."""
    lines = stale(root, "--today", today).stdout.splitlines()[1:]
    return [(int(days), path, label, title, owner)
            for days, path, label, title, owner in (STALE_LINE.match(line).groups() for line in lines)]


def test_stale_page_matches_the_command(site):
    """The built 待复审 page lists, for its build date, exactly the items `make stale` lists for
    that date, in the same order (or says that nothing is due, as the command does)."""
    html = (site / "stale/index.html").read_text("utf-8")
    today = re.search(r"截至 (\d{4}-\d{2}-\d{2})（网站构建日期）", html).group(1)
    expected = command_rows(ROOT, today)
    assert page_rows(html) == expected
    assert ("没有超过复审期限的内容" in html) == (expected == [])


def test_stale_list_shows_what_the_command_lists_once_items_are_due():
    """Years from now every playbook, SOP, checklist and fact of the real project is overdue: the
    stale_list table has one row per item the command lists, with its days, file, owner and
    title (a page listing nothing or the wrong items fails)."""
    today, project = datetime.date(2031, 1, 1), load(ROOT)
    html = reports.stale_list(project, today)
    expected = command_rows(ROOT, today.isoformat())
    assert len(expected) == sum(len(project.items(kind)) for kind in ("playbooks", "sops", "checklists",
                                                                         "facts"))
    assert page_rows(html) == expected


def test_edit_links_of_a_docs_page_a_playbook_and_a_generated_page(site):
    """Edit buttons open docs/…, playbooks/… and, for a generated role page, its data file, on the
    repository named in handbook.yml (each host's scheme is pinned in test_adopt.py; library pages,
    whose edit button opens their data folder, in test_cards.py)."""
    repo = identity.read(ROOT)[0].data["repo"]
    pages = {"index.html": "docs/index.md", "playbooks/structure/index.html": "playbooks/structure.md",
             "roles/ops_lead/index.html": "data/roles/ops_lead.yml",
             "library/roles/index.html": "docs/library/roles.md"}
    for page, source in pages.items():
        html = (site / page).read_text("utf-8")
        assert f'href="{identity.source_url(repo, source, "edit")}"' in html, page
        assert f'href="{identity.source_url(repo, source, "view")}"' in html, page


def workflow(name: str) -> dict:
    """A GitHub workflow file, read with YAML 1.2 rules (so `on:` stays a key)."""
    return parse((ROOT / ".github/workflows" / name).read_bytes(), name).data


def test_pull_request_workflow_is_read_only_and_runs_the_ci_checks():
    """PRs run on `pull_request` only, with a read-only token, the CI script and a preview upload."""
    pr = workflow("pull-request.yml")
    assert pr["on"] == {"pull_request": None}
    assert pr["permissions"] == {"contents": "read"}
    text = (ROOT / ".github/workflows/pull-request.yml").read_text("utf-8")
    assert "pull_request_target" not in text.replace("never on `pull_request_target`", "")
    steps = pr["jobs"]["check"]["steps"]
    runs = " ".join(step.get("run", "") for step in steps)
    assert "bash .ci/run" in runs and "make check" in runs and "make build" in runs
    uploads = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact")]
    assert uploads and uploads[0]["with"]["path"] == "site/"
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["persist-credentials"] is False


def test_deploy_workflow_publishes_with_mike_from_main():
    """Pushes to main (and version tags) deploy with mike; latest is the default alias."""
    deploy = workflow("deploy.yml")
    assert deploy["on"]["push"]["branches"] == ["main"]
    assert deploy["on"]["push"]["tags"] == ["v*"]
    build = deploy["jobs"]["build"]
    assert build["env"]["VERSION_PROVIDER"] == "mike"
    script = " ".join(step.get("run", "") for step in build["steps"])
    assert "bash .ci/run" in script
    assert "mike deploy --update-aliases" in script and "latest" in script
    assert "mike set-default latest" in script
    assert "--push" not in script, "build has no write token: only publish pushes"


def test_every_action_is_pinned_by_commit_and_every_image_by_digest():
    """Third-party actions use a 40-hex commit with the tag in a comment; containers a digest."""
    pinned = re.compile(r"^\s*-?\s*uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")
    files = sorted((ROOT / ".github/workflows").glob("*.yml"))
    assert len(files) >= 2
    seen = 0
    for path in files:
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if re.match(r"^\s*-?\s*uses:", line):
                seen += 1
                assert pinned.match(line), f"{path.name}:{number}: not pinned by commit: {line}"
        for name, job in workflow(path.name)["jobs"].items():
            image = job.get("container")
            image = image.get("image") if isinstance(image, dict) else image
            if image:
                assert re.fullmatch(r"[\w./-]+:[\w.-]+@sha256:[0-9a-f]{64}", image), (path.name, name)
    assert seen >= 4


def test_deploy_keeps_the_write_token_away_from_installs_and_tests():
    """Only `publish` can write, and it runs nothing but git; `build` keeps no credentials."""
    deploy = workflow("deploy.yml")
    assert deploy["permissions"] == {}
    jobs = deploy["jobs"]
    writers = [name for name, job in jobs.items() if "write" in job.get("permissions", {}).values()]
    assert writers == ["publish"]
    assert jobs["build"]["permissions"] == {"contents": "read"}
    checkout = next(s for s in jobs["build"]["steps"] if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["persist-credentials"] is False
    publish = jobs["publish"]
    assert publish["needs"] == "build" and "container" not in publish
    assert [s["uses"].split("@")[0] for s in publish["steps"] if "uses" in s] == [
        "actions/download-artifact"]
    commands = [line.split()[0] for s in publish["steps"] for line in s.get("run", "").splitlines()
                if line.strip()]
    assert set(commands) <= {"git", "auth=\"AUTHORIZATION:"}, commands
    assert not any("token" in str(s.get("env", {})) for s in jobs["build"]["steps"])


def deploy_script(job: str, marker: str) -> str:
    """The `run:` script of the deploy.yml step of `job` that contains `marker`."""
    steps = workflow("deploy.yml")["jobs"][job]["steps"]
    return next(s["run"] for s in steps if marker in s.get("run", ""))


@pytest.fixture
def tagged_clone(tmp_path) -> dict:
    """An origin with main and a side branch, cloned; a fake mike logs its calls and commits."""
    origin = tmp_path / "origin"
    origin.mkdir()
    (origin / "README.md").write_text("手册\n", "utf-8")
    git_repo(origin)
    main_sha = run(["git", "rev-parse", "HEAD"], origin).stdout.strip()
    run(["git", "checkout", "-q", "-b", "side"], origin)
    run(["git", "commit", "-q", "--allow-empty", "-m", "side"], origin)
    side_sha = run(["git", "rev-parse", "HEAD"], origin).stdout.strip()
    run(["git", "checkout", "-q", "main"], origin)
    clone = tmp_path / "clone"
    assert run(["git", "clone", "-q", str(origin), str(clone)], tmp_path).returncode == 0
    (clone / ".venv/bin").mkdir(parents=True)
    mike = clone / ".venv/bin/mike"
    mike.write_text('#!/bin/sh\necho "$*" >> "$MIKE_LOG"\n'
                    '[ "$1" = deploy ] && git commit -q --allow-empty -m site && '
                    'git branch -f gh-pages HEAD\nexit 0\n', "utf-8")
    mike.chmod(0o755)
    return {"clone": clone, "main": main_sha, "side": side_sha, "log": tmp_path / "mike.log"}


@pytest.mark.parametrize(("ref_type", "on", "expected"), [
    ("branch", "main", ["deploy dev"]),
    ("tag", "main", ["deploy --update-aliases 2026.12 latest", "set-default latest"]),
    ("tag", "side", ["deploy 2026.12"]),
])
def test_a_tag_becomes_latest_only_on_the_default_branch(tagged_clone, ref_type, on, expected):
    """The build step's own script: main updates dev; a tag moves latest only from main."""
    clone, sha = tagged_clone["clone"], tagged_clone[on]
    run(["git", "checkout", "-q", sha], clone)
    env = dict(GIT_ENV, REF_TYPE=ref_type, REF_NAME="v2026.12" if ref_type == "tag" else "main",
               DEFAULT_BRANCH="main", GITHUB_SHA=sha, MIKE_LOG=str(tagged_clone["log"]))
    result = subprocess.run(["bash", "-e", "-c", deploy_script("build", "mike deploy")], cwd=clone,
                            env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert tagged_clone["log"].read_text("utf-8").splitlines() == expected
    assert (clone / "gh-pages.bundle").is_file()
    if on == "side":
        assert "latest 不变" in result.stdout


def test_publish_pushes_the_bundled_branch_and_stores_no_token(tagged_clone, tmp_path):
    """publish's script fetches the bundle and pushes gh-pages; no token lands in any git config."""
    clone = tagged_clone["clone"]
    env = dict(GIT_ENV, REF_TYPE="branch", REF_NAME="main", DEFAULT_BRANCH="main",
               GITHUB_SHA=tagged_clone["main"], MIKE_LOG=str(tagged_clone["log"]))
    assert subprocess.run(["bash", "-e", "-c", deploy_script("build", "mike deploy")], cwd=clone,
                          env=env, check=False).returncode == 0
    runner = tmp_path / "runner"
    runner.mkdir()
    shutil.copy2(clone / "gh-pages.bundle", runner / "gh-pages.bundle")
    remote = tmp_path / "github/owner/handbook.git"
    assert run(["git", "init", "-q", "--bare", str(remote)], tmp_path).returncode == 0
    redirect = dict(GIT_CONFIG_COUNT="1", GIT_CONFIG_KEY_0=f"url.file://{tmp_path}/github/.insteadOf",
                    GIT_CONFIG_VALUE_0="https://github.com/")
    env = dict(GIT_ENV, TOKEN="secret-token-value", REPOSITORY="owner/handbook", **redirect)
    result = subprocess.run(["bash", "-e", "-c", deploy_script("publish", "push")], cwd=runner,
                            env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    pushed = run(["git", "rev-parse", "gh-pages"], remote).stdout
    assert pushed == run(["git", "rev-parse", "gh-pages"], clone).stdout
    configs = [p.read_text("utf-8") for p in runner.rglob("config")]
    assert configs and not any("secret-token-value" in c or "AUTHORIZATION" in c for c in configs)


def test_issue_forms_and_pull_request_template():
    """Issue forms for content suggestions and error reports, and a PR checklist."""
    forms = sorted((ROOT / ".github/ISSUE_TEMPLATE").glob("*.yml"))
    names = {parse(f.read_bytes(), f.name).data.get("name") for f in forms}
    assert {"内容建议", "错误报告"} <= names
    template = (ROOT / ".github/pull_request_template.md").read_text("utf-8")
    assert template.count("- [ ]") >= 4


def test_pre_commit_hooks_pass_on_the_project_and_catch_a_mistake(tmp_path):
    """pre-commit (YAML, schemas, ruff, autocorrect) passes on the real project, fails on bad copy."""
    root = copy_project(tmp_path / "repo")
    for extra in (".pre-commit-config.yaml", "README.md", "CONTRIBUTING.md", "pyproject.toml"):
        shutil.copy2(ROOT / extra, root / extra)
    (root / ".venv").symlink_to(Path(sys.executable).parent.parent)
    git_repo(root)
    env = dict(GIT_ENV, PRE_COMMIT_HOME=str(tmp_path / "cache"))
    command = [str(Path(sys.executable).parent / "pre-commit"), "run", "--all-files"]
    clean = subprocess.run(command, cwd=root, capture_output=True, text=True, env=env, check=False)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert clean.stdout.count("Passed") == 4
    readme = root / "README.md"
    readme.write_text(readme.read_text("utf-8") + "\n手册支持Python环境,欢迎试用!\n", "utf-8")
    broken = subprocess.run(command, cwd=root, capture_output=True, text=True, env=env, check=False)
    assert broken.returncode == 1
    assert "手册支持 Python 环境，欢迎试用！" in broken.stdout + broken.stderr


def test_last_updated_dates_build_in_a_shallow_clone(tmp_path):
    """A depth-1 clone still builds strictly, and pages show a 最后更新 date."""
    source = copy_project(tmp_path / "source")
    git_repo(source)
    clone = tmp_path / "clone"
    assert run(["git", "clone", "-q", "--depth", "1", f"file://{source}", str(clone)],
               tmp_path).returncode == 0
    result = build_site(clone, tmp_path / "out")
    assert result.returncode == 0, result.stderr[-3000:]
    for page in ("index.html", "playbooks/positioning/index.html", "roles/admin/index.html"):
        html = (tmp_path / "out" / page).read_text("utf-8")
        assert "git-revision-date-localized-plugin-date" in html, page


def test_playbook_dates_come_from_the_real_file_not_the_symlink(site):
    """docs/playbooks is a symlink; the date shown is the last commit of playbooks/<name>.md."""
    expected = run(["git", "log", "-1", "--format=%cd", "--date=format:%Y年%-m月%-d日", "--",
                    "playbooks/structure.md"], ROOT).stdout.strip()
    if not expected:
        pytest.fail("playbooks/structure.md has no git history in this checkout")
    html = (site / "playbooks/structure/index.html").read_text("utf-8")
    assert 'git-revision-date-localized-plugin-date" title="' in html
    assert f">{expected}</span>" in html


def test_mike_publishes_a_version_with_latest_as_default(tmp_path):
    """mike deploys a build to gh-pages with the latest alias and makes it the default."""
    root = git_repo(copy_project(tmp_path / "repo"))
    env = dict(GIT_ENV, VERSION_PROVIDER="mike", NO_MKDOCS_2_WARNING="1",
               SITE_URL="http://127.0.0.1/", PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    mike = str(Path(sys.executable).parent / "mike")
    deploy = subprocess.run([mike, "deploy", "--update-aliases", "2026.12", "latest"], cwd=root,
                            capture_output=True, text=True, env=env, check=False)
    assert deploy.returncode == 0, deploy.stderr[-3000:]
    default = subprocess.run([mike, "set-default", "latest"], cwd=root, capture_output=True,
                             text=True, env=env, check=False)
    assert default.returncode == 0, default.stderr
    versions = json.loads(run(["git", "show", "gh-pages:versions.json"], root).stdout)
    assert versions == [{"version": "2026.12", "title": "2026.12", "aliases": ["latest"]}]
    index = run(["git", "show", "gh-pages:index.html"], root).stdout
    assert "latest/" in index
    page = run(["git", "show", "gh-pages:2026.12/index.html"], root).stdout
    assert '"provider":"mike"' in page.replace(" ", "")


def test_check_annotates_each_problem_once_on_github(fixture_repo, tmp_path):
    """In GitHub Actions, `make check` prints each problem once as an annotation on its file and
    line, and puts the report at the top of the run's summary page."""
    role = fixture_repo / "data/roles/admin.yml"
    role.write_text(role.read_text("utf-8").replace("name: 管理员", "name: 管理员\nnmae: 错字"), "utf-8")
    summary = tmp_path / "summary.md"
    env = dict(GIT_ENV, GITHUB_ACTIONS="true", GITHUB_STEP_SUMMARY=str(summary))
    result = subprocess.run([sys.executable, "-m", "macros", "check", "--root", str(fixture_repo),
                             "--no-version-check"], cwd=ROOT, capture_output=True, text=True, env=env)
    assert result.returncode == 1
    errors = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert len(errors) == 1 and errors[0].startswith("::error file=data/roles/admin.yml,line=4::")
    assert "nmae" in errors[0] and "\n" not in errors[0]
    assert len(result.stderr.splitlines()) == 2  # the problem and the count, nothing else
    assert result.stderr.splitlines()[0] in summary.read_text("utf-8")
    quiet = run([sys.executable, "-m", "macros", "check", "--root", str(fixture_repo),
                 "--no-version-check"], ROOT)
    assert "::error" not in quiet.stdout + quiet.stderr


def test_pytest_stops_at_session_start_when_the_data_is_invalid(tmp_path):
    """One wrong role name gives one short report before any test runs, not dozens of failures."""
    copy = copy_project(tmp_path / "copy", [*SITE_PARTS, "tests", "pyproject.toml"])
    (copy / "bench").mkdir()
    for name in ("__init__.py", "synth.py"):  # conftest's project copies; not bench's node_modules
        shutil.copy2(ROOT / "bench" / name, copy / "bench" / name)
    sop = copy / "data/sops/new_member_welcome.yml"
    sop.write_text(sop.read_text("utf-8").replace("owner: ops_specialist", "owner: 运营专员", 1), "utf-8")
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             "tests/test_components.py"], cwd=copy, capture_output=True, text=True,
                            env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"), timeout=300)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "data/sops/new_member_welcome.yml:" in output and "运营专员" in output
    assert " passed" not in output and " failed" not in output
    assert len(output.splitlines()) < 30, output


def test_pull_request_workflow_reports_data_problems_before_the_long_steps():
    """The PR workflow runs `make check` first, then the build, then the tests."""
    steps = workflow("pull-request.yml")["jobs"]["check"]["steps"]
    runs = [step.get("run", "") for step in steps]
    order = [next(i for i, run in enumerate(runs) if needle in run)
             for needle in ("make check", "make build", "bash .ci/run")]
    assert order == sorted(order), runs
