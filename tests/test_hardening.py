"""Hardening against the reliability review (reliability-2026-11-24.md): every FAIL case of the
classes "no crash from any file", "messages, not tracebacks" and "no silent switch-off" has a test
here, named after its case id, plus variants of each class the review did not list."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import jinja2
import pytest
from test_workflow import check, edit_body, fixture_repo, run, stale  # noqa: F401 (fixture)

from bench.reload import free_port
from bench.synth import SITE_PARTS
from conftest import ROOT, VALID_FIXTURE, build_site, copy_project
from macros import MACROS, bind, rendering
from macros.loader import load
from macros.pages import anchors, code_call_warnings, stand_in_page
from macros.render import inline_markdown, link_target

# ---------- 4. No silent switch-off ----------

@pytest.mark.parametrize("base", ["nope-branch", "--output=/tmp/hardening-x", "main~99"])
def test_p01_missing_base_fails_with_a_chinese_message(fixture_repo, base):  # noqa: F811
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


def test_p01_only_the_explicit_flag_skips_the_version_check(fixture_repo):  # noqa: F811
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


# ---------- 2. Any file in data/ or playbooks/ gives a message, never a crash ----------

ROLE = "data/roles/admin.yml"
ROLE_LINE = "# yaml-language-server: $schema=../schemas/role.schema.json\n"
PLAYBOOK = "playbooks/positioning.md"
ROLE_TITLE = "角色名（也是「我的职责」页的标题）"
CHECKLIST = "data/checklists/new_member_onboarding.yml"
METRIC = "data/metrics/activity_rate.yml"


@pytest.fixture
def project(tmp_path) -> Path:
    """A fresh copy of the valid fixture project with the real schemas and one docs page."""
    root = tmp_path / "project"
    shutil.copytree(VALID_FIXTURE, root)
    shutil.copytree(ROOT / "data/schemas", root / "data/schemas")
    (root / "docs").mkdir()
    (root / "docs/glossary.md").write_text("# 术语表\n\n正文。\n", "utf-8")
    return root


def checked(root: Path, *prefix: str, timeout: int = 60) -> subprocess.CompletedProcess:
    """`python -m macros check` in a subprocess (a crash or a hang cannot take the tests down)."""
    return subprocess.run([*prefix, sys.executable, "-m", "macros", "check", "--root", str(root),
                           "--no-version-check"], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


def problem_lines(result: subprocess.CompletedProcess) -> list[str]:
    """The problem lines of a failed check, after asserting it failed cleanly."""
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    return result.stderr.splitlines()[:-1]


def edit(root: Path, rel: str, old: str, new: str) -> None:
    """Replace the one occurrence of `old` in a file by `new`."""
    path = root / rel
    text = path.read_text("utf-8")
    assert text.count(old) == 1, (rel, old)
    path.write_text(text.replace(old, new), "utf-8")


@pytest.mark.parametrize("case, nesting, line", [
    ("B21_brackets", "[" * 50_000 + "]" * 50_000, 4),
    ("B21_braces", "{a: " * 30_000 + "}" * 30_000, 4),
    ("block_dashes", "\n  " + "- " * 200_000 + "x", 5),
])
def test_b21_deep_nesting_is_a_message_not_a_segfault(project, case, nesting, line):
    """B21/L04: ~100 KB of nesting is refused with the file's line before a tree is built."""
    (project / ROLE).write_text(ROLE_LINE + "id: admin\nname: 管理员\nextra: " + nesting + "\n",
                                "utf-8")
    assert problem_lines(checked(project)) == [
        f"{ROLE}:{line}: 数据嵌套超过 40 层 — 减少嵌套层数；应有的结构见 data/README.md"]


def test_b22_symlink_to_a_file_outside_the_repository_is_refused(project, tmp_path):
    """B22: a symlink is never followed, so nothing from outside the repository is published."""
    outside = tmp_path / "outside.yml"
    outside.write_text((project / ROLE).read_text("utf-8").replace("admin", "leak")
                       .replace("管理员", "机密内容"), "utf-8")
    (project / "data/roles/leak.yml").symlink_to(outside)
    lines = problem_lines(checked(project))
    assert lines == [f"data/roles/leak.yml:1: 这是一个符号链接（指向 {outside}），不会被读取 — "
                     "把真实的文件放在这里，不要用链接；仓库外的文件不能进入手册"]


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/urandom"])
def test_b23_symlink_to_a_device_is_refused_without_reading(project, target):
    """B23: a symlink to an endless device is refused at once (the run never reads it)."""
    (project / "data/roles/zero.yml").symlink_to(target)
    lines = problem_lines(checked(project, timeout=30))
    assert lines == [f"data/roles/zero.yml:1: 这是一个符号链接（指向 {target}），不会被读取 — "
                     "把真实的文件放在这里，不要用链接；仓库外的文件不能进入手册"]


def test_b24_fifo_and_socket_are_refused_without_hanging(project):
    """B24: a FIFO (and, as a variant, a Unix socket) is refused without being opened."""
    os.mkfifo(project / "data/roles/fifo.yml")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(project / "data/sops/sock.yml"))
        lines = problem_lines(checked(project, timeout=30))
    expected = "这不是普通文件（可能是管道或设备），不会被读取 — 换成一个普通的文本文件"
    assert lines == [f"data/roles/fifo.yml:1: {expected}", f"data/sops/sock.yml:1: {expected}"]


