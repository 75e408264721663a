"""Every Markdown page of the site (docs/ and playbooks/), read once by the loader, and the
settings in mkdocs.yml that the theme prints.

A page that cannot be read as UTF-8 text is a problem with its file and line, never a traceback;
a playbook outside playbooks/*.md or with a name that is not lowercase is a problem too; and
every page title must be plain text, since the theme prints titles without escaping them
(docs/contributing/macros.md says why titles are refused rather than escaped)."""

import functools
import os
import re
import stat
from pathlib import Path
from types import SimpleNamespace

import markdown
import yaml
from pymdownx.slugs import slugify

from .problems import Problem
from .schemacheck import where
from .usage import RAW
from .yamlsource import MAX_BYTES, YamlProblem, compose, decode, parse

MARKDOWN = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")  # what MkDocs builds as pages
PLAYBOOK_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*\.md$")
NOT_PLAIN = re.compile(r"[<>&\"'`\x00-\x1f\x7f]|\[\[|\[%|\[#")
H1 = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


def page_source(context) -> str | None:
    """The docs-relative source path of the page a macro renders (None outside a page): MkDocs's
    page.file.src_uri, or Zensical's page.path; the only thing the macros read from either."""
    page = context.get("page")
    file = getattr(page, "file", None)
    return file.src_uri if file is not None else getattr(page, "path", None)


def stand_in_page(source: str) -> SimpleNamespace:
    """A page for rendering macros outside a builder (make check, the bench): page_source reads
    its docs-relative `source` as it reads Zensical's page.path."""
    return SimpleNamespace(path=source)


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
            refuse(f"文件太大（{info.st_size:,} 字节）",
                   f"一个文件不要超过 {MAX_BYTES:,} 字节，把它拆开")
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as err:
        refuse(f"无法读取这个文件（{err.strerror or err}）", "检查文件的读取权限，或重新保存一份")
    if len(raw) > MAX_BYTES:
        refuse(f"文件太大（超过 {MAX_BYTES:,} 字节）",
               f"一个文件不要超过 {MAX_BYTES:,} 字节，把它拆开")
    return raw


def page_text(raw: bytes, rel: str) -> str:
    """A page's text as every reader sees it: UTF-8 (a BOM allowed), Windows line ends made plain."""
    return decode(raw, rel, 0).replace("\r\n", "\n")


def split_front_matter(text: str) -> tuple[str | None, int]:
    """(front matter text or None, line where the body starts) of a page's text."""
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return None, 1
    end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), None)
    if end is None:
        return None, 1
    return "\n".join(lines[1:end]), end + 2


def body(text: str) -> str:
    """A page's text without its front matter."""
    return "\n".join(text.split("\n")[split_front_matter(text)[1] - 1:])


@functools.lru_cache(maxsize=256)
def anchors(text: str) -> frozenset[str] | None:
    """The heading anchors the site gives a page (toc with the slugify of mkdocs.yml, attr_list
    ids), or None when a heading holds a macro, whose text is only known once it is rendered."""
    page = body(text)
    if any("[[" in line or "[%" in line for line in page.split("\n") if line.startswith("#")):
        return None
    md = markdown.Markdown(extensions=["toc", "attr_list"],
                           extension_configs={"toc": {"slugify": slugify(case="lower")}})
    md.convert(page)

    def ids(tokens):
        return [found for token in tokens for found in [token["id"], *ids(token["children"])]]
    return frozenset(ids(md.toc_tokens))


def plain_problem(rel: str, line: int, label: str, value: str) -> list[Problem]:
    """A problem if text the theme prints unescaped (a title, a front-matter value, a setting)
    holds markup, quotes or macro syntax."""
    found = NOT_PLAIN.search(value)
    if not found:
        return []
    return [Problem(rel, line, f"{label}「{value}」含有 {found.group(0)!r}，这里只能写纯文字",
                    "去掉 < > & ' \" ` 和 [[ [% 这类符号，需要引号时用中文引号“”"
                    "（网站主题原样输出这些文字，见 docs/contributing/macros.md）")]


def title_problem(rel: str, line: int, title) -> list[Problem]:
    """A problem unless a page title is plain text: no HTML, entities, quotes or macro syntax."""
    if not isinstance(title, str) or not title.strip():
        return [Problem(rel, line, f"标题应当是一段文字，这里是 {title!r}",
                        "把标题写成文字，例如 title: 社群定位；纯数字要加引号，例如 title: \"2026\"")]
    return plain_problem(rel, line, "标题", title)


