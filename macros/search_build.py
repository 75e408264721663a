"""Build-time glue for Material's search, run on every build by mkdocs-gen-files (listed under
`gen-files: scripts` in mkdocs.yml). No MkDocs internals are involved. It does two things:

1. Patches Material's search worker (query splitting, below) and its main bundle (loading the
   index, below): each patched copy replaces the theme's file of the same name in the built site;
   only the installed Material is read.
2. Remembers jieba's cuts by text for the life of the process, so a `mkdocs serve` rebuild
   re-segments only the text that changed (cutting every page again was about a sixth of the CPU
   time of a rebuild on the bench machine).

Why patches: Material 9.8.1 splits a Chinese query by matching it against the index's own words,
and that step (`segment` in src/…/search/query/segment/index.ts) has defects no release fixes
(Material 9 is in maintenance until its end of life; nothing upstream addresses them):
  A. the last character never ends a matched word, so 带货 is searched as 带*;
  B. when the first character is no word of the index, the whole query stays one term;
  C. Chinese glued to Latin stays one term (社群KPI), and every segment gets a doubled wildcard.
And over http(s) its bundle downloads the whole index (bench/results/notes.md has its size) on
every first page a reader opens, whether or not they search: the worker is set up at once
(`setupSearchWorker`), and the search.highlight feature subscribes to the index on every page even
without a `?h=` to highlight. Material already waits for the reader to open search when a page
comes from file://; the bundle patch makes every page wait: the index is fetched when the search
box is focused or opened (or `?q=` opens it), and for highlighting only on a page with `?h=`.
Why that is acceptable: each patch is a few string replacements applied to the pinned, installed
Material at build time (no copy of the theme is kept here), so its reach is visible in this file;
it is tied to one exact file, so if a Material upgrade changes it the build stops with a message
saying so and tests/test_search.py fails, and the patch is re-derived or dropped, never silently
stale; and it leaves with Material (Zensical, its successor, has its own search) or with an
upstream fix.

The new splitting, per run of Han characters: the longest word of the index at each position, up
to and including the last character; a character that starts no word stands alone. Filler words
(怎么, 如何, 的, …) are dropped when other words remain. Single characters are searched exactly,
not as prefixes, except when the run is that one character (search as you type). A stretch of two
or more characters that are no word of the index is also searched with one edit allowed, so
活越率 finds 活跃率 and 续废 finds 续费; a query made of known words gets no fuzzy term at all.
"""

import json
from functools import lru_cache
from pathlib import Path

import jieba
import material

JAVASCRIPTS = Path(material.__file__).parent / "templates/assets/javascripts"
# Material 9.8.1's files (paths under assets/javascripts/); each patch is for that exact file only.
WORKER = "workers/search.a7633da7.min.js"
BUNDLE = "bundle.a5f9d56c.min.js"
FILLERS = ("怎么", "怎么办", "怎样", "如何", "什么", "为什么", "为何", "哪些", "哪个", "是否", "一下",
           "吗", "呢", "吧", "啊", "呀", "的", "了", "么")

SEGMENT_OLD = (
    'function fe(t,e){let r=new Set,n=new Uint16Array(t.length);for(let s=0;s<t.length;s++)'
    'for(let o=s+1;o<t.length;o++)t.slice(s,o)in e&&(n[s]=o-s);let i=[0];for(let s=i.length;s>0;)'
    '{let o=i[--s];for(let u=1;u<n[o];u++)n[o+u]>n[o]-u&&(r.add(t.slice(o,o+u)),i[s++]=o+u);'
    'let a=o+n[o];n[a]&&a<t.length-1&&(i[s++]=a),r.add(t.slice(o,a))}'
    'return r.has("")?new Set([t]):r}')
