"""The handbook's identity, `handbook.yml` at the project root: name, team, repository, published
address and the team's own community. The one module that reads it (with the same YAML reader and
schema check as data/), applies it to the site configuration, and turns the repository address
into edit and view links for any page or data file."""

import re
from pathlib import Path
from urllib.parse import urlsplit

from . import pages, schemacheck
from .problems import Problem
from .render import md_text, partial
from .yamlsource import Document, YamlProblem, parse

FILE = "handbook.yml"
SCHEMA = "handbook.schema.json"
MODELINE = "# yaml-language-server: $schema=data/schemas/handbook.schema.json"
KNOWN_HOSTS = {"github.com": "github", "gitee.com": "gitee"}
# Where each host keeps a file's edit page, its read-only page and the issue tracker.
SCHEMES = {
    "github": {"edit": "edit", "view": "blob", "folder": "tree", "issues": "issues"},
    "gitee": {"edit": "edit", "view": "blob", "folder": "tree", "issues": "issues"},
    "gitlab": {"edit": "-/edit", "view": "-/blob", "folder": "-/tree", "issues": "-/issues"},
}
# A line of a file, after its address: GitHub's editor puts the cursor there, and all three hosts'
# file views highlight it; a page that does not know the mark ignores it.
LINE_MARK = "#L{}"
# What git refuses in a branch name (git check-ref-format), in one pattern.
BAD_BRANCH = re.compile(r"[\x00-\x20\x7f~^:?*\[\\]|\.\.|@\{|//|^[-/.]|[/.]$|\.lock$|^@$")
# The template variables the community profile fills, besides community.variables.
PROFILE_VARIABLES = {"社群名称": "name", "成员称呼": "member_title", "社群载体": "carrier"}
# The texts handbook() shows and the theme prints (as page text, unescaped), with their names.
TEXT_FIELDS = {"name": "手册名称", "description": "一句话介绍", "org": "团队名称"}


def detect_host(url: str) -> str | None:
    """github, gitee or gitlab from a repository address, or None when the domain does not say."""
    domain = (urlsplit(url).hostname or "").lower()
    if domain in KNOWN_HOSTS:
        return KNOWN_HOSTS[domain]
    return "gitlab" if "gitlab" in domain.split(".") or domain.startswith("gitlab") else None


def repo_base(url: str) -> str:
    """The repository address without a trailing slash or `.git`."""
    return url.strip().rstrip("/").removesuffix(".git")


def host_of(repo: dict) -> str | None:
    """The repository's host: the explicit `host` override, else detected from its address."""
    return repo.get("host") or detect_host(repo["url"])


def source_url(repo: dict, path: str, action: str = "edit", line: int | None = None) -> str:
    """The web address that opens `path` (relative to the repository root) on the repository's
    host, for editing (`edit`, at `line` if given), reading (`view`) or listing a folder
    (`folder`); `issues` gives the issue tracker."""
    scheme = SCHEMES[host_of(repo)][action]
    if action == "issues":
        return f"{repo_base(repo['url'])}/{scheme}"
    mark = LINE_MARK.format(line) if line else ""
    return f"{repo_base(repo['url'])}/{scheme}/{repo['branch']}/{path}{mark}"


def edit_data_url(project, kind: str, ident: str) -> str | None:
    """Where a data item's file opens for editing, at the line of its id; None when handbook.yml
    names no repository (the cards then show no link)."""
    repo = (project.identity or {}).get("repo")
    if not repo:
        return None
    record = project.records[kind][ident]
    return source_url(repo, record.path, "edit", record.doc.line(("id",)))


def branch_problem(branch: str) -> tuple[str, str] | None:
    """(what, fix) if git would refuse `branch` as a branch name."""
    if BAD_BRANCH.search(branch):
        return (f"“{branch}”不是有效的分支名",
                "写仓库的默认分支名，例如 main 或 master，不要带空格和 ~^:?*[\\ 等符号")
    return None


def repo_problem(url: str, host: str | None) -> tuple[str, str] | None:
    """(what, fix) if the repository address is not one whose edit links can be derived."""
    parts = [p for p in urlsplit(repo_base(url)).path.split("/") if p]
    if len(parts) < 2:
        return (f"“{url}”不是仓库地址",
                "写仓库首页的地址，包含团队和仓库名，例如 https://gitee.com/acme/handbook")
    domain = (urlsplit(url).hostname or "").lower()
    if host and KNOWN_HOSTS.get(domain, host) != host:
        return (f"网址在 {domain} 上，但 host 写的是 {host}",
                "删掉 repo 下的 host 这一行，平台会从网址自动识别")
    return None if host or detect_host(url) else host_problem(url)