def texts_in(value, path: tuple = ()):
    """(path, text) for every text value inside parsed YAML data."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts_in(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from texts_in(item, path + (i,))


def front_matter_problems(rel: str, meta) -> list[Problem]:
    """Problems in a page's parsed front matter: the title must be text, and every text value
    must be plain, since theme templates print front matter without escaping it."""
    data = meta.data
    problems = []
    if isinstance(data, dict) and "title" in data and not isinstance(data["title"], str):
        problems += title_problem(rel, meta.line(("title",)), data["title"])
    for path, text in texts_in(data):
        label = "标题" if path == ("title",) else f"头信息 {where(path)}"
        problems += plain_problem(rel, meta.line(path), label, text)
    return problems


def page_problems(rel: str, text: str) -> list[Problem]:
    """Problems with a docs page's front matter, or with its first # heading if that is where
    its title comes from."""
    front, body_line = split_front_matter(text)
    if front is not None:
        try:
            meta = parse(front, rel, offset=1)
        except YamlProblem as err:
            return [err.problem]
        if isinstance(meta.data, dict) and "title" in meta.data:
            return front_matter_problems(rel, meta)
        problems = front_matter_problems(rel, meta)
    else:
        problems = []
    body = text.split("\n", body_line - 1)[-1] if body_line > 1 else text
    heading = H1.search(body)
    if heading:
        line = body_line + body.count("\n", 0, heading.start())
        problems += title_problem(rel, line, heading.group(1))
    return problems


FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)")
MACRO_SYNTAX = re.compile(r"\[\[|\[%")
LITERAL = re.compile(r"""\[\[[ \t]*("[^"\n]*"|'[^'\n]*')[ \t]*\]\]""")  # [[ "[% raw %]" ]] shows its text


def split_code(text: str):
    """(line number, prose, code) for each line of a page: code is a fenced line whole, or the
    inline code spans of a prose line (prose keeps the rest); lines of a [% raw %] region count
    as code, since they too show their text as written."""
    shown = LITERAL.sub(lambda m: " " * len(m.group(0)), text)  # [[ "[% raw %]" ]] opens nothing
    raw_lines = {number for match in RAW.finditer(shown)
                 for number in range(shown.count("\n", 0, match.start()) + 1,
                                     shown.count("\n", 0, match.end()) + 2)}
    fence = None
    for number, line in enumerate(text.split("\n"), 1):
        opened = FENCE.match(line)
        if fence is None and opened:
            fence = opened.group(1)
            yield number, "", ""  # the fence itself holds no code
        elif fence is not None and line.strip().startswith(fence) and not line.strip().strip(fence[0]):
            fence = None
            yield number, "", ""
        elif fence is not None:
            yield number, "", line
        elif number in raw_lines:
            yield number, "", line
        else:
            yield number, CODE_SPAN.sub(" ", line), " ".join(
                span.group(2) for span in CODE_SPAN.finditer(line))


def code_call_warnings(rel: str, text: str) -> list[Problem]:
    """A warning for each line where a code block or inline code holds [[ or [% outside
    [% raw %] (A14): the macro runs there too, so the reader sees its result, not the text
    written. A call that only prints a quoted string is how a page shows macro syntax itself."""
    text = RAW.sub(lambda m: "\n" * m.group(0).count("\n"), LITERAL.sub("", text))
    return [Problem(rel, number, "代码里的 [[ 或 [% 会被当成宏执行，读者看到的是执行结果，不是这段文字",
                    "要原样显示这段代码，用 [% raw %] … [% endraw %] 把它包起来", warning=True)
            for number, _, code in split_code(text) if MACRO_SYNTAX.search(code)]


def walk(top: Path):
    """Every file under `top`, without following symlinked folders (docs/playbooks is one);
    symlinked folders and folders named like pages are yielded too, for read_bytes to refuse."""
    for folder, subfolders, names in os.walk(top):
        subfolders.sort()
        odd = [d for d in subfolders if Path(folder, d).is_symlink() or d.endswith(MARKDOWN)]
        for name in sorted(names + odd):
            yield Path(folder, name)


def placement(rel: str, root: Path | None = None) -> list[Problem]:
    """A problem for a Markdown file under playbooks/ that is not a playbook MkDocs and the
    loader agree on: playbooks/<lowercase-name>.md, or a sub-page playbooks/<chapter>/<name>.md
    of an existing chapter (checked when root is given)."""
    parts = rel.split("/")
    if (root is not None and len(parts) == 3 and (root / "playbooks" / f"{parts[1]}.md").is_file()
            and PLAYBOOK_NAME.match(parts[2])):
        return []
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
            found = placement(rel, root) if top == "playbooks" else []
            try:
                texts[rel] = page_text(read_bytes(path, rel), rel)
            except YamlProblem as err:
                found.insert(0, err.problem)
            playbook = top == "playbooks" and not found and rel != "playbooks/index.md"
            if rel in texts:
                found += code_call_warnings(rel, texts[rel])
            if rel in texts and not playbook:  # a playbook's title is checked with its record
                found += page_problems(rel, texts[rel])
                # MkDocs titles a page with neither a title nor a # heading after its file name
                found += plain_problem(rel, 1, "文件名（页面没有标题时就是标题）", path.stem)
            problems += found
    return texts, problems


THEMED_SETTINGS = ("site_name", "site_description", "site_author", "copyright", "extra", "theme",
                   "repo_name", "repo_url", "edit_uri", "site_url")


def setting_texts(node, path: tuple):
    """(path, scalar node) for every plain text value under a mkdocs.yml node; `nav` contributes
    its titles (the keys), not the page paths. Tagged values (!ENV …) come from the build
    environment, not from contributors, and are skipped."""
    if not node.tag.startswith("tag:yaml.org,2002:"):
        return
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:str":
            yield path, node
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from setting_texts(item, path + (i,))
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if path[:1] == ("nav",):
                yield path + (key.value,), key
            yield from setting_texts(value, path + (key.value,))


def config_problems(root: Path) -> list[Problem]:
    """Problems for mkdocs.yml settings the theme prints without escaping: the site name and
    description, copyright, extra, theme labels, the repository and edit links and nav titles
    must be plain text."""
    path = root / "mkdocs.yml"
    if not path.exists():
        return []
    try:
        tree = compose(decode(read_bytes(path, "mkdocs.yml"), "mkdocs.yml"), "mkdocs.yml", 0)
    except YamlProblem as err:
        return [err.problem]
    except yaml.YAMLError:
        return []  # MkDocs itself reports a broken mkdocs.yml, with its line
    problems = []
    for key, value in tree.value if isinstance(tree, yaml.MappingNode) else []:
        if key.value in THEMED_SETTINGS + ("nav",):
            for at, node in setting_texts(value, (key.value,)):
                label = "导航标题" if at[0] == "nav" else f"设置 {where(at)}"
                problems += plain_problem("mkdocs.yml", node.start_mark.line + 1, label, node.value)
    return problems