def test_b25_directory_named_like_a_data_file_or_page(project):
    """B25: a folder named x.yml (and a folder named x.md among the playbooks) is a message."""
    (project / "data/roles/dir.yml").mkdir()
    (project / "data/roles/dir.yml/anything").write_text("x", "utf-8")
    (project / "playbooks/folder.md").mkdir()
    lines = problem_lines(checked(project))
    folder = "这是一个文件夹，不是文件 — 把它改名，去掉结尾的 {}，或把里面的文件移出来"
    assert f"data/roles/dir.yml:1: {folder.format('.yml')}" in lines
    assert f"playbooks/folder.md:1: {folder.format('.md')}" in lines


def test_b26_unreadable_file_is_a_message(project):
    """B26: a file the process may not read (tests run as root, so the check runs without the
    capabilities that let root read anything) gives a message; the other files are still read."""
    (project / ROLE).chmod(0)
    (project / PLAYBOOK).chmod(0)
    drop = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
    lines = problem_lines(checked(project, *drop))
    denied = "无法读取这个文件（Permission denied） — 检查文件的读取权限，或重新保存一份"
    assert f"{ROLE}:1: {denied}" in lines and f"{PLAYBOOK}:1: {denied}" in lines


def test_symlinked_data_folder_and_playbook_are_refused(project, tmp_path):
    """Variant of B22: a symlinked kind folder or playbook is refused, not followed."""
    outside = tmp_path / "elsewhere"
    shutil.move(project / "data/lexicons", outside)
    (project / "data/lexicons").symlink_to(outside)
    (project / "playbooks/linked.md").symlink_to(project / PLAYBOOK)
    lines = problem_lines(checked(project))
    assert ("data/lexicons:1: 这个数据文件夹是一个符号链接，不会被读取 — "
            "把真实的文件夹和文件放在 data/ 里，不要用链接") in lines
    assert any(line.startswith("playbooks/linked.md:1: 这是一个符号链接") for line in lines)


@pytest.mark.parametrize("case, rel, line", [("A30_playbook", PLAYBOOK, 2),
                                             ("A31_docs_page", "docs/glossary.md", 1)])
def test_a30_a31_gbk_markdown_is_a_message_with_its_line(project, case, rel, line):
    """A30/A31: a GBK page is reported with its file and the line of the first bad byte, before
    anything (such as the embeds scan) reads it as text."""
    path = project / rel
    path.write_bytes(path.read_text("utf-8").encode("gbk"))
    lines = problem_lines(checked(project))
    assert len(lines) == 1 and lines[0].startswith(f"{rel}:{line}: 文件不是 UTF-8 编码"), lines


def test_a32_bom_playbook_is_read_like_any_other(project):
    """A32: a playbook saved with a UTF-8 BOM (Windows Notepad) has its front matter read."""
    path = project / PLAYBOOK
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    result = checked(project)
    assert result.returncode == 0, result.stderr
    assert load(project).items("playbooks")["positioning"]["title"] == "社群定位"


@pytest.mark.parametrize("case, rel, old, new, line", [
    ("A24_review_date", PLAYBOOK, "last_reviewed: 2026-11-23", "last_reviewed: 2099-01-01", 7),
    ("A24_changelog_date", PLAYBOOK, "date: 2026-11-23", "date: 2099-12-31", 11),
    ("A25_far_future", CHECKLIST, "last_reviewed: 2026-11-23", "last_reviewed: 9999-12-31", 6),
    ("sop_review_date", "data/sops/new_member_welcome.yml", "last_reviewed: 2026-11-23",
     "last_reviewed: 2030-01-01", 10),
])
def test_a24_a25_future_dates_are_refused(project, case, rel, old, new, line):
    """A24/A25: a date in the future (which would hide the item from review) is a problem, and
    `stale` reports it instead of crashing on 9999-12-31."""
    edit(project, rel, old, new)
    date = new.split(": ")[1]
    expected = f"日期 {date} 还没到 — 写实际发生的日期（不晚于今天），格式 YYYY-MM-DD"
    lines = problem_lines(checked(project))
    assert len(lines) == 1 and lines[0].startswith(f"{rel}:{line}: ") and lines[0].endswith(expected)
    result = stale(project, "--strict")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert lines[0] in result.stderr


@pytest.mark.parametrize("case, link, expected", [
    ("B08_missing_heading", "/playbooks/positioning.md#不存在的锚点",
     "链接「/playbooks/positioning.md#不存在的锚点」里的锚点「#不存在的锚点」在那一页找不到 — "
     "改成那一页已有的小标题锚点，例如 #入群门槛"),
    ("missing_component", "/playbooks/positioning.md#template-nope",
     "链接「/playbooks/positioning.md#template-nope」里的锚点「#template-nope」在那一页找不到 — "
     "改成那一页已有的小标题锚点，例如 #入群门槛"),
    ("heading_anchor", "/playbooks/positioning.md#入群门槛", None),
    ("title_anchor", "/playbooks/positioning.md#社群定位", None),
    ("component_anchor", "/playbooks/positioning.md#checklist-new_member_onboarding", None),
])
def test_b08_a_checklist_link_to_a_missing_anchor_is_blamed_on_the_data_file(project, case, link,
                                                                              expected):
    """B08: a link whose #anchor is neither a heading of the page nor an item's anchor is a problem
    at the link's own line in the data file, found by `make check` before any build."""
    edit(project, CHECKLIST, "link: /playbooks/positioning.md#入群门槛", f"link: {link}")
    result = checked(project)
    if expected is None:
        assert result.returncode == 0, result.stderr
    else:
        assert problem_lines(result) == [f"{CHECKLIST}:17: groups[0].items[0].link: {expected}"]


