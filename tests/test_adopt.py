"""A team adopts the handbook: handbook.yml, `python -m macros init` (flags and prompts, bad input),
edit and view links on GitHub, Gitee and self-hosted GitLab in real builds, no upstream name left
in a built site, and the template filler's defaults and remembered values in a real browser."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SiteServer, copy_project, watch
from macros import identity
from macros.loader import load

OWN = identity.read(ROOT)[0].data  # this repository's identity: upstream's, or a team's after init
# The command, with values that differ from any a team would pick (so it runs in forks too).
GITEE = ["--name", "样例手册", "--org", "样例团队", "--repo", "https://gitee.com/example-team/handbook",
         "--branch", "master", "--site-url", "https://handbook.example.org/", "--community", "样例社群"]


def init(root: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """Run `python -m macros init` on a project, as a team lead would."""
    return subprocess.run([sys.executable, "-m", "macros", "init", "--root", str(root), *args],
                          cwd=ROOT, input=stdin or "", capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))


def build(root: Path, out: Path) -> subprocess.CompletedProcess:
    """A strict build the way `make build` runs it: no SITE_URL, so handbook.yml's address is used."""
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
                          cwd=root, env=dict(env, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1"),
                          capture_output=True, text=True, timeout=600)


@pytest.fixture
def small(tmp_path) -> Path:
    """A project with only what init and the checks read: handbook.yml, data/, playbooks/ and docs/
    (checklist items link to its pages)."""
    return copy_project(tmp_path / "project", ("handbook.yml", "data", "playbooks", "docs"))


@pytest.fixture(scope="module")
def gitee(tmp_path_factory) -> Path:
    """The real project after the issue's init command for a Gitee repository, built strictly."""
    root = copy_project(tmp_path_factory.mktemp("gitee") / "project")
    result = init(root, *GITEE)
    assert result.returncode == 0, result.stderr
    out = root / "site"
    built = build(root, out)
    assert built.returncode == 0, built.stderr
    return out


# ---------- links: one derivation for every host ----------

@pytest.mark.parametrize("url, host, edit, view", [
    ("https://github.com/acme/handbook", None, "https://github.com/acme/handbook/edit/main/docs/a.md",
     "https://github.com/acme/handbook/blob/main/docs/a.md"),
    ("https://gitee.com/acme/handbook.git", None, "https://gitee.com/acme/handbook/edit/main/docs/a.md",
     "https://gitee.com/acme/handbook/blob/main/docs/a.md"),
    ("https://gitlab.com/acme/ops/handbook/", None,
     "https://gitlab.com/acme/ops/handbook/-/edit/main/docs/a.md",
     "https://gitlab.com/acme/ops/handbook/-/blob/main/docs/a.md"),
    ("https://gitlab.corp.example.cn/ops/handbook", None,
     "https://gitlab.corp.example.cn/ops/handbook/-/edit/main/docs/a.md",
     "https://gitlab.corp.example.cn/ops/handbook/-/blob/main/docs/a.md"),
    ("https://code.corp.example.cn/ops/handbook", "gitlab",
     "https://code.corp.example.cn/ops/handbook/-/edit/main/docs/a.md",
     "https://code.corp.example.cn/ops/handbook/-/blob/main/docs/a.md"),
])
def test_source_urls_follow_each_hosts_scheme(url, host, edit, view):
    """GitHub and Gitee use /edit/ and /blob/, GitLab (any domain, or by override) /-/edit/ and /-/blob/."""
    repo = {"url": url, "branch": "main", **({"host": host} if host else {})}
    assert identity.source_url(repo, "docs/a.md", "edit") == edit
    assert identity.source_url(repo, "docs/a.md", "view") == view


def test_the_shipped_identity_is_valid_and_fixtures_carry_one():
    """handbook.yml at the root passes its schema; a missing one is a clear problem, not a crash."""
    handbook, problems = identity.read(ROOT)
    assert problems == [] and handbook.data["repo"]["branch"]
    assert identity.read(ROOT / "tests")[1][0].what == "找不到手册身份文件 handbook.yml"


