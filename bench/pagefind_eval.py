"""Evaluate Pagefind (extended build, which segments Chinese) against our Material search on the
same query set and the same sites. Not part of `make bench` and not a dependency: run it by hand
after `python -m bench --search` built the sites, with Pagefind installed in a separate venv:

  python3 -m venv /tmp/pf && /tmp/pf/bin/pip install pagefind==1.5.2 pagefind-bin-extended==1.5.2
  .venv/bin/python -m bench.pagefind_eval /tmp/pf/bin/python

Each built site is copied; every page's search keywords (Material's tags, from its index) are
added to the article as a hidden block with a high Pagefind weight, so both engines get the same
words; Pagefind indexes the article only. It is also tried from file://, as the offline zip is
read. Results go to bench/results/pagefind.json.

Queries go through bench/pagefind_search.js, which ports what our Material patch does
(macros/search_build.py) as far as Pagefind allows, so the comparison is between the two engines and
not between a tuned and an untuned one: the same filler words are dropped; a run of three or more
characters one character off a title, heading or keyword of the site is corrected to it (the word
list, pagefind/handbook-search.json, is fetched with the index and counted in its bytes); the pages
each word finds alone are added when Pagefind, which requires every word, finds fewer than five;
page boosts from front matter scale the scores; and page length counts less than Pagefind's default
(ranking.pageLength 0.3; of 0, 0.3, 0.5 and the default 0.75 it did best on the query set)."""

import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from markupsafe import escape
from playwright.sync_api import sync_playwright

from bench import relevance, search
from bench.__main__ import CHROME_FLAGS, CHROMIUM, RESULTS, WORK, Server
from macros.search_build import FILLERS

SEARCH_JS = Path(__file__).with_name("pagefind_search.js").read_text("utf-8")
HAN_RUN = re.compile(r"[\u4e00-\u9fff]{3,8}")


def prepare(site: Path, dest: Path) -> Path:
    """A copy of a built site with each page's keywords in its article, for Pagefind."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(site, dest)
    for doc in material_index(site)["docs"]:
        if "#" in doc["location"] or not doc.get("tags"):
            continue
        page = dest / doc["location"] / "index.html"
        html = page.read_text("utf-8")
        words = " ".join(str(escape(tag)) for tag in doc["tags"])
        html = html.replace("</article>", f'<div hidden data-pagefind-weight="10">{words}</div></article>', 1)
        page.write_text(html, "utf-8")
    return dest


def material_index(site: Path) -> dict:
    """The Material search index of a built site."""
    return json.loads((site / "search/search_index.json").read_text("utf-8"))


def extras(site: Path, dest: Path) -> None:
    """Write pagefind/handbook-search.json: the words typos are corrected to (Han runs of 3 to 8
    characters in titles, headings and keywords) and the page boosts, from Material's index."""
    docs = material_index(site)["docs"]
    words = {run for doc in docs for text in (doc["title"], *doc.get("tags", ()))
             for run in HAN_RUN.findall(text.replace("\u200b", ""))}
    boosts = {doc["location"]: doc["boost"] for doc in docs if "boost" in doc and "#" not in doc["location"]}
    (dest / "pagefind/handbook-search.json").write_text(
        json.dumps({"words": sorted(words), "boosts": boosts}, ensure_ascii=False), "utf-8")


def index(python: str, site: Path) -> float:
    """Run Pagefind's extended binary over the site; its wall seconds."""
    start = time.perf_counter()
    subprocess.run([python, "-m", "pagefind_bin_extended", "--site", str(site), "--root-selector",
                    "article", "--quiet"], check=True)
    return time.perf_counter() - start


def measure(browser, url: str, query: str, runs: int = 3) -> dict:
    """Median ms from the first call to the first results, and KB fetched from pagefind/ for it."""
    return search.cold_search(browser, url, lambda page: page.evaluate(SEARCH_JS, [query, FILLERS]),
                              lambda address: "/pagefind/" in address, runs)


def from_file(browser, site: Path, query: str) -> str:
    """Whether Pagefind answers on a page opened from file:// (the offline zip's case): "ok", or
    the browser's error."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto((site / "index.html").resolve().as_uri())
    try:
        return "ok" if page.evaluate(SEARCH_JS, [query, FILLERS]) else "no results"
    except Exception as err:  # noqa: BLE001 (the browser's refusal is the finding)
        return str(err).splitlines()[0][:200]
    finally:
        context.close()


def bundle_kb(site: Path) -> float:
    """The whole Pagefind bundle on disk, in KB (already compressed: Pagefind gzips its chunks)."""
    return round(sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file()) / 1024, 1)


def main() -> int:
    """Index each site with Pagefind and measure relevance, bytes and time."""
    python = sys.argv[1]
    sites = {"real": WORK / "site-real", "100": WORK / "synth-100-site", "1000": WORK / "synth-1000-site"}
    result = {"sizes": {}}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROME_FLAGS.split()[1:])
        for name, site in sites.items():
            copy = prepare(site, WORK / f"pagefind-{name}")
            seconds = index(python, copy)
            extras(site, copy)
            server = Server(copy)
            try:
                result["sizes"][name] = {"index_s": round(seconds, 1), "bundle_kb": bundle_kb(copy),
                                         **measure(browser, server.url, search.TIMING_QUERY)}
                if name == "real":
                    page = browser.new_context(locale="zh-CN").new_page()
                    page.goto(server.url)
                    outcomes = [relevance.Outcome(q["query"], q["kind"], tuple(q["expect"]),
                                                  tuple(page.evaluate(SEARCH_JS, [q["query"], FILLERS])))
                                for q in relevance.queries()]
                    result["relevance"] = relevance.rates(outcomes)
                    result["from_file"] = from_file(browser, copy, search.TIMING_QUERY)
            finally:
                server.close()
        browser.close()
    (RESULTS / "pagefind.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n",
                                          "utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