def test_b08_check_finds_the_anchors_the_build_makes(site):
    """Every heading anchor the check computes for a chapter is an id in the built page, so the
    check and the strict build agree on which links resolve."""
    chapters = {rel: anchors(text) for rel, text in load(ROOT).pages.items()
                if rel.startswith("playbooks/") and rel != "playbooks/index.md"}
    assert sum(1 for found in chapters.values() if found) >= 7
    for rel, found in chapters.items():
        html = (site / rel.removesuffix(".md") / "index.html").read_text("utf-8")
        assert all(f'id="{anchor}"' in html for anchor in found or ()), rel


@pytest.mark.parametrize("case, formula_text, what", [
    ("B14_400_terms", "active_members / members" + " + 1" * 400, "第 301 个字符处公式超过 300 个字符"),
    ("B14_400_parens", "(" * 400 + "active_members / members" + ")" * 400,
     "第 301 个字符处公式超过 300 个字符"),
    ("B14_1000_minus", "-" * 1000 + "active_members / members", "第 301 个字符处公式超过 300 个字符"),
    ("deep_but_short", "(" * 30 + "active_members / members" + ")" * 30,
     "第 21 个字符处括号和正负号嵌套超过 20 层"),
    ("B15_fullwidth_digits", "active_members / members * １００", "第 28 个字符处出现了不该有的字符 '１'"),
    ("ideographic_space", "active_members /\u3000members", "第 17 个字符处出现了不该有的字符 '\\u3000'"),
])
def test_b14_b15_formulas_are_messages_not_recursion_errors(project, case, formula_text, what):
    """B14/B15: huge or deeply nested formulas and non-ASCII digits or spaces are problems."""
    edit(project, METRIC, "formula: active_members / members * 100", f'formula: "{formula_text}"')
    lines = problem_lines(checked(project))
    assert lines == [f"{METRIC}:13: formula: 公式无法解析：{what} — 公式里只能写输入的 id、数字、"
                     "+ - * / 和括号"]


@pytest.mark.parametrize("case, formula_text", [
    ("B14_500_terms", "active_members / members" + " + 1" * 500),
    ("B14_2000_minus", "-" * 2000 + "active_members / members"),
])
def test_b14_formulas_as_the_review_wrote_them_stop_at_the_text_limit(project, case, formula_text):
    """B14 as the review wrote it (2 024 characters each) stops at the text length limit."""
    edit(project, METRIC, "formula: active_members / members * 100", f'formula: "{formula_text}"')
    assert problem_lines(checked(project)) == [
        f"{METRIC}:13: formula: 文字有 2,024 个字符，超过上限 2,000 — 精简这段文字；"
        "很长的说明请写进章节正文，再从数据里链接过去"]


@pytest.mark.parametrize("case, rel, text, expected", [
    ("A29_title_number_docs", "docs/glossary.md", "---\ntitle: 1\n---\n\n正文。\n",
     "docs/glossary.md:2: 标题应当是一段文字，这里是 1"),
    ("A29_markdown_extension", "playbooks/x.markdown", "---\ntitle: 1\n---\n\n正文。\n",
     "playbooks/x.markdown:1: 章节文件名只能用小写字母、数字和连字符，扩展名为 .md"),
    ("A28_subfolder", "playbooks/sub/extra.md",
     "---\ntitle: 子章节\nversion: bogus\nowner: nobody\nstatus: whatever\n---\n",
     "playbooks/sub/extra.md:1: 章节放在了 playbooks/ 的子文件夹里，不会按章节检查"),
    ("A34_case_variant", "playbooks/Positioning.md", None,
     "playbooks/Positioning.md:1: 章节文件名只能用小写字母、数字和连字符，扩展名为 .md"),
    ("title_markup_docs", "docs/glossary.md", "---\ntitle: 术语<img src=x onerror=alert(1)>\n---\n",
     "docs/glossary.md:2: 标题「术语<img src=x onerror=alert(1)>」含有 '<'"),
    ("h1_markup_docs", "docs/glossary.md", "简介\n\n# 术语 &lt;b&gt;\n",
     "docs/glossary.md:3: 标题「术语 &lt;b&gt;」含有 '&'"),
    ("title_macro_docs", "docs/glossary.md", "---\ntitle: '术语[[ checklist(\"x\") ]]'\n---\n",
     "docs/glossary.md:2: 标题「术语[[ checklist(\"x\") ]]」含有 '[['"),
    ("title_markup_playbook", PLAYBOOK, None, f"{PLAYBOOK}:2: 标题「社群定位 <b>」含有 '<'"),
    ("file_name_as_title", "docs/x<img src=x onerror=alert(1)>.md", "没有标题的一页。\n",
     "docs/x<img src=x onerror=alert(1)>.md:1: 文件名（页面没有标题时就是标题）"
     "「x<img src=x onerror=alert(1)>」含有 '<'"),
    ("role_name_tag", ROLE, "管理员</title><script>alert(1)</script>",
     f"{ROLE}:3: {ROLE_TITLE}「管理员</title><script>alert(1)</script>」含有 '<'"),
    ("role_name_entity", ROLE, "管理员&lt;/title&gt;",
     f"{ROLE}:3: {ROLE_TITLE}「管理员&lt;/title&gt;」含有 '&'"),
    ("role_name_quote", ROLE, "'管理员\"'", f"{ROLE}:3: {ROLE_TITLE}「管理员\"」含有 '\"'"),
])
def test_a28_a29_a34_pages_and_titles(project, case, rel, text, expected):
    """A28/A29/A34 and title variants: misplaced playbooks and titles that are not plain text,
    including a file name MkDocs would make a title and a role name, the title of the role's
    generated page (the theme unescapes entities in <title>, so `&lt;` is no way out either)."""
    path = project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if case == "A34_case_variant":
        shutil.copy(project / PLAYBOOK, path)
    elif case == "title_markup_playbook":
        edit(project, PLAYBOOK, "title: 社群定位", "title: 社群定位 <b>")
    elif case.startswith("role_name"):
        edit(project, ROLE, "name: 管理员", f"name: {text}")
    else:
        path.write_text(text, "utf-8")
    lines = problem_lines(checked(project))
    assert any(line.startswith(expected) for line in lines), lines