def host_problem(url: str) -> tuple[str, str]:
    """(what, fix) for an address whose domain does not say which host it is."""
    return (f"看不出“{urlsplit(url).hostname}”是哪个代码托管平台",
            "在 repo 下加一行 host: gitlab（自建 GitLab），或写 github、gitee")


def semantic_problems(document: Document) -> list[Problem]:
    """Problems the schema cannot see: a branch git refuses, an address with no known host, and
    markup in a text the theme prints (docs/contributing/macros.md says why it is refused)."""
    repo = document.data.get("repo")
    found = [(("repo", "url"), repo_problem(repo["url"], repo.get("host"))),
             (("repo", "branch"), branch_problem(repo["branch"]))] if repo else []
    problems = [Problem(FILE, document.line(at), f"{schemacheck.where(at)}: {problem[0]}", problem[1])
                for at, problem in found if problem]
    for key, label in TEXT_FIELDS.items():  # the theme prints them without escaping them
        problems += pages.plain_problem(FILE, document.line((key,)), f"{key}: {label}", document.data[key])
    return problems


def check_bytes(raw: bytes, schema_dir: Path) -> tuple[Document | None, list[Problem]]:
    """The identity in `raw` (the text of handbook.yml), None if it is unusable, and every problem."""
    try:
        document = parse(raw, FILE)
    except YamlProblem as err:
        return None, [err.problem]
    first = raw.split(b"\n", 1)[0].decode("utf-8", "replace").strip().lstrip("\ufeff")
    problems = [] if first == MODELINE else [
        Problem(FILE, 1, "第一行不是 Schema 声明", f"把第一行改成：{MODELINE}")]
    invalid = schemacheck.check(document, SCHEMA, schema_dir, FILE)
    problems += invalid or semantic_problems(document)
    return (None if invalid else document), problems


def read(root: Path) -> tuple[Document | None, list[Problem]]:
    """The project's identity and every problem with it (a missing file is one problem)."""
    path = Path(root) / FILE
    if not path.exists() and not path.is_symlink():
        return None, [Problem(FILE, 1, "找不到手册身份文件 handbook.yml",
                              "运行 make init 生成它，或从上游仓库复制一份")]
    try:
        raw = pages.read_bytes(path, FILE)
    except YamlProblem as err:
        return None, [err.problem]
    return check_bytes(raw, Path(root) / "data/schemas")


def handbook(project, field: str = "name") -> str:
    """The handbook's name, `description` or team (`org`) from handbook.yml, as page text."""
    if field not in TEXT_FIELDS:
        raise LookupError(f"handbook() 只认识 {', '.join(TEXT_FIELDS)}，没有“{field}”")
    return md_text(project.identity[field])


def variable_warnings(document: Document, project) -> list[Problem]:
    """Warnings for community.variables that no message template uses (a typo fills nothing)."""
    used = {v["name"] for template in project.items("templates").values() for v in template["variables"]}
    return [Problem(FILE, document.line(("community", "variables", name)),
                    f"community.variables.{name}: 没有哪个消息模板用到变量“{name}”",
                    "检查拼写，要和模板里 {{ }} 中的变量名完全一致；用不到就删掉这一行", warning=True)
            for name in document.data["community"].get("variables", {}) if name not in used]


def feedback_url(identity: dict) -> str | None:
    """Where readers report mistakes: the `feedback` entry, else the repository's issue tracker
    (None without either)."""
    repo = identity.get("repo")
    return identity.get("feedback") or (source_url(repo, "", "issues") if repo else None)


def template_defaults(identity: dict) -> dict[str, str]:
    """Default values for template variables, by variable name, from the community profile."""
    community = identity["community"]
    named = {variable: community[key] for variable, key in PROFILE_VARIABLES.items() if community[key]}
    return {**named, **community.get("variables", {})}


def apply(config, identity: dict) -> None:
    """Put the identity into the site configuration: name, description, published address (unless
    SITE_URL or `mkdocs serve` set one), footer, and the edit and view link prefixes that
    overrides/partials/actions.html completes with each page's source file."""
    config["site_name"] = identity["name"]  # plain text: semantic_problems refuses markup
    config["site_description"] = identity["description"]
    if not config.get("site_url"):
        config["site_url"] = identity["site_url"].rstrip("/") + "/"
    feedback = feedback_url(identity)
    config["copyright"] = partial("copyright.html", org=identity["org"], feedback=feedback,
                                  is_url=bool(re.match(r"https?://", feedback or "")))
    repo = identity.get("repo")  # none: no edit or view buttons (actions.html)
    config["extra"]["source_links"] = {action: source_url(repo, "", action)
                                       for action in ("edit", "view", "folder")} if repo else None
