"""Build-time glue for Material's search, run on every build by mkdocs-gen-files (listed under
`gen-files: scripts` in mkdocs.yml). No MkDocs internals are involved. It does two things:

1. Patches Material's search worker: the patched copy replaces the theme's file of the same name
   in the built site; only the installed Material is read.
2. Remembers jieba's cuts by text for the life of the process, so a `mkdocs serve` rebuild
   re-segments only the text that changed (cutting every page again was about a sixth of the CPU
   time of a rebuild on the bench machine).

Why a patch: Material 9.8.1 splits a Chinese query by matching it against the index's own words,
and that step (`segment` in src/…/search/query/segment/index.ts) has defects no release fixes
(Material 9 is in maintenance until its end of life; nothing upstream addresses them):
  A. the last character never ends a matched word, so 带货 is searched as 带*;
  B. when the first character is no word of the index, the whole query stays one term;
  C. Chinese glued to Latin stays one term (社群KPI), and every segment gets a doubled wildcard.
The patch replaces that one function and the line that calls it. Why that is acceptable: it is
two string replacements applied to the pinned, installed Material at build time (no copy of the
theme is kept here), so its reach is visible in this file; it is tied to one exact worker file,
so if a Material upgrade changes it the build stops with a message saying so and
tests/test_search.py fails, and the patch is re-derived or dropped, never silently stale; and it
leaves with Material (Zensical, its successor, has its own search) or with an upstream fix.

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

WORKERS = Path(material.__file__).parent / "templates/assets/javascripts/workers"
WORKER = "search.a7633da7.min.js"  # Material 9.8.1; the patch below is for this file only
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
PATCHES = ((SEGMENT_OLD, SEGMENT_NEW % json.dumps(FILLERS, ensure_ascii=False)), (CALL_OLD, CALL_NEW))


class StalePatch(Exception):
    """Material's worker is not the one the patch was written for."""


def patched(source: str) -> str:
    """The worker's source with the query-splitting patch applied; StalePatch if it does not fit."""
    for old, new in PATCHES:
        if source.count(old) != 1:
            raise StalePatch(
                f"Material 的搜索 worker（{WORKER}）里找不到要替换的代码 {old[:40]}… — Material 升级了："
                "按 macros/search_build.py 开头的说明重新核对补丁，或在上游修好后删掉它")
        source = source.replace(old, new)
    return source


def worker() -> Path:
    """The installed Material's search worker; StalePatch if its name is not the expected one."""
    path = WORKERS / WORKER
    if not path.is_file():
        found = ", ".join(p.name for p in WORKERS.glob("search.*.min.js")) or "无"
        raise StalePatch(f"Material 的搜索 worker 不是 {WORKER}（现在是 {found}） — Material 升级了："
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

    try:
        text = patched(worker().read_text("utf-8"))
    except StalePatch as err:
        raise SystemExit(str(err)) from None  # gen-files reports it and the build stops
    with mkdocs_gen_files.open(f"assets/javascripts/workers/{WORKER}", "w") as out:
        out.write(text)