def test_every_broken_file_is_reported_in_one_run(project, tmp_path):
    """All of the above at once: one run names every file, exits 1, and prints no traceback."""
    (project / "data/roles/zero.yml").symlink_to("/dev/zero")
    os.mkfifo(project / "data/roles/fifo.yml")
    (project / "data/roles/dir.yml").mkdir()
    (project / "data/sops/deep.yml").write_text("x: " + "[" * 50_000, "utf-8")
    (project / "docs/glossary.md").write_bytes("# 术语表\n".encode("gbk"))
    edit(project, METRIC, "* 100", "* １００")
    edit(project, CHECKLIST, "last_reviewed: 2026-11-23", "last_reviewed: 9999-12-31")
    (project / "playbooks/Positioning.md").write_text("---\ntitle: 1\n---\n", "utf-8")
    lines = problem_lines(checked(project, timeout=60))
    files = sorted({line.split(":")[0] for line in lines})
    assert files == sorted([CHECKLIST, METRIC, "data/roles/dir.yml", "data/roles/fifo.yml",
                            "data/roles/zero.yml", "data/sops/deep.yml", "docs/glossary.md",
                            "playbooks/Positioning.md"]), lines


# ---------- 3. Authors get messages, not tracebacks ----------

STRUCTURE = "playbooks/structure.md"
# Mistakes are inserted before `## 要点`: the line they land on is that heading's file line.
AT = (ROOT / STRUCTURE).read_text("utf-8").split("\n").index("## 要点") + 1


def jinja_like_the_plugin(project):
    """A Jinja environment configured as mkdocs.yml configures mkdocs-macros, with our macros."""
    env = jinja2.Environment(variable_start_string="[[", variable_end_string="]]",
                             block_start_string="[%", block_end_string="%]",
                             comment_start_string="[##", comment_end_string="##]",
                             undefined=jinja2.StrictUndefined)
    env.globals.update({name: bind(function, project) for name, function in MACROS.items()})
    return env


MACRO_CASES = [
    ("A01_unknown_id", '[[ checklist("nope") ]]', 0, "检查清单“nope”不存在：data/checklists/ 里没有这个 id",
     "用已有的 id"),
    ("A02_int_argument", "[[ checklist(123) ]]", 0,
     "checklist() 的 checklist_id 应当是加引号的 id，这里是 123", '写成 [[ checklist("某个 id") ]]'),
    ("A03_list_argument", '[[ checklist(["group_setup"]) ]]', 0,
     "checklist() 的 checklist_id 应当是加引号的 id，这里是 ['group_setup']", "写成"),
    ("A04_string_for_list", '[[ metrics("activity_rate") ]]', 0,
     "metrics() 的 metric_ids 应当是至少含一个 id 的列表，这里是 'activity_rate'",
     '写成 [[ metrics(["第一个 id", "第二个 id"]) ]]'),
    ("A05_missing_argument", "[[ checklist() ]]", 0, "checklist() 的参数不对",
     '写成 [[ checklist("…") ]]'),
    ("A06_unknown_macro", '[[ checklistt("group_setup") ]]', 0, "没有叫 checklistt 的宏或变量",
     "是不是 checklist？"),
    ("A07_unclosed_call", '[[ checklist("group_setup")\n\n正文', 0, "宏的写法有误", "是否成对"),
    ("A08_statement_error", "[% if %]x[% endif %]", 0, "宏的写法有误", "是否成对"),
    ("A10_undefined_variable", "[[ undefined_var ]]", 0, "没有叫 undefined_var 的宏或变量", "检查拼写"),
    ("A11_extra_argument", '[[ checklist("group_setup", "extra") ]]', 0,
     "checklist('group_setup', 'extra') 的参数不对", '写成 [[ checklist("…") ]]'),
    ("A12_empty_list", "[[ metric_calculator([]) ]]", 0,
     "metric_calculator() 的 metric_ids 应当是至少含一个 id 的列表，这里是 []", "写成"),
    ("A15_json_nested_arrays", '```json\n{"矩阵": [[1, 2], [3, 4]]}\n```', 1, "宏的写法有误",
     "用 [% raw %] … [% endraw %] 包起来"),
    ("keyword_argument", '[[ checklist(checklist="group_setup") ]]', 0,
     "checklist(checklist='group_setup') 的参数不对", "写成"),
    ("second_page_line", "正文\n\n正文\n\n[[ sop(1.5) ]]", 4, "sop() 的 sop_id 应当是加引号的 id", "写成"),
]