def line_of(text: str, start: str) -> int:
    """The 1-based number of the first line that starts with `start`."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(start))


@pytest.mark.parametrize("start, new, expected", [
    ("  branch:", "  branch: my branch",
     "repo.branch: “my branch”不是有效的分支名 — 写仓库的默认分支名，例如 main 或 master，"
     "不要带空格和 ~^:?*[\\ 等符号"),
    ("  url:", "  url: https://code.example.cn/ops/hb",
     "repo.url: 看不出“code.example.cn”是哪个代码托管平台 — "
     "在 repo 下加一行 host: gitlab（自建 GitLab），或写 github、gitee"),
    ("name:", "name: 山野<b>手册</b>",
     "name: 手册名称「山野<b>手册</b>」含有 '<'，这里只能写纯文字 — 去掉 < > & ' \" ` 和 [[ [% 这类符号，"
     "需要引号时用中文引号“”（网站主题原样输出这些文字，见 docs/contributing/macros.md）"),
    ("# yaml-language-server:", "# handbook",
     "第一行不是 Schema 声明 — 把第一行改成：# yaml-language-server: "
     "$schema=data/schemas/handbook.schema.json"),
])
def test_make_check_reports_identity_problems_with_their_line(small, start, new, expected):
    """Problems in handbook.yml come out of the same loader as data/, as `path:line: what — fix`."""
    path = small / "handbook.yml"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    number = line_of("".join(lines), start)
    lines[number - 1] = new + "\n"
    path.write_text("".join(lines), "utf-8")
    assert [str(p) for p in load(small).problems] == [f"handbook.yml:{number}: {expected}"]


def test_a_profile_variable_no_template_uses_is_a_warning(small):
    """A typo in community.variables would fill nothing, so `make check` warns at its line."""
    path = small / "handbook.yml"
    text = path.read_text("utf-8")
    path.write_text(text + "  variables:\n    运营昵称: 小满\n    运营名称: 小满\n", "utf-8")
    project = load(small)
    assert project.problems == []
    assert [str(w) for w in project.warnings if w.path == "handbook.yml"] == [
        f"警告：handbook.yml:{text.count(chr(10)) + 3}: community.variables.运营名称: "
        "没有哪个消息模板用到变量“运营名称” — "
        "检查拼写，要和模板里 {{ }} 中的变量名完全一致；用不到就删掉这一行"]


# ---------- init ----------

def test_init_with_flags_changes_only_what_was_asked_and_keeps_comments(small):
    """The issue's command rewrites exactly six values; every comment and other line stays."""
    before = (small / "handbook.yml").read_text("utf-8").splitlines()
    result = init(small, *GITEE)
    assert result.returncode == 0, result.stderr
    after = (small / "handbook.yml").read_text("utf-8").splitlines()
    expected = list(before)
    for start, value in [("name:", "样例手册"), ("org:", "样例团队"),
                         ("  url:", "https://gitee.com/example-team/handbook"), ("  branch:", "master"),
                         ("site_url:", "https://handbook.example.org/"), ("  name:", "样例社群")]:
        expected[line_of("\n".join(before), start) - 1] = f"{start} {value}"
    assert [line.replace('"', "") for line in after] == [line.replace('"', "") for line in expected]
    assert "数据检查通过" in result.stdout
    steps = result.stdout[result.stdout.index("接下来三步"):]
    assert "git push" in steps and "site/ 目录发布到 https://handbook.example.org/" in steps
    assert "https://handbook.example.org/adopt/" in steps
    again = init(small, "--branch", "master")
    assert again.returncode == 0 and "没有变化" in again.stdout
    assert (small / "handbook.yml").read_text("utf-8").splitlines() == after