SEGMENT_NEW = """function fe(t,e){
  /* handbook patch (macros/search_build.py): split a Han run into the index's words */
  const fillers=new Set(%s);
  let words=[];
  for(let p=0;p<t.length;){
    let j=Math.min(t.length,p+8);
    while(j>p+1&&!(t.slice(p,j) in e))j--;
    words.push(t.slice(p,j));p=j;
  }
  const kept=words.filter(w=>!fillers.has(w));
  if(kept.length)words=kept;
  if(words.length==1&&words[0].length==1)return words;
  const terms=[];let stretch="";
  for(const w of [...words,""]){
    if(w.length==1){terms.push(w+"^1");stretch+=w;continue}
    if(stretch.length>1)terms.push(stretch+"~1");
    stretch="";
    if(w)terms.push(w);
  }
  return terms;
}"""
CALL_OLD = r'e=e.replace(new RegExp("\\p{sc=Han}+","gu"),s=>[...fe(s,this.index.invertedIndex)].join("* "))'
CALL_NEW = r'e=e.replace(new RegExp("\\p{sc=Han}+","gu"),s=>" "+fe(s,this.index.invertedIndex).join(" ")+" ")'
# The bundle: set the worker up when search opens, as on file:// (`of(location.protocol !==
# "file:")` becomes `of(false)`), and let the highlighter take the index only for a `?h=` location
# (`combineLatest([index$, location$ with h])` becomes `location$ with h` switched to `index$`).
SETUP_OLD = 'L($(location.protocol!=="file:"),Je("search"))'
SETUP_NEW = 'L($(!1),Je("search"))'
HIGHLIGHT_OLD = ('function Ai(e,{index$:t,location$:r}){return z([t,r.pipe(Q(we()),'
                 'g(o=>!!o.searchParams.get("h")))]).pipe(')
HIGHLIGHT_NEW = ('function Ai(e,{index$:t,location$:r}){return r.pipe(Q(we()),'
                 'g(o=>!!o.searchParams.get("h")),b(o=>t.pipe(m(n=>[n,o])))).pipe(')
PATCHES = {
    WORKER: ((SEGMENT_OLD, SEGMENT_NEW % json.dumps(FILLERS, ensure_ascii=False)), (CALL_OLD, CALL_NEW)),
    BUNDLE: ((SETUP_OLD, SETUP_NEW), (HIGHLIGHT_OLD, HIGHLIGHT_NEW)),
}


class StalePatch(Exception):
    """A file of the installed Material is not the one its patch was written for."""


def patched(name: str, source: str) -> str:
    """The source of Material's file `name` (a key of PATCHES) with its patch applied; StalePatch
    if the patch does not fit."""
    for old, new in PATCHES[name]:
        if source.count(old) != 1:
            raise StalePatch(
                f"Material 的 {name} 里找不到要替换的代码 {old[:40]}… — Material 升级了："
                "按 macros/search_build.py 开头的说明重新核对补丁，或在上游修好后删掉它")
        source = source.replace(old, new)
    return source


def original(name: str) -> Path:
    """The installed Material's file `name`; StalePatch if no such file (Material was upgraded)."""
    path = JAVASCRIPTS / name
    if not path.is_file():
        found = ", ".join(p.name for p in path.parent.glob(path.name.split(".")[0] + ".*.min.js")) or "无"
        raise StalePatch(f"Material 没有 {name}（现在是 {found}） — Material 升级了："
                         "按 macros/search_build.py 开头的说明重新核对补丁，或在上游修好后删掉它")
    return path


def remember_cuts() -> None:
    """Make jieba.cut (which Material calls on every run of Han characters of every section)
    return remembered results for text it has cut before in this process; idempotent."""
    if hasattr(jieba.cut, "cache_info"):
        return
    cut = jieba.cut

    @lru_cache(maxsize=1 << 18)
    def remembered(sentence, cut_all=False, HMM=True, use_paddle=False):  # noqa: N803 (jieba's names)
        """jieba.cut's words for a text, computed once."""
        return tuple(cut(sentence, cut_all, HMM, use_paddle))

    jieba.cut = remembered


if __name__ == "<run_path>":  # run by mkdocs-gen-files during a build
    remember_cuts()
    import mkdocs_gen_files

    for name in PATCHES:
        try:
            text = patched(name, original(name).read_text("utf-8"))
        except StalePatch as err:
            raise SystemExit(str(err)) from None  # gen-files reports it and the build stops
        with mkdocs_gen_files.open(f"assets/javascripts/{name}", "w") as out:
            out.write(text)