@pytest.mark.parametrize("case, inserted, below, what, fix", MACRO_CASES, ids=[c[0] for c in MACRO_CASES])
def test_a01_a15_macro_errors_name_the_real_line_and_say_what_to_do(case, inserted, below, what, fix):
    """A01–A12, A15 and variants: each mistake is one Problem at its real file line (front
    matter counted), with what is wrong and what to write; no exception escapes."""
    project = load(ROOT)
    source = (ROOT / STRUCTURE).read_text("utf-8")
    text = source.replace("## 要点", inserted + "\n\n## 要点", 1)
    body = text.split("\n---\n", 1)[1]
    with pytest.raises(rendering.MacroProblem) as caught:
        rendering.render(jinja_like_the_plugin(project), body,
                         {**project.items("playbooks")["structure"], "page": stand_in_page(STRUCTURE)},
                         STRUCTURE, _Written(text), sorted(MACROS))
    problem = caught.value.problem
    assert (problem.path, problem.line) == (STRUCTURE, AT + below), problem
    assert problem.what.startswith(what), problem
    assert fix in problem.fix, problem
    assert "Traceback" not in str(problem)


class _Written:
    """Stands in for the page's source file: rendering reads it to count the front matter."""

    def __init__(self, text: str):
        self.text = text

    def read_text(self, encoding: str) -> str:
        """The file's text."""
        return self.text


@pytest.mark.parametrize("case, inserted, below, what", [
    ("A01_build", '[[ checklist("nope") ]]', 0, "检查清单“nope”不存在：data/checklists/ 里没有这个 id"),
    ("A15_build", '```json\n{"矩阵": [[1, 2], [3, 4]]}\n```', 1, "宏的写法有误：unexpected ']'"),
])
def test_a01_a15_the_strict_build_fails_with_the_message(project_copy, tmp_path, case, inserted,
                                                         below, what):
    """The real strict build (what `make build` and CI run) fails with exit 1 on a macro error,
    printing the message with the real line and no traceback."""
    page = project_copy / STRUCTURE
    page.write_text(page.read_text("utf-8").replace("## 要点", inserted + "\n\n## 要点", 1),
                    "utf-8")
    result = build_site(project_copy, tmp_path / "out")
    assert result.returncode == 1
    assert f"{STRUCTURE}:{AT + below}: {what}" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_generated_and_docs_pages_are_named_by_their_real_file(project_copy, tmp_path):
    """A macro error in a docs page names docs/…, the file an author edits."""
    page = project_copy / "docs/glossary.md"
    page.write_text(page.read_text("utf-8") + "\n[[ role_card(\"nobody\") ]]\n", "utf-8")
    line = page.read_text("utf-8").count("\n")
    result = build_site(project_copy, tmp_path / "out")
    assert result.returncode == 1
    assert f"docs/glossary.md:{line}: 角色“nobody”不存在：data/roles/ 里没有这个 id" in result.stderr