def test_init_asks_one_question_at_a_time_through_stdin(small):
    """Enter keeps the current value; a bad answer is explained and asked again."""
    answers = "\n".join(["提示手册", "", "gitlab.corp.example.cn/ops/handbook",
                         "https://gitlab.corp.example.cn/ops/handbook", "", "", "我们的群", ""])
    result = init(small, stdin=answers)
    assert result.returncode == 0, result.stderr
    assert f"手册名称 [{OWN['name']}]：" in result.stdout
    assert f"默认分支 [{OWN['repo']['branch']}]：" in result.stdout
    asked_again = result.stdout.split("代码仓库的网址")
    assert len(asked_again) == 3 and "写完整的网址，以 https:// 开头" in asked_again[1]
    ident = identity.read(small)[0].data
    assert (ident["name"], ident["repo"]["branch"]) == ("提示手册", OWN["repo"]["branch"])
    assert (ident["org"], ident["site_url"]) == (OWN["org"], OWN["site_url"])
    assert ident["repo"]["url"] == "https://gitlab.corp.example.cn/ops/handbook"
    assert ident["community"]["name"] == "我们的群"


def test_init_asks_for_the_host_when_the_address_does_not_say(small):
    """A self-hosted GitLab on an unusual domain: init asks which host and writes repo.host."""
    answers = "\n".join(["", "", "https://code.corp.example.cn/ops/handbook", "gitee2", "gitlab",
                         "", "", "", ""])
    result = init(small, stdin=answers)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("代码托管平台（github、gitee 或 gitlab）") == 2
    repo = identity.read(small)[0].data["repo"]
    assert (repo["url"], repo["host"]) == ("https://code.corp.example.cn/ops/handbook", "gitlab")
    assert identity.source_url(repo, "docs/index.md") == \
        "https://code.corp.example.cn/ops/handbook/-/edit/" + OWN["repo"]["branch"] + "/docs/index.md"
    moved = init(small, "--repo", "https://github.com/acme/handbook")
    assert moved.returncode == 1
    assert "--repo：网址在 github.com 上，但 host 写的是 gitlab — 删掉 repo 下的 host 这一行" in moved.stderr


def test_init_that_runs_out_of_input_writes_nothing(small):
    """Input that ends before the last question leaves the file as it was and exits non-zero."""
    before = (small / "handbook.yml").read_bytes()
    result = init(small, stdin="新名字\n")
    assert result.returncode == 1
    assert "输入在回答完所有问题之前结束了" in result.stderr and "没有写入任何内容" in result.stderr
    assert (small / "handbook.yml").read_bytes() == before


@pytest.mark.parametrize("args, message", [
    (["--repo", "gitee.com/acme/handbook"], "--repo："),
    (["--repo", "https://gitee.com/acme"], "--repo：“https://gitee.com/acme”不是仓库地址"),
    (["--repo", "https://code.corp.example.cn/ops/handbook"],
     "--repo：看不出“code.corp.example.cn”是哪个代码托管平台"),
    (["--branch", "feature branch"], "--branch：“feature branch”不是有效的分支名"),
    (["--branch", "release..1"], "--branch：“release..1”不是有效的分支名"),
    (["--site-url", "handbook.example.cn"], "--site-url："),
    (["--site-url", "ftp://handbook.example.cn/"], "--site-url："),
    (["--name", ""], "--name：不能为空"),
    (["--name", "手册 & 指南"], "--name：手册名称「手册 & 指南」含有 '&'，这里只能写纯文字"),
    (["--org", "   "], "--org：不能为空"),
    (["--community", ""], "--community：不能为空"),
])
def test_init_refuses_bad_input_and_writes_nothing(small, args, message):
    """Each bad answer gets a message naming its flag, exit status 1, and an untouched file."""
    before = (small / "handbook.yml").read_bytes()
    result = init(small, "--name", "好名字", *args)
    assert result.returncode == 1
    assert message in result.stderr and "没有写入任何内容" in result.stderr
    assert " — " in result.stderr  # every message says how to fix it
    assert (small / "handbook.yml").read_bytes() == before


