"""Every Markdown page of the site (docs/ and playbooks/), read once by the loader.

A page that cannot be read as UTF-8 text is a problem with its file and line, never a traceback;
a playbook outside playbooks/*.md or with a name that is not lowercase is a problem too; and
every page title must be plain text, since the theme prints titles without escaping them
(docs/contributing/macros.md says why titles are refused rather than escaped)."""

import os
import re
import stat
from pathlib import Path

from .problems import Problem
from .yamlsource import MAX_BYTES, YamlProblem, decode, parse

MARKDOWN = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")  # what MkDocs builds as pages
PLAYBOOK_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*\.md$")
NOT_PLAIN = re.compile(r"[<>&\"'`\x00-\x1f\x7f]|\[\[|\[%|\[#")
H1 = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


def read_bytes(path: Path, rel: str) -> bytes:
    """A regular file's bytes. Symlinks, directories, FIFOs and devices are refused before they
    are opened, and at most MAX_BYTES + 1 bytes are read, so no file can hang the run, exhaust
    memory or publish a file from outside the repository."""
    def refuse(what: str, fix: str):
        raise YamlProblem(Problem(rel, 1, what, fix))

    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            refuse(f"这是一个符号链接（指向 {os.readlink(path)}），不会被读取",
                   "把真实的文件放在这里，不要用链接；仓库外的文件不能进入手册")
        if stat.S_ISDIR(info.st_mode):
            refuse("这是一个文件夹，不是文件", f"把它改名，去掉结尾的 {path.suffix}，或把里面的文件移出来")
        if not stat.S_ISREG(info.st_mode):
            refuse("这不是普通文件（可能是管道或设备），不会被读取", "换成一个普通的文本文件")
        if info.st_size > MAX_BYTES:
            refuse(f"the file is too large ({info.st_size:,} bytes)",
                   f"keep a data file under {MAX_BYTES:,} bytes; split it")
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as err:
        refuse(f"无法读取这个文件（{err.strerror or err}）", "检查文件的读取权限，或重新保存一份")
    if len(raw) > MAX_BYTES:
        refuse(f"the file is too large (over {MAX_BYTES:,} bytes)",
               f"keep a data file under {MAX_BYTES:,} bytes; split it")
    return raw


def split_front_matter(text: str) -> tuple[str | None, int]:
    """(front matter text or None, line where the body starts) of a page's text."""
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return None, 1
    end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), None)
    if end is None:
        return None, 1
    return "\n".join(lines[1:end]), end + 2


def title_problem(rel: str, line: int, title) -> list[Problem]:
    """A problem unless a page title is plain text: no HTML, entities, quotes or macro syntax."""
    if not isinstance(title, str) or not title.strip():
        return [Problem(rel, line, f"标题应当是一段文字，这里是 {title!r}",
                        "把标题写成文字，例如 title: 社群定位；纯数字要加引号，例如 title: \"2026\"")]
    found = NOT_PLAIN.search(title)
    if found:
        return [Problem(rel, line, f"标题「{title}」含有 {found.group(0)!r}，标题只能是纯文字",
                        "去掉 < > & ' \" ` 和 [[ [% 这类符号；需要引号时用中文引号“”")]
    return []


def page_problems(rel: str, text: str) -> list[Problem]:
    """Problems with a docs page's title: from its front matter, else from its first # heading."""
    front, body_line = split_front_matter(text)
    if front is not None:
        try:
            meta = parse(front, rel, offset=1)
        except YamlProblem as err:
            return [err.problem]
        if isinstance(meta.data, dict) and "title" in meta.data:
            return title_problem(rel, meta.line(("title",)), meta.data["title"])
    body = text.split("\n", body_line - 1)[-1] if body_line > 1 else text
    heading = H1.search(body)
    if heading:
        line = body_line + body.count("\n", 0, heading.start())
        return title_problem(rel, line, heading.group(1))
    return []


def walk(top: Path):
    """Every file under `top`, without following symlinked folders (docs/playbooks is one);
    symlinked folders and folders named like pages are yielded too, for read_bytes to refuse."""
    for folder, subfolders, names in os.walk(top):
        subfolders.sort()
        odd = [d for d in subfolders if Path(folder, d).is_symlink() or d.endswith(MARKDOWN)]
        for name in sorted(names + odd):
            yield Path(folder, name)


def placement(rel: str) -> list[Problem]:
    """A problem for a Markdown file under playbooks/ that is not a playbook MkDocs and the
    loader agree on: playbooks/<lowercase-name>.md."""
    parts = rel.split("/")
    if len(parts) > 2:
        return [Problem(rel, 1, "章节放在了 playbooks/ 的子文件夹里，不会按章节检查",
                        f"把它移到 playbooks/{parts[-1]}，每章一个文件，直接放在 playbooks/ 下")]
    if not PLAYBOOK_NAME.match(parts[-1]):
        lower = re.sub(r"[^a-z0-9-]", "-", Path(parts[-1]).stem.lower()) + ".md"
        return [Problem(rel, 1, "章节文件名只能用小写字母、数字和连字符，扩展名为 .md",
                        f"改名为 playbooks/{lower}（只差大小写的两个文件在 Windows 和 macOS 上会互相覆盖）")]
    return []


def read_pages(root: Path) -> tuple[dict[str, str], list[Problem]]:
    """({rel: text} of every readable page, problems): docs/ without the playbooks symlink, and
    playbooks/. Files that are not pages at all (images, data) are left alone."""
    texts, problems = {}, []
    for top in ("docs", "playbooks"):
        for path in walk(root / top) if (root / top).is_dir() else []:
            rel = path.relative_to(root).as_posix()
            if path.suffix.lower() not in MARKDOWN and not (top == "playbooks" and path.is_symlink()):
                continue
            found = placement(rel) if top == "playbooks" else []
            try:
                texts[rel] = decode(read_bytes(path, rel), rel, 0).replace("\r\n", "\n")
            except YamlProblem as err:
                found.insert(0, err.problem)
            playbook = top == "playbooks" and not found and rel != "playbooks/index.md"
            if rel in texts and not playbook:  # a playbook's title is checked with its record
                found += page_problems(rel, texts[rel])
            problems += found
    return texts, problems
