"""Project copies for `make bench` and the tests: the real site's sources, or a synthetic
project with N playbooks, each with one SOP, one checklist and one template of its own."""

import re
import shutil
from functools import cache
from pathlib import Path

import yaml

from macros import pages

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = "# yaml-language-server: $schema=../schemas/{}.schema.json\n"
# At 1,000 playbooks a role takes part in thousands of steps, and its page's text outgrows the
# 128 KB that Zensical's search index allows one field (its build then stops). Synthetic sites
# leave role pages out of search in both builders, so both still build the same sources
# (docs/contributing/zensical.md, 超大手册的角色页).
ROLE_SEARCH = re.compile(r"^search:\n(?:  .*\n)+", re.MULTILINE)
ROLE_PAGE_SEARCH = "search:\n  exclude: true\n"
KEPT_DOCS = ("assets", "library", "roles", "index.md", "stale.md")  # library/facts.md links to stale.md
# Library pages of prose about the real SOPs and chapters, which synthetic sites lack: they keep
# only their title, so the pages that link to them still resolve.
PROSE = ("library/replies.md",)
SECTION = 50  # playbooks per collapsible nav group, as a handbook of that size would be organised
SITE_PARTS = ("mkdocs.yml", "handbook.yml", "docs_macros.py", "docs", "playbooks", "macros", "hooks",
              "overrides", "data")


def copy_project(dest: Path, parts=SITE_PARTS) -> Path:
    """Copy the parts of the real project a build needs into `dest` (emptied first), keeping the
    docs/playbooks symlink."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for part in parts:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, dest / part, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, dest / part)
    return dest


def dump(path: Path, kind: str, data: dict) -> None:
    """Write one data file with its schema line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SCHEMA.format(kind) + yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                    "utf-8")


def sop(n: int) -> dict:
    """The SOP of synthetic playbook n."""
    return {"id": f"sop_{n}", "title": f"第 {n} 号流程", "owner": "ops_lead", "trigger": "每周一",
            "frequency": "每周", "outputs": ["一份记录"], "metrics": ["activity_rate"],
            "last_reviewed": "2026-11-20", "review_every_days": 90,
            "steps": [{"id": f"step_{i}", "action": f"完成第 {i} 步。", "timing": "当天",
                       "raci": {"R": ["ops_specialist"], "A": "ops_lead"},
                       "templates": [f"template_{n}"], "checklists": [f"checklist_{n}"]}
                      for i in range(1, 4)]}


def checklist(n: int) -> dict:
    """The checklist of synthetic playbook n."""
    return {"id": f"checklist_{n}", "title": f"第 {n} 号清单", "owner": "ops_specialist",
            "when": "每周一", "last_reviewed": "2026-11-20", "review_every_days": 90,
            "groups": [{"id": "main", "title": "事项",
                        "items": [{"id": f"item_{i}", "text": f"确认第 {i} 项", "owner": "ops_specialist",
                                   "required": i % 2 == 0} for i in range(1, 7)]}]}


def template(n: int) -> dict:
    """The message template of synthetic playbook n."""
    return {"id": f"template_{n}", "title": f"第 {n} 号模板", "channel": "微信群", "purpose": "通知",
            "variables": [{"name": "社群名称", "label": "社群名称", "default": "", "example": "徒步群"}],
            "body": "欢迎来到{{ 社群名称 }}！\n本周活动见群公告。\n", "max_length": 200}


@cache
def prose() -> tuple[str, ...]:
    """The plain paragraphs of the real playbooks (links reduced to their text, no headings,
    tables or macros): synthetic chapters reuse them so their words and sizes are realistic."""
    paragraphs = []
    for source in sorted((ROOT / "playbooks").glob("*.md")):
        for line in pages.body(source.read_text("utf-8")).splitlines():
            line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line).strip().lstrip("-*> 0123456789.")
            if len(line) > 20 and not line.startswith(("#", "|", "[[", "[%", "!!!", "```")):
                paragraphs.append(line.replace("*", "").replace("`", ""))
    return tuple(paragraphs)