def test_l03_l04_serve_survives_every_broken_save_and_rebuilds(project_copy):
    """L03/L04/L05: `mkdocs serve` stays up through an unknown macro, an unknown id, a wrong
    argument type, a missing and an extra argument, a Jinja syntax error, a JSON fence, a data file
    nested 60 000 deep, a formula too deep to parse and a GBK page; it prints each message (file
    and real line, no traceback) and serves the fixed page once the file is saved again."""
    port = free_port()
    log = project_copy / "serve.log"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    with open(log, "w") as sink:
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr",
                                   f"127.0.0.1:{port}", "--livereload"], cwd=project_copy, env=env,
                                  stdout=sink, stderr=subprocess.STDOUT)

    def served(path: str) -> str:
        """The served page, waiting up to 180 s for the server to answer."""
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=10) as reply:
                    return reply.read().decode("utf-8")
            except OSError:
                assert server.poll() is None, log.read_text("utf-8")
                assert time.monotonic() < deadline, log.read_text("utf-8")
                time.sleep(0.5)

    def logged(text: str, times: int = 1) -> None:
        """Wait until the server's output shows `text` (`times` times), checking it stays up."""
        deadline = time.monotonic() + 180
        while log.read_text("utf-8").count(text) < times:
            assert server.poll() is None, "mkdocs serve exited:\n" + log.read_text("utf-8")
            assert time.monotonic() < deadline, log.read_text("utf-8")
            time.sleep(0.5)

    page = project_copy / STRUCTURE
    original = page.read_text("utf-8")
    role = project_copy / "data/roles/admin.yml"
    metric = project_copy / "data/metrics/churn_rate.yml"
    inserted = [  # every kind of macro mistake in point 3 of issue 13, with what serve prints
        ('[[ checklistt("group_setup") ]]', 0, "没有叫 checklistt 的宏或变量"),
        ('[[ checklist("nope") ]]', 0, "检查清单“nope”不存在：data/checklists/ 里没有这个 id"),
        ("[[ checklist(123) ]]", 0, "checklist() 的 checklist_id 应当是加引号的 id，这里是 123"),
        ("[[ checklist() ]]", 0, "checklist() 的参数不对"),
        ('[[ checklist("group_setup", "extra") ]]', 0, "checklist('group_setup', 'extra') 的参数不对"),
        ("[% if %]x[% endif %]", 0, "宏的写法有误"),
        ('```json\n{"矩阵": [[1, 2], [3, 4]]}\n```', 1, "宏的写法有误"),
    ]
    breaks = [(page, original.replace("## 要点", text + "\n\n## 要点", 1),
               f"{STRUCTURE}:{AT + below}: {what}") for text, below, what in inserted] + [
        (role, role.read_text("utf-8") + "extra: " + "[" * 60_000 + "]" * 60_000 + "\n",
         "data/roles/admin.yml:"),
        (metric, metric.read_text("utf-8").replace("formula: ", "formula: " + "(" * 30, 1),
         "data/metrics/churn_rate.yml:"),
    ]
    glossary = project_copy / "docs/glossary.md"
    try:
        assert "社群架构" in served("playbooks/structure/")
        for path, broken, message in breaks:
            fixed = path.read_text("utf-8")
            path.write_text(broken, "utf-8")
            logged(message)
            built = log.read_text("utf-8").count("Reloading browsers")
            path.write_text(fixed, "utf-8")
            # The next break waits for the fixed build (serve reloads browsers after a good one
            # only): a file changed in the middle of a build, likely on a loaded machine, would be
            # read by MkDocs itself, not by our checks.
            logged("Reloading browsers", built + 1)
        fixed = glossary.read_bytes()  # L05: a page saved as GBK
        glossary.write_bytes(fixed.decode("utf-8").encode("gbk"))
        first = next(n for n, line in enumerate(fixed.split(b"\n"), 1) if not line.isascii())
        logged(f"docs/glossary.md:{first}: 文件不是 UTF-8 编码")
        glossary.write_bytes(fixed)
        page.write_text(original.replace("## 要点", "修好以后的新段落。\n\n## 要点", 1), "utf-8")
        deadline = time.monotonic() + 180
        while "修好以后的新段落" not in served("playbooks/structure/"):
            assert time.monotonic() < deadline, log.read_text("utf-8")
            time.sleep(1)
        output = log.read_text("utf-8")
        assert "Traceback" not in output, output
        assert server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=30)


A14_PAGE = """# 示例

正文里的 [[ checklist("group_setup") ]] 是宏，照常执行。

```text
[[ checklist("group_setup") ]]
```

~~~json
{"矩阵": [% if x %]1[% endif %]}
~~~

行内代码 `[[ 1 + 1 ]]` 和 ``[[ fact("x") ]]``。

[% raw %]
```text
[[ checklist("group_setup") ]]
```
[% endraw %]

展示写法用 `[[ "[% raw %]" ]]` 和 `[[ '[% endraw %]' ]]`，不算。

```text
普通代码
```
"""


def test_a14_macro_syntax_in_code_is_a_warning_with_its_line():
    """A14 and variants: [[ or [% inside a backtick or tilde fence or inline code (single or
    double backticks) is a warning at its line; prose calls, [% raw %] blocks and calls that
    only print a quoted string are not."""
    found = code_call_warnings("docs/x.md", A14_PAGE)
    assert [(p.path, p.line, p.warning) for p in found] == [
        ("docs/x.md", 6, True), ("docs/x.md", 10, True), ("docs/x.md", 13, True)]
    assert found[0].fix == "要原样显示这段代码，用 [% raw %] … [% endraw %] 把它包起来"


def test_a14_check_and_build_print_the_warning_and_pass(project):
    """A14 through `make check`: the page's warning is printed with 警告： and the check passes."""
    (project / "docs/glossary.md").write_text("# 术语表\n\n```text\n[[ 1 + 1 ]]\n```\n", "utf-8")
    result = checked(project)
    assert result.returncode == 0, result.stderr
    assert "警告：docs/glossary.md:4: 代码里的 [[ 或 [% 会被当成宏执行" in result.stderr


# ---------- 1. Script from content: what the browser test cannot see ----------

@pytest.mark.parametrize("case, link", [
    ("C03_breakout", "https://example.com/a)[点我](javascript:alert(5)"),
    ("C03_attr_list", "https://example.com/a){onmouseover=alert(7)}"),
    ("quote", 'https://example.com/a" onmouseover="alert(1)'),
    ("angle", "https://example.com/<script>"),
    ("backslash", "/playbooks/positioning.md#a\\)[x](javascript:alert(1)"),
    ("script_url", "javascript:alert(1)//https://x"),
    ("site_path_with_paren", "/playbooks/positioning.md)(x"),
])
def test_c03_links_that_could_leave_their_markdown_link_are_refused(project, case, link):
    """C03 and variants: a `link:` holding Markdown or HTML syntax fails the schema check."""
    edit(project, CHECKLIST, "link: /playbooks/positioning.md#入群门槛", f"link: '{link}'")
    lines = problem_lines(checked(project))
    assert len(lines) == 1 and lines[0].startswith(f"{CHECKLIST}:17: groups[0].items[0].link: "), lines