def test_init_on_an_unreadable_or_missing_file_says_where_and_writes_nothing(small):
    """A handbook.yml that is not valid YAML is reported with its line; a missing one is named."""
    path = small / "handbook.yml"
    broken = re.sub(r"(?m)^  branch: ", "  branch: [", path.read_text("utf-8"), count=1).encode()
    path.write_bytes(broken)
    result = init(small, "--name", "新名字")
    assert result.returncode == 1
    assert re.search(r"^handbook\.yml:\d+: ", result.stderr, re.M) and "没有写入任何内容" in result.stderr
    assert path.read_bytes() == broken
    path.unlink()
    missing = init(small, "--name", "新名字")
    assert missing.returncode == 1 and "找不到 handbook.yml" in missing.stderr
    assert not path.exists()


# ---------- real builds after init ----------

def test_gitee_site_after_init_is_the_teams_own(gitee):
    """The issue's Gitee command, then a build: its title, /edit/master/ links, its address and
    team, and no trace of the previous repository, team or name in any built file."""
    repo = "https://gitee.com/example-team/handbook"
    home = (gitee / "index.html").read_text("utf-8")
    assert "<title>首页 - 样例手册</title>" in home and re.search(r"<h1[^>]*>样例手册", home)
    assert f'href="{repo}/edit/master/docs/index.md"' in home
    assert f'href="{repo}/blob/master/docs/index.md"' in home
    assert '<link rel="canonical" href="https://handbook.example.org/"' in home
    assert "由 样例团队 维护" in home
    assert OWN.get("feedback") or f'href="{repo}/issues"' in home  # unless the team set its own
    role = (gitee / "roles/ops_lead/index.html").read_text("utf-8")
    assert f'href="{repo}/edit/master/data/roles/ops_lead.yml"' in role
    assert f'class="hb-edit-data" href="{repo}/edit/master/data/roles/ops_lead.yml#L' in role
    playbook = (gitee / "playbooks/positioning/index.html").read_text("utf-8")
    assert f'href="{repo}/edit/master/playbooks/positioning.md"' in playbook
    previous = [identity.repo_base(OWN["repo"]["url"]).split("://")[1], OWN["org"], OWN["name"],
                OWN["site_url"]]
    left = [(path.relative_to(gitee).as_posix(), name) for path in gitee.rglob("*") if path.is_file()
            for name in previous if name.encode() in path.read_bytes()]
    assert left == []


def test_self_hosted_gitlab_site_gets_gitlab_links(tmp_path):
    """A self-hosted GitLab address gives /-/edit/ and /-/blob/ links in a real build."""
    root = copy_project(tmp_path / "project")
    result = init(root, "--repo", "https://gitlab.corp.example.cn/ops/handbook")
    assert result.returncode == 0, result.stderr
    built = build(root, tmp_path / "site")
    assert built.returncode == 0, built.stderr
    page = (tmp_path / "site/playbooks/structure/index.html").read_text("utf-8")
    base, branch = "https://gitlab.corp.example.cn/ops/handbook", OWN["repo"]["branch"]
    assert f'href="{base}/-/edit/{branch}/playbooks/structure.md"' in page
    assert f'href="{base}/-/blob/{branch}/playbooks/structure.md"' in page
    assert f'href="{base}/-/issues"' in page
    assert f'class="hb-edit-data" href="{base}/-/edit/{branch}/data/' in page
    sops = (tmp_path / "site/library/sops/index.html").read_text("utf-8")
    assert f'href="{base}/-/tree/{branch}/data/sops/"' in sops
    assert f"/edit/{branch}/" not in page.replace(f"/-/edit/{branch}/", "")


# ---------- the template filler in a real browser ----------

@pytest.fixture(scope="module")
def gitee_server(gitee):
    """The Gitee build, served on 127.0.0.1."""
    running = SiteServer(gitee)
    yield running
    running.close()