def body(n: int, count: int = 68) -> str:
    """Chapter n's running text: `count` real paragraphs (as many as a real chapter has),
    starting at a different one per chapter."""
    paragraphs = prose()
    return "\n\n".join(paragraphs[(n * 7 + i) % len(paragraphs)] for i in range(count))


def playbook(n: int) -> str:
    """The Markdown of synthetic playbook n, embedding its items through the macros."""
    return (f"---\ntitle: 第 {n} 章\nchapter: {n}\nversion: 1.0.0\nstatus: active\nowner: ops_lead\n"
            "last_reviewed: 2026-11-20\nreview_every_days: 90\nchangelog:\n  - version: 1.0.0\n"
            "    date: 2026-11-20\n    summary: 首次发布。\n---\n\n"
            f"# 第 {n} 章\n\n[[ playbook_header() ]]\n\n## 步骤\n\n"
            + body(n)
            + f"\n\n[[ sop(\"sop_{n}\") ]]\n\n## 检查清单\n\n[[ checklist(\"checklist_{n}\") ]]\n\n"
            f"## 模板\n\n[[ template(\"template_{n}\") ]]\n\n[[ playbook_changelog() ]]\n")


def generate(dest: Path, n: int) -> Path:
    """A buildable project with n synthetic playbooks; returns its root."""
    copy_project(dest, ("docs_macros.py", "macros", "hooks", "overrides", "handbook.yml"))
    (dest / "docs").mkdir()
    for part in KEPT_DOCS:
        source = ROOT / "docs" / part
        if source.is_dir():
            shutil.copytree(source, dest / "docs" / part)
        else:
            shutil.copy2(source, dest / "docs" / part)
    for page in PROSE:
        title = (ROOT / "docs" / page).read_text("utf-8").split("\n", 1)[0]
        (dest / "docs" / page).write_text(f"{title}\n\n合成站点不含这一页的正文。\n", "utf-8")
    (dest / "docs/playbooks").symlink_to("../playbooks")
    for page in (dest / "docs/roles").glob("*.md"):  # see ROLE_PAGE_SEARCH
        page.write_text(ROLE_SEARCH.sub(ROLE_PAGE_SEARCH, page.read_text("utf-8")), "utf-8")
    data = dest / "data"
    shutil.copytree(ROOT / "data/schemas", data / "schemas")
    # roles and metrics call facts and community numbers, so those come along
    for kind in ("roles", "metrics", "lexicons", "facts", "communities"):
        shutil.copytree(ROOT / "data" / kind, data / kind)
    (dest / "playbooks").mkdir()
    for i in range(1, n + 1):
        dump(data / f"sops/sop_{i}.yml", "sop", sop(i))
        dump(data / f"checklists/checklist_{i}.yml", "checklist", checklist(i))
        dump(data / f"templates/template_{i}.yml", "template", template(i))
        (dest / f"playbooks/p{i:04d}.md").write_text(playbook(i), "utf-8")
    (dest / "docs/index.md").write_text("# 基准测试站点\n\n合成数据。\n", "utf-8")
    config = (ROOT / "mkdocs.yml").read_text("utf-8")
    libraries = sorted(p.name for p in (ROOT / "docs/library").glob("*.md"))
    sections = "".join(
        f"          - 第 {start} 至 {min(start + SECTION - 1, n)} 章:\n"
        + "".join(f"              - playbooks/p{i:04d}.md\n"
                  for i in range(start, min(start + SECTION, n + 1)))
        for start in range(1, n + 1, SECTION))
    nav = ("nav:\n  - index.md\n  - 手册:\n      - 全部章节:\n" + sections
           + "  - 资料库:\n" + "".join(f"      - library/{page}\n" for page in libraries)
           + "  - stale.md\n")
    (dest / "mkdocs.yml").write_text(config[:config.index("\nnav:\n") + 1] + nav, "utf-8")  # nav is last
    return dest