def test_links_are_rebuilt_from_validated_parts():
    """link_target keeps what a valid link means and percent-encodes anything that could be
    syntax; what is not an http(s) URL or a .md site path is refused."""
    assert link_target("/playbooks/structure.md#入群门槛") == "/playbooks/structure.md#入群门槛"
    assert link_target("https://kf.qq.com/faq/1?a=1&b=2#x") == "https://kf.qq.com/faq/1?a=1&b=2#x"
    assert link_target("https://e.com/a)[x](y") == "https://e.com/a%29%5Bx%5D%28y"
    for bad in ("javascript:alert(1)", "//e.com/x", "/playbooks/x.html", "mailto:a@b.c"):
        with pytest.raises(ValueError):
            link_target(bad)


@pytest.mark.parametrize("text, html", [
    ("发出**欢迎语**和 `代码` 与 *强调*", "发出<strong>欢迎语</strong>和 <code>代码</code> 与 <em>强调</em>"),
    ("[链接](https://example.com/)", '<a href="https://example.com/" rel="noopener noreferrer">链接</a>'),
    ("[脚本](javascript:alert(1))", '<a rel="noopener noreferrer">脚本</a>'),
    ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert&#40;1&#41;&gt;"),
    ("**x**{onclick=alert(1)}", "<strong>x</strong>&#123;onclick=alert&#40;1&#41;&#125;"),
])
def test_c01_c02_inline_markdown_keeps_only_the_allowlist(text, html):
    """C01/C02 at the source: the sanitizer keeps bold, emphasis, code and http(s) links, and
    leaves nothing the page's own Markdown pass could turn into a tag or an attribute."""
    assert str(inline_markdown(text)) == html


def line_of(rel: str, text: str) -> int:
    """The file line of the real project where `text` starts."""
    source = (ROOT / rel).read_text("utf-8")
    return source.count("\n", 0, source.index(text)) + 1


@pytest.mark.parametrize("case, rel, old, new, below, expected", [
    ("site_name", "mkdocs.yml", "site_name: 社群运营手册", 'site_name: 社群运营手册" onmouseover="x', 0,
     "设置 site_name「社群运营手册\" onmouseover=\"x」含有 '\"'"),
    ("description", "handbook.yml", "description: 社群运营团队",
     "description: <script>x</script>社群运营团队", 0, "description: 一句话介绍「<script>"),
    ("nav_title", "mkdocs.yml", "      - glossary.md", "      - '术语<img src=x>': glossary.md", 0,
     "导航标题「术语<img src=x>」含有 '<'"),
    ("extra", "mkdocs.yml", "    default: latest", "    default: '<b>latest</b>'", 0,
     "设置 extra.version.default「<b>latest</b>」含有 '<'"),
    ("palette_label", "mkdocs.yml", "name: 切换到深色模式", 'name: 切换到深色模式"', 0,
     "设置 theme.palette[0].toggle.name「切换到深色模式\"」含有 '\"'"),
    ("description", "playbooks/structure.md", "title: 社群架构",
     'title: 社群架构\ndescription: 摘要"><script>alert(1)</script>', 1,
     "头信息 description「摘要\"><script>alert(1)</script>」含有 '\"'"),
    ("h1_title", "docs/glossary.md", "# 术语表", "# 术语表 &lt;img src=x onerror=alert(1)&gt;", 0,
     "标题「术语表 &lt;img src=x onerror=alert(1)&gt;」含有 '&'"),
    ("role_name", "data/roles/admin.yml", "name: 管理员", "name: 管理员</title><script>alert(1)</script>",
     0, f"{ROLE_TITLE}「管理员</title><script>"),
    ("docs_source", "docs/index.md", "title: 首页",
     'title: 首页\nsource: x" onmouseover="y', 1,
     "头信息 source「x\" onmouseover=\"y」含有 '\"'"),
])
def test_hostile_titles_and_settings_stop_the_strict_build(project_copy, tmp_path, case, rel, old,
                                                          new, below, expected):
    """Titles and settings are refused, not escaped (docs/contributing/macros.md says why): with
    markup in a title, description, nav title or themed setting, the strict build stops with the
    `path:line` problem (`below` lines under where `old` stood) and publishes nothing."""
    prefix = f"{rel}:{line_of(rel, old) + below}: {expected}"
    edit(project_copy, rel, old, new)
    result = build_site(project_copy, tmp_path / "out")
    assert result.returncode == 1
    assert any(line.startswith(prefix) for line in result.stderr.splitlines()), result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out/index.html").exists()


def test_p06_copy_lint_reports_files_it_cannot_read(tmp_path):
    """P06: copy-lint on a missing file, a GBK file and a folder prints one message each."""
    (tmp_path / "folder.md").mkdir()
    (tmp_path / "gbk.md").write_bytes("中文".encode("gbk"))
    result = run([sys.executable, "-m", "macros", "copy-lint", str(tmp_path / "missing.md"),
                  str(tmp_path / "gbk.md"), str(tmp_path / "folder.md")], ROOT)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert [line.split(": ")[1][:8] for line in result.stderr.splitlines()] == [
        "无法读取这个文件", "文件不是 UTF", "这是一个文件夹，"]


# ---------- lower-severity data cases of the review (B06, B12, B19) ----------

def test_b06_placeholder_with_a_space_gets_a_fix_the_schema_allows(project):
    """B06: `{{ 新人 昵称 }}` is reported with the name written without the space, not with an
    `add it under variables` fix that would name a variable the schema forbids."""
    edit(project, "data/templates/welcome_message.yml", "欢迎 @{{ 新人昵称 }} 加入",
         "欢迎 @{{ 新人 昵称 }} 加入")
    lines = problem_lines(checked(project))
    assert any("占位符「{{ 新人 昵称 }}」没有声明 — 占位符名字里不能有空格，写成 {{ 新人昵称 }}"
               in line for line in lines), lines


