"""The one loader: reads data/ and playbook front matter once, validates every file against its
schema, cross-checks the whole set, and collects every problem instead of stopping at the first.
The site build (define_env) and the command line (`python -m macros check`) both call `load`."""

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from . import identity, inline, pages, schemacheck, search, usage
from .kinds import (
    Record,
    checklists,
    communities,
    comparisons,
    facts,
    known,
    lexicons,
    metrics,
    playbooks,
    roles,
    sops,
    synonyms,
    templates,
)
from .problems import MacroError, Problem
from .yamlsource import Document, YamlProblem, parse

DATA_KINDS = (roles.KIND, sops.KIND, checklists.KIND, templates.KIND, metrics.KIND, comparisons.KIND,
              lexicons.KIND, facts.KIND, communities.KIND, synonyms.KIND)
KINDS = DATA_KINDS + (playbooks.KIND,)
NOT_DATA = {"schemas"}


@dataclass
class Project:
    """Everything loaded: records by kind and id, and every problem found."""

    root: Path
    records: dict[str, dict[str, Record]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # shown by `make check`, never fatal
    embeds: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)  # {project path: text} of every page, read once
    identity: dict | None = None  # handbook.yml (macros/identity.py); None while it has problems
    _indexes: dict = field(default_factory=dict, repr=False)

    def items(self, kind: str) -> dict[str, dict]:
        """The plain data of every item of a kind, by id."""
        return {ident: record.data for ident, record in self.records[kind].items()}

    @staticmethod
    def noun(kind: str) -> str:
        """The Chinese noun for one item of a kind in messages, e.g. 检查清单 for checklists."""
        return next(k.noun for k in KINDS if k.name == kind)

    def get(self, kind: str, ident: str) -> dict:
        """One item's data; an unknown id is a MacroError (in Chinese) that lists the known ones."""
        if not isinstance(ident, str) or ident not in self.records[kind]:
            noun = self.noun(kind)
            close = difflib.get_close_matches(str(ident), self.records[kind], n=1)
            guess = f"是不是「{close[0]}」？" if close else ""
            raise MacroError(f"{noun}“{ident}”不存在：data/{kind}/ 里没有这个 id；"
                             f"已有的 id：{known(self.records[kind])}",
                             f"{guess}用已有的 id（加引号），或者先新建 data/{kind}/<id>.yml")
        return self.records[kind][ident].data

    def holders(self, kind: str, key: str, value) -> list[Record]:
        """The valid records of a kind whose `key` equals `value` (indexed once per kind and key)."""
        if (kind, key) not in self._indexes:
            index: dict = {}
            for record in self.records[kind].values():
                if record.valid:
                    index.setdefault(record.data[key], []).append(record)
            self._indexes[kind, key] = index
        return self._indexes[kind, key].get(value, [])

    def role_names(self) -> dict[str, str]:
        """Every role's Chinese name, by id."""
        return {ident: role["name"] for ident, role in self.items("roles").items()}


def modeline_problem(raw: bytes, kind, rel: str) -> list[Problem]:
    """A problem unless the file starts with the yaml-language-server schema line."""
    expected = f"# yaml-language-server: $schema=../schemas/{kind.schema}"
    first = raw.split(b"\n", 1)[0].decode("utf-8", "replace").strip().lstrip("\ufeff")
    if first == expected:
        return []
    return [Problem(rel, 1, "第一行不是 Schema 声明",
                    f"把第一行改成：{expected}")]


def front_matter(text: str, rel: str):
    """The parsed front matter of a playbook's text (it starts on line 2)."""
    if text.split("\n", 1)[0].strip() != "---":
        raise YamlProblem(Problem(rel, 1, "章节没有头信息",
                                  "在文件开头写一段用 --- 包起来的头信息，包含 title、version、status、"
                                  "owner、last_reviewed、review_every_days 和 changelog"))
    front, _ = pages.split_front_matter(text)
    if front is None:
        raise YamlProblem(Problem(rel, 1, "头信息没有结束",
                                  "在头信息末尾加一行，只写 ---"))
    return parse(front, rel, offset=1)


