"""`mkdocs serve` only: a rebuild redoes what an edit changed and reuses the rest (a MkDocs hook,
listed under `hooks:` in mkdocs.yml).

MkDocs rebuilds the whole site after every save. Within one `mkdocs serve` process this hook keeps
in memory the results an edit rarely changes, each keyed by everything it is made from:
1. a page's HTML, table of contents, title and anchors, by its Markdown after the macros ran, its
   place in the site, where every file goes and mkdocs.yml (converting Markdown, mostly parsing
   the cards' HTML, was half of a rebuild);
2. Material's search entries for a page, by the page's final HTML, address, title, table of
   contents and the front matter the index reads (indexing and segmenting was a fifth);
3. the theme's compiled Jinja templates, by their source (compiling them was a tenth), in every
   Jinja environment the theme makes (Material's search plugin makes two per build);
4. the list of the theme's static files, while the theme's folders are unchanged (listing the
   14,000 files Material ships took 0.05 s per build).
The data is loaded and every page's macros run on every rebuild, so an edit reaches every page
that shows it; a page is converted again whenever its Markdown came out different. A page whose
conversion logged a warning is never kept, so a broken link is reported on every rebuild.
It also polls for saves every POLL_S seconds instead of MkDocs's half second, waits SETTLE_S
instead of 0.1 s for a save to settle, and its pages swap in the rebuilt page instead of reloading
it (on_serve, hooks/livereload.js): reloading a long page costs Chromium 0.3-0.4 s on 2 cores,
swapping it 0.06-0.09 s. The frame stamp says when a swap is not enough: it fingerprints what lies
outside the swapped parts.

`mkdocs build` is untouched: the caches only switch on when MkDocs starts with `serve`. The hook
relies on MkDocs's page object and Material's search index (both pinned in requirements.txt);
tests/test_serve_cache.py checks that a cached rebuild writes the same site, byte for byte, as a
fresh build, so an upgrade that changes either fails there. Zensical ignores MkDocs hooks.
"""

import copy
import functools
import hashlib
import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.theme import Theme

POLL_S = 0.1  # how often `mkdocs serve` looks for saved files (MkDocs's own default: 0.5 s)
SETTLE_S = 0.05  # no further save for this long, and the rebuild starts (MkDocs's own: 0.1 s)
INDEXED_META = ("title", "tags", "search")  # the front matter Material's search index reads
LIVERELOAD_JS = (Path(__file__).parent / "livereload.js").read_bytes()
log = logging.getLogger("mkdocs.hooks.serve_cache")


@dataclass
class Rendered:
    """What MkDocs's Markdown conversion leaves on a page."""

    content: str
    toc: object
    title: str | None
    anchors: set
    links: dict | None  # {linked file's src_uri: {anchor: original link}}


@dataclass
class State:
    """The caches of this serve process and what the current build has done so far."""

    serving: bool = False
    pages: dict = field(default_factory=dict)  # src_uri -> (key, Rendered)
    entries: dict = field(default_factory=dict)  # page url -> (key, search entries)
    site: str = ""  # fingerprint of mkdocs.yml and where every file goes, this build
    frame: str = ""  # fingerprint of what a page swap leaves alone, this build (frame_stamp)
    warnings: int = 0  # warnings logged since serve started
    converting: dict = field(default_factory=dict)  # src_uri -> (key, warnings before its conversion)
    reused: dict = field(default_factory=dict)  # pages converted ("of"), reused ("pages", "entries")


STATE = State()


class WarningCount(logging.Handler):
    """Counts the warnings MkDocs and its plugins log."""

    def emit(self, record: logging.LogRecord) -> None:
        """One more warning."""
        STATE.warnings += 1


