"""The one loader: reads data/ and playbook front matter once, validates every file against its
schema, cross-checks the whole set, and collects every problem instead of stopping at the first.
The site build (define_env) and the command line (`python -m macros check`) both call `load`."""

from dataclasses import dataclass, field
from pathlib import Path

from . import inline, schemacheck, usage
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
    templates,
)
from .problems import Problem
from .yamlsource import MAX_BYTES, Document, YamlProblem, parse

DATA_KINDS = (roles.KIND, sops.KIND, checklists.KIND, templates.KIND, metrics.KIND, comparisons.KIND,
              lexicons.KIND, facts.KIND, communities.KIND)
KINDS = DATA_KINDS + (playbooks.KIND,)
NOT_DATA = {"schemas"}


@dataclass
class Project:
    """Everything loaded: records by kind and id, and every problem found."""

    root: Path
    records: dict[str, dict[str, Record]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    embeds: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    _indexes: dict = field(default_factory=dict, repr=False)

    def items(self, kind: str) -> dict[str, dict]:
        """The plain data of every item of a kind, by id."""
        return {ident: record.data for ident, record in self.records[kind].items()}

    @staticmethod
    def label(kind: str) -> str:
        """The singular noun for a kind in messages, e.g. "SOP" for sops."""
        return next(k.label for k in KINDS if k.name == kind)

    def get(self, kind: str, ident: str) -> dict:
        """One item's data; an unknown id is an error (in Chinese) that lists the known ones."""
        if ident not in self.records[kind]:
            noun = next(k.noun for k in KINDS if k.name == kind)
            raise LookupError(f"{noun}“{ident}”不存在：data/{kind}/ 里没有这个 id；"
                              f"已有的 id：{known(self.records[kind])}")
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


def read_bytes(path: Path, rel: str) -> bytes:
    """A file's bytes, refusing oversized files before reading them."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise YamlProblem(Problem(rel, 1, f"the file is too large ({size:,} bytes)",
                                  f"keep a data file under {MAX_BYTES:,} bytes; split it"))
    return path.read_bytes()


def modeline_problem(raw: bytes, kind, rel: str) -> list[Problem]:
    """A problem unless the file starts with the yaml-language-server schema line."""
    expected = f"# yaml-language-server: $schema=../schemas/{kind.schema}"
    first = raw.split(b"\n", 1)[0].decode("utf-8", "replace").strip().lstrip("\ufeff")
    if first == expected:
        return []
    return [Problem(rel, 1, "the first line is not the schema line",
                    f"make the first line: {expected}")]


def front_matter(raw: bytes, rel: str):
    """The parsed front matter of a Markdown file (it starts on line 2)."""
    lines = raw.split(b"\n")
    if lines[0].strip() != b"---":
        raise YamlProblem(Problem(rel, 1, "the playbook has no front matter",
                                  "start the file with a --- block holding title, version, status, "
                                  "owner, last_reviewed, review_every_days and changelog"))
    end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == b"---"), None)
    if end is None:
        raise YamlProblem(Problem(rel, 1, "the front matter is not closed",
                                  "end the front matter with a line holding only ---"))
    return parse(b"\n".join(lines[1:end]), rel, offset=1)


def sources(root: Path):
    """(kind, path, problems) for every source file, and problems for misplaced files."""
    found, problems = [], []
    data = root / "data"
    names = {kind.name for kind in DATA_KINDS}
    for folder in sorted(p for p in data.iterdir() if p.is_dir()) if data.is_dir() else []:
        if folder.name not in names | NOT_DATA:
            problems.append(Problem(folder.relative_to(root).as_posix(), 1, "unknown data folder",
                                    f"move its files into one of: {', '.join(sorted(names))}"))
    for kind in DATA_KINDS:
        for path in sorted((data / kind.name).glob("*")) if (data / kind.name).is_dir() else []:
            if path.suffix == ".yml":
                found.append((kind, path))
            else:
                problems.append(Problem(path.relative_to(root).as_posix(), 1,
                                        f"not a .yml file, so it is not read as a {kind.label}",
                                        f"rename it to {path.stem}.yml or move it out of data/"))
    found += [(playbooks.KIND, p) for p in sorted((root / "playbooks").glob("*.md"))
              if p.name != "index.md"]
    return found, problems


def read(kind, path: Path, rel: str):
    """Parse one source file into a document, any problem with its first line, and whether its
    text holds a macro call (`[[`) that inline.expand_all must look at."""
    raw = read_bytes(path, rel)
    if kind is playbooks.KIND:
        return front_matter(raw, rel), [], False
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
    files, problems = sources(root)
    for kind, path in files:
        rel = path.relative_to(root).as_posix()
        try:
            document, first_line, calls = read(kind, path, rel)
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
                                    f'id "{ident}" does not match the file name {path.name}',
                                    f"rename the file to {ident}.yml, or change the id to {path.stem}"))
        taken = project.records[kind.name].get(ident)
        if taken:
            problems.append(Problem(rel, document.line(("id",)),
                                    f'duplicate {kind.label} id "{ident}" (also in {taken.path})',
                                    f"give each {kind.label} its own id"))
            continue
        project.records[kind.name][ident] = Record(ident, rel, document, not invalid, calls)
    problems += inline.expand_all(project)  # before the checks, so they see the text readers see
    for kind in KINDS:
        for record in project.records[kind.name].values():
            if record.valid:
                problems += kind.check(record, project)
        if kind.check_all:
            problems += kind.check_all(project)
    project.problems = sorted(p for p in problems if not p.warning)
    project.warnings = sorted(p for p in problems if p.warning)
    project.embeds = usage.embeds(root)
    return project