def sources(root: Path):
    """(kind, path, problems) for every source file, and problems for misplaced files."""
    found, problems = [], []
    data = root / "data"
    names = {kind.name for kind in DATA_KINDS}
    for folder in sorted(p for p in data.iterdir() if p.is_dir()) if data.is_dir() else []:
        if folder.is_symlink():
            problems.append(Problem(folder.relative_to(root).as_posix(), 1,
                                    "这个数据文件夹是一个符号链接，不会被读取",
                                    "把真实的文件夹和文件放在 data/ 里，不要用链接"))
        elif folder.name not in names | NOT_DATA:
            problems.append(Problem(folder.relative_to(root).as_posix(), 1, "data/ 里没有这种数据文件夹",
                                    f"把里面的文件移到这些文件夹之一：{', '.join(sorted(names))}"))
    for kind in DATA_KINDS:
        folder = data / kind.name
        for path in sorted(folder.iterdir()) if folder.is_dir() and not folder.is_symlink() else []:
            if path.suffix == ".yml":
                found.append((kind, path))
            else:
                problems.append(Problem(path.relative_to(root).as_posix(), 1,
                                        f"不是 .yml 文件，不会被读取（data/{kind.name}/ 里只读 .yml 文件）",
                                        f"改名为 {path.stem}.yml，或者把它移出 data/"))
    found += [(playbooks.KIND, p) for p in sorted((root / "playbooks").glob("*.md"))
              if p.name != "index.md" and not pages.placement(p.relative_to(root).as_posix())]
    return found, problems


def read(kind, path: Path, rel: str, texts: dict[str, str]):
    """Parse one source file into a document, any problem with its first line, and whether its
    text holds a macro call (`[[`) that inline.expand_all must look at; a playbook comes from the
    text read_pages already read (a page it could not read was reported there)."""
    if kind is playbooks.KIND:
        return front_matter(texts[rel], rel), [], False
    raw = pages.read_bytes(path, rel)
    return parse(raw, rel), modeline_problem(raw, kind, rel), b"[[" in raw


def identify(kind, path: Path, document) -> str | None:
    """An item's id: the file name for playbooks, else the `id` field if it is usable text."""
    if kind is playbooks.KIND:
        return path.stem
    data = document.data
    ident = data.get("id") if isinstance(data, dict) else None
    return ident if isinstance(ident, str) and ident else None


def load(root: Path) -> Project:
    """Load, validate and cross-check the project at `root`; problems are collected, not raised."""
    root = Path(root)
    project = Project(root, {kind.name: {} for kind in KINDS})
    texts, problems = pages.read_pages(root)
    project.pages = texts
    problems += pages.config_problems(root)
    files, misplaced = sources(root)
    problems += misplaced
    handbook, found = identity.read(root)
    problems += found
    for kind, path in files:
        rel = path.relative_to(root).as_posix()
        if kind is playbooks.KIND and rel not in texts:
            continue  # read_pages could not read it and said why
        try:
            document, first_line, calls = read(kind, path, rel, texts)
            invalid = schemacheck.check(document, kind.schema, root / "data/schemas", rel)
        except YamlProblem as err:
            document, first_line, calls, invalid = Document(None), [], False, [err.problem]
        problems += first_line + invalid
        ident = identify(kind, path, document)
        if ident is None:  # unreadable, or no usable id: known by its file name, so references
            project.records[kind.name].setdefault(  # to it are not reported a second time
                path.stem, Record(path.stem, rel, document, valid=False))
            continue
        if kind is not playbooks.KIND and ident != path.stem and not invalid:
            problems.append(Problem(rel, document.line(("id",)),
                                    f"id「{ident}」和文件名 {path.name} 不一致",
                                    f"把文件改名为 {ident}.yml，或者把 id 改成 {path.stem}"))
        taken = project.records[kind.name].get(ident)
        if taken:
            problems.append(Problem(rel, document.line(("id",)),
                                    f"id「{ident}」重复了（{taken.path} 也用了它）",
                                    "换一个 id：同一种数据里每个 id 只能用一次"))
            continue
        project.records[kind.name][ident] = Record(ident, rel, document, not invalid, calls)
    problems = roles.name_hints(problems, project)
    problems += inline.expand_all(project)  # before the checks, so they see the text readers see
    project.embeds = usage.embeds(texts)  # before the checks too: role pages are checked by their calls
    for kind in KINDS:
        for record in project.records[kind.name].values():
            if record.valid:
                problems += kind.check(record, project)
        if kind.check_all:
            problems += kind.check_all(project)
    if handbook:
        project.identity = handbook.data
        problems += identity.variable_warnings(handbook, project)
    project.embeds = usage.embeds(texts)
    if all(p.warning for p in problems):  # keywords are judged on data that is otherwise sound
        problems += search.problems(project) + search.warnings(project)
    project.problems = sorted(p for p in problems if not p.warning)
    project.warnings = sorted(p for p in problems if p.warning)
    return project
