"""Evaluate Pagefind (extended build, which segments Chinese) against our Material search on the
same query set and the same sites. Not part of `make bench` and not a dependency: run it by hand
after `python -m bench --search` built the sites, with Pagefind installed in a separate venv:

  python3 -m venv /tmp/pf && /tmp/pf/bin/pip install pagefind==1.5.2 pagefind-bin-extended==1.5.2
  .venv/bin/python -m bench.pagefind_eval /tmp/pf/bin/python

Each built site is copied; every page's search keywords (Material's tags, from its index) are
added to the article as a hidden block with a high Pagefind weight, so both engines get the same
words; Pagefind indexes the article only. It is also tried from file://, as the offline zip is
read. Results go to bench/results/pagefind.json."""

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from markupsafe import escape
from playwright.sync_api import sync_playwright

from bench import relevance, search
from bench.__main__ import CHROME_FLAGS, CHROMIUM, RESULTS, WORK, Server

SEARCH_JS = """async (query) => {
  const pagefind = await import(new URL('pagefind/pagefind.js', document.baseURI).href);
  await pagefind.init();
  const found = await pagefind.search(query);
  const top = await Promise.all(found.results.slice(0, 5).map(r => r.data()));
  return top.map(d => new URL(d.url, document.baseURI).pathname);
}"""


def prepare(site: Path, dest: Path) -> Path:
    """A copy of a built site with each page's keywords in its article, for Pagefind."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(site, dest)
    index = json.loads((site / "search/search_index.json").read_text("utf-8"))
    for doc in index["docs"]:
        if "#" in doc["location"] or not doc.get("tags"):
            continue
        page = dest / doc["location"] / "index.html"
        html = page.read_text("utf-8")
        words = " ".join(str(escape(tag)) for tag in doc["tags"])
        html = html.replace("</article>", f'<div hidden data-pagefind-weight="10">{words}</div></article>', 1)
        page.write_text(html, "utf-8")
    return dest


def index(python: str, site: Path) -> float:
    """Run Pagefind's extended binary over the site; its wall seconds."""
    start = time.perf_counter()
    subprocess.run([python, "-m", "pagefind_bin_extended", "--site", str(site), "--root-selector",
                    "article", "--quiet"], check=True)
    return time.perf_counter() - start


def measure(browser, url: str, query: str, runs: int = 3) -> dict:
    """Median ms from the first call to the first results, and KB fetched from pagefind/ for it."""
    return search.cold_search(browser, url, lambda page: page.evaluate(SEARCH_JS, query),
                              lambda address: "/pagefind/" in address, runs)


def from_file(browser, site: Path, query: str) -> str:
    """Whether Pagefind answers on a page opened from file:// (the offline zip's case): "ok", or
    the browser's error."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto((site / "index.html").resolve().as_uri())
    try:
        return "ok" if page.evaluate(SEARCH_JS, query) else "no results"
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
            server = Server(copy)
            try:
                result["sizes"][name] = {"index_s": round(seconds, 1), "bundle_kb": bundle_kb(copy),
                                         **measure(browser, server.url, search.TIMING_QUERY)}
                if name == "real":
                    page = browser.new_context(locale="zh-CN").new_page()
                    page.goto(server.url)
                    outcomes = [relevance.Outcome(q["query"], q["kind"], tuple(q["expect"]),
                                                  tuple(dict.fromkeys(p.lstrip("/") for p in
                                                                      page.evaluate(SEARCH_JS, q["query"]))))
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