def test_b12_literal_division_by_zero_is_refused(project):
    """B12: a formula dividing by the number 0 can never give a result: check refuses it."""
    edit(project, METRIC, "formula: active_members / members * 100",
         "formula: active_members / 0 * members")
    assert problem_lines(checked(project)) == [
        f"{METRIC}:13: formula: 公式里除以常数 0，计算器永远算不出结果 — 检查除号后面的数，应当除以某个输入，"
        "例如 / members_at_start"]


def test_b19_a_huge_text_value_is_refused(project):
    """B19: a 900 KB role name is refused by the text length limit instead of inflating every
    page that shows the role."""
    edit(project, ROLE, "name: 管理员", "name: " + "长" * 300_000)
    assert problem_lines(checked(project)) == [
        f"{ROLE}:3: name: 文字有 300,000 个字符，超过上限 2,000 — "
        "精简这段文字；很长的说明请写进章节正文，再从数据里链接过去"]


def test_a32_bom_and_crlf_playbook_still_gets_the_version_rule(fixture_repo):  # noqa: F811
    """A32 variant (no silent switch-off): a playbook saved with a BOM and CRLF line ends still
    needs a version bump when its text changes, and a front-matter-only edit still passes."""
    page = fixture_repo / "playbooks/positioning.md"
    page.write_bytes(b"\xef\xbb\xbf" + page.read_bytes().replace(b"\n", b"\r\n"))
    run(["git", "commit", "-qam", "bom"], fixture_repo)
    run(["git", "checkout", "-q", "-b", "review"], fixture_repo)
    original = page.read_bytes()
    page.write_bytes(original.replace(b"last_reviewed: 2026-11-23", b"last_reviewed: 2026-11-24"))
    assert check(fixture_repo).returncode == 0
    page.write_bytes(original + "补充一段说明。\r\n".encode())
    result = check(fixture_repo)
    assert result.returncode == 1
    assert "playbooks/positioning.md:4: " in result.stderr


@pytest.fixture
def real_copy(tmp_path) -> Path:
    """A copy of the real project's site sources, which `make check` renders like the build."""
    return copy_project(tmp_path / "copy", SITE_PARTS)


@pytest.mark.parametrize("case, call, what, fix", [
    ("macro_typo", '[[ checklsit("group_setup") ]]', "没有叫 checklsit 的宏或变量", "是不是 checklist？"),
    ("id_typo", '[[ checklist("group_setpu") ]]', "检查清单“group_setpu”不存在", "是不是「group_setup」？"),
    ("argument_count", '[[ checklist("group_setup", 2) ]]', "checklist('group_setup', 2) 的参数不对",
     '写成 [[ checklist("…") ]]'),
    ("unclosed", '[[ checklist("group_setup")', "宏的写法有误", "是否成对"),
])
def test_check_finds_the_macro_mistakes_the_build_would(real_copy, case, call, what, fix):
    """`make check` renders every page's macros as the build does: a wrong name, id, argument
    count or bracket fails the check with the build's message, its real line and a suggestion."""
    page = real_copy / "playbooks/positioning.md"
    text = page.read_text("utf-8")
    line = text[:text.index("## 要点")].count("\n") + 1
    page.write_text(text.replace("## 要点", f"{call}\n\n## 要点", 1), "utf-8")
    lines = problem_lines(checked(real_copy))
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"playbooks/positioning.md:{line}: {what}"), lines[0]
    assert fix in lines[0].split(" — ", 1)[1]


def test_check_gives_the_macros_the_page_file(real_copy):
    """`make check` tells the macros which file they render, as the build does: every chapter's
    playbook_header passes, and on another page it is refused, naming that page's file."""
    page = real_copy / "docs/glossary.md"
    text = page.read_text("utf-8") + "\n[[ playbook_header() ]]\n"
    page.write_text(text, "utf-8")
    line = text[:text.index("[[ playbook_header")].count("\n") + 1
    assert problem_lines(checked(real_copy)) == [
        f"docs/glossary.md:{line}: 这一页（glossary.md）不是带头信息的手册章节 — "
        "playbook_header 和 playbook_changelog 只能用在 playbooks/*.md 里"]


def test_check_refuses_curly_braces_around_a_macro_in_prose(real_copy):
    """`{{ template("x") }}`, the usual mkdocs-macros syntax, would publish as raw text here: in
    prose make check fails with the fix; shown in code or [% raw %] it is left alone."""
    page = real_copy / "playbooks/positioning.md"
    text = page.read_text("utf-8")
    line = text[:text.index("## 要点")].count("\n") + 1
    shown = ('别写成 `{{ checklist("a") }}`。\n\n```text\n{{ sop("b") }}\n```\n\n'
             '[% raw %]{{ metrics(["c"]) }}[% endraw %]\n\n')
    page.write_text(text.replace("## 要点", '{{ template("welcome") }}\n\n' + shown + "## 要点", 1),
                    "utf-8")
    result = checked(real_copy)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert [entry for entry in lines if "不会执行" in entry] == [
        f"playbooks/positioning.md:{line}: 「{{{{ template(」不会执行：这本手册的宏用 [[ ]] 包起来"
        " — 改成 [[ template(…) ]]"]