class TemplateCache(jinja2.BytecodeCache):
    """Compiled Jinja templates in memory; Jinja itself discards one whose source changed."""

    def __init__(self):
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Fill the bucket from memory, if this template was compiled before."""
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep what Jinja compiled."""
        self.code[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = TemplateCache()
THEME_FILES: dict[str, list] = {}  # theme folders' fingerprint -> [(path, folder)] of static files


class SwappingServer(LiveReloadServer):
    """MkDocs's live-reload server, whose pages swap in their rebuilt version (hooks/livereload.js)."""

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        """Put hooks/livereload.js before </body>, with the build's epoch and frame stamp."""
        end = content.rfind(b"</body>")
        end = len(content) if end < 0 else end
        tag = (f'<script data-epoch="{epoch}" data-request="{round(time.monotonic() * 1000)}" '
               f'data-frame="{STATE.frame}">').encode()
        return content[:end] + tag + LIVERELOAD_JS + b"</script>" + content[end:]


def digest(*parts: str) -> str:
    """One hash of several strings."""
    sha = hashlib.sha256()
    for part in parts:
        sha.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return sha.hexdigest()


def on_startup(command: str, dirty: bool) -> None:
    """Switch the caches on for `mkdocs serve`, and count warnings from then on."""
    STATE.serving = command == "serve"
    logger = logging.getLogger("mkdocs")
    if STATE.serving and not any(isinstance(h, WarningCount) for h in logger.handlers):
        logger.addHandler(WarningCount(logging.WARNING))
    if STATE.serving and not hasattr(Theme.get_env, "serve_cache"):  # once per process
        Theme.get_env = with_template_cache(Theme.get_env)
        Files.add_files_from_theme = with_theme_listing(Files.add_files_from_theme)


def with_template_cache(get_env):
    """Theme.get_env, whose environments keep compiled templates in TEMPLATES."""

    @functools.wraps(get_env)
    def cached_env(theme):
        """The theme's Jinja environment, with the shared bytecode cache."""
        env = get_env(theme)
        env.bytecode_cache = TEMPLATES
        return env

    cached_env.serve_cache = True
    return cached_env


def with_theme_listing(add_files_from_theme):
    """Files.add_files_from_theme, listing the theme's static files once while its folders (the
    installed theme, pinned, and the overrides, fingerprinted) and its settings are unchanged."""

    @functools.wraps(add_files_from_theme)
    def add_listed(files, env, config):
        """Add the theme's static files that no docs/ file overrides, as MkDocs does."""
        theme = config.theme
        overrides = sorted(p for p in Path(theme.custom_dir).rglob("*")) if theme.custom_dir else []
        key = digest(*map(str, theme.dirs), *theme.static_templates, *map(str, overrides))
        if key not in THEME_FILES:
            listed = Files([])
            add_files_from_theme(listed, env, config)
            THEME_FILES[key] = [(f.src_path, f.src_dir) for f in listed]
        for path, folder in THEME_FILES[key]:
            if files.get_file_from_path(path) is None:
                files.append(File(path, folder, config.site_dir, config.use_directory_urls))

    return add_listed


@event_priority(100)  # first: other plugins' watches go to the server that runs
def on_serve(server, config, builder):
    """The same server, polling for saves every POLL_S seconds instead of every half second, whose
    pages swap in their rebuilt version instead of reloading."""
    # Still polling, as MkDocs does: native file events miss edits made from Windows to a WSL
    # checkout and on network drives. One poll of the watched folders takes about 2 ms.
    host, port = server.server_address[:2]
    faster = SwappingServer(builder=builder, host=host, port=port, root=server.root,
                            mount_path=server.mount_path, polling_interval=POLL_S)
    faster.error_handler = server.error_handler
    faster.build_delay = SETTLE_S
    server.server_close()  # never bound: its socket is only closed
    # What MkDocs watched before this event (`--watch-theme` folders are not carried over: the
    # theme is pinned, and overrides/ is in mkdocs.yml's `watch:`, which MkDocs adds after it).
    faster.watch(config.docs_dir)
    faster.watch(config.config_file_path)
    return faster


@event_priority(-100)  # after Material's search plugin made this build's index
def on_config(config):
    """Route Material's search indexing through the entry cache."""
    search = config.plugins.get("material/search")
    index = getattr(search, "search_index", None)
    if STATE.serving and index is not None:
        index.add_entry_from_context = cached_entries(index, index.add_entry_from_context)
    return config


@event_priority(-100)  # after every plugin that adds files
def on_files(files, config):
    """Fingerprint the build: mkdocs.yml and where every file goes; and the frame."""
    STATE.converting.clear()
    STATE.reused.update(of=0, pages=0, entries=0)
    if STATE.serving:
        places = sorted(f"{f.src_uri}\t{f.dest_uri}\t{f.url}" for f in files)
        STATE.site = digest(Path(config.config_file_path).read_text("utf-8"), *places)
        STATE.frame = frame_stamp(files, config)
    return files


def frame_stamp(files, config) -> str:
    """What a page swap cannot bring along, by path, size and time saved: the files of docs/ that
    are not pages (styles, scripts, images), the theme overrides and the YAML beside mkdocs.yml."""
    docs = Path(config.docs_dir)
    paths = {Path(f.abs_src_path) for f in files
             if f.abs_src_path and f.src_dir and Path(f.src_dir) == docs and not f.is_documentation_page()}
    paths |= set(Path(config.config_file_path).parent.glob("*.yml"))
    if config.theme.custom_dir:
        paths |= {p for p in Path(config.theme.custom_dir).rglob("*") if p.is_file()}
    stats = [(p, p.stat()) for p in sorted(paths)]
    return digest(*(f"{p}\t{s.st_size}\t{s.st_mtime_ns}" for p, s in stats))


@event_priority(-100)  # last: the Markdown as the macros left it
def on_page_markdown(markdown, page, config, files):
    """Reuse the page's earlier conversion if its Markdown and the site are unchanged."""
    if not STATE.serving:
        return markdown
    key = digest(STATE.site, page.file.src_uri, markdown)
    STATE.reused["of"] += 1
    kept = STATE.pages.get(page.file.src_uri)
    if kept and kept[0] == key:
        page.render = functools.partial(restore, page, kept[1])
        STATE.reused["pages"] += 1
    else:
        STATE.converting[page.file.src_uri] = (key, STATE.warnings)
    return markdown


@event_priority(100)  # first: the HTML as the conversion left it
def on_page_content(html, page, config, files):
    """Keep a fresh conversion, unless it logged a warning."""
    started = STATE.converting.pop(page.file.src_uri, None)
    if started and STATE.warnings == started[1]:
        links = page.links_to_anchors
        STATE.pages[page.file.src_uri] = (started[0], Rendered(
            html, copy.deepcopy(page.toc), page._title_from_render, set(page.present_anchor_ids or ()),
            None if links is None else {f.src_uri: dict(a) for f, a in links.items()}))
    return html


def on_post_build(config):
    """Say what this rebuild reused."""
    if STATE.serving:
        reused = STATE.reused
        log.info(f"沿用上次构建的结果：{reused['of']} 页中 {reused['pages']} 页的 HTML、"
                 f"{reused['entries']} 页的搜索条目")


def restore(page, rendered: Rendered, config, files) -> None:
    """Put an earlier conversion back on the page, as MkDocs's own render would have left it."""
    page.content = rendered.content
    page.toc = copy.deepcopy(rendered.toc)
    page._title_from_render = rendered.title
    page.present_anchor_ids = set(rendered.anchors)
    if rendered.links is not None:
        page.links_to_anchors = {files.get_file_from_path(src): dict(a) for src, a in rendered.links.items()}


def cached_entries(index, add):
    """Material's add_entry_from_context, reusing a page's entries while their sources are equal."""

    def add_entry_from_context(page):
        """Index the page, or append its earlier entries."""
        toc = json.dumps(list(toc_places(page.toc)), ensure_ascii=False)
        meta = json.dumps([page.meta.get(name) for name in INDEXED_META], default=str, ensure_ascii=False)
        key = digest(STATE.site, page.content, page.url, str(page.title), toc, meta)
        kept = STATE.entries.get(page.url)
        if kept and kept[0] == key:
            index.entries.extend(copy.deepcopy(kept[1]))
            STATE.reused["entries"] += 1
            return
        start = len(index.entries)
        add(page)
        STATE.entries[page.url] = (key, copy.deepcopy(index.entries[start:]))

    return add_entry_from_context


def toc_places(toc):
    """Every heading of a table of contents as (id, address, title), depth first."""
    for item in toc:
        yield item.id, item.url, item.title
        yield from toc_places(item.children)