def test_filler_starts_from_the_profile_remembers_and_resets(context, gitee_server):
    """社群名称 starts as the profile's name; what the reader types comes back on the next visit
    (on every template using the variable); 恢复默认值 brings the profile's value back."""
    page = watch(context.new_page())
    page.goto(gitee_server.url + "library/templates/#template-welcome_message")
    card = page.locator("#template-welcome_message")
    card.locator("[data-role=tools]").wait_for(state="visible")
    name = card.locator("input[data-var=社群名称]")
    assert name.input_value() == "样例社群"
    assert "加入「样例社群」" in card.locator("[data-role=preview]").inner_text()
    nickname = card.locator("input[data-var=运营昵称]")
    nickname_default = nickname.get_attribute("data-default")
    assert nickname.input_value() == nickname_default
    name.fill("周末读书会")
    nickname.fill("阿满")
    page.reload()
    card.locator("[data-role=tools]").wait_for(state="visible")
    assert name.input_value() == "周末读书会"
    assert nickname.input_value() == "阿满"
    other = page.locator(".hb-template[data-template]:not(#template-welcome_message)",
                         has=page.locator("input[data-var=社群名称]")).first
    assert other.locator("input[data-var=社群名称]").input_value() == "周末读书会"
    card.locator("[data-action=reset]").click()
    assert name.input_value() == "样例社群"
    assert nickname.input_value() == nickname_default
    card.locator("[data-role=status]", has_text="已恢复默认值").wait_for()
    page.reload()
    card.locator("[data-role=tools]").wait_for(state="visible")
    assert name.input_value() == "样例社群"
    assert page.errors == [] and page.outside == []


@pytest.mark.parametrize("stored", ["{not json", "[1, 2]", '{"社群名称": 42}', "null", '"text"'])
def test_filler_ignores_garbage_in_storage(context, gitee_server, stored):
    """Whatever is stored under the filler's key, the fields fall back to their defaults."""
    page = watch(context.new_page())
    page.goto(gitee_server.url + "library/templates/")
    page.evaluate("s => localStorage.setItem('shequn-handbook:template-values', s)", stored)
    page.reload()
    card = page.locator("#template-welcome_message")
    card.locator("[data-role=tools]").wait_for(state="visible")
    assert card.locator("input[data-var=社群名称]").input_value() == "样例社群"
    assert page.errors == []


def test_copy_with_blanks_warns_first(context, gitee_server):
    """Copying with a {{ placeholder }} still unfilled warns and copies nothing; a second click
    copies and says what is left; once everything is filled, one click copies."""
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=gitee_server.url.rstrip("/"))
    page = watch(context.new_page())
    page.goto(gitee_server.url + "library/templates/#template-welcome_message")
    page.evaluate("navigator.clipboard.writeText('before')")
    card = page.locator("#template-welcome_message")
    card.locator("[data-role=tools]").wait_for(state="visible")
    warnings = card.locator("[data-role=warnings]")
    assert "还有 2 处没填：{{ 新人昵称 }}、{{ 群价值 }}" in warnings.inner_text()
    status = card.locator("[data-role=status]")
    card.locator("[data-action=copy]").click()
    assert "还有没填的空：{{ 新人昵称 }}、{{ 群价值 }}" in status.inner_text()
    assert page.evaluate("navigator.clipboard.readText()") == "before"
    card.locator("[data-action=copy]").click()
    card.locator("[data-role=status]", has_text="已复制（还有没填的空").wait_for()
    assert "{{ 群价值 }}" in page.evaluate("navigator.clipboard.readText()")
    card.locator("input[data-var=新人昵称]").fill("小林")
    card.locator("input[data-var=群价值]").fill("一起读完一本书")
    assert "没填" not in warnings.inner_text()
    card.locator("[data-action=copy]").click()
    card.locator("[data-role=status]", has_text="可以直接粘贴到微信").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "{{" not in copied and "加入「样例社群」" in copied
    assert page.errors == []

