"""`make bench`, 搜索索引: relevance of the query set, index size (raw and gzip) at the real size
and at 100 and 1,000 synthetic playbooks, bytes fetched and time from focusing the search box to
the first result, all in Chromium against the built sites."""

import gzip
import statistics
import time
from pathlib import Path

from bench import relevance

TIMING_QUERY = "清单"  # in the real handbook and in every synthetic playbook
BUDGET_KB = 300  # gzip fetched before the first result, at 1,000 playbooks


def index_size(site: Path) -> dict:
    """The search index in KB, raw and gzip (level 6, as the bench server sends it)."""
    raw = (site / "search/search_index.json").read_bytes()
    return {"raw_kb": round(len(raw) / 1024, 1), "gzip_kb": round(len(gzip.compress(raw, 6)) / 1024, 1)}


def cold_search(browser, url: str, search, counted, runs: int = 3) -> dict:
    """Median ms that `search(page)` takes to show results on a fresh browser context each run (so
    nothing is cached), and the median KB transferred (gzip) from the URLs `counted` accepts."""
    times, fetched = [], []
    for _ in range(runs):
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        sizes = {}
        page.on("requestfinished", lambda request, sizes=sizes: sizes.__setitem__(
            request.url, request.sizes()["responseBodySize"]))
        page.goto(url, wait_until="domcontentloaded")
        start = time.perf_counter()
        search(page)
        times.append((time.perf_counter() - start) * 1000)
        fetched.append(sum(size for address, size in sizes.items() if counted(address)) / 1024)
        context.close()
    return {"first_result_ms": round(statistics.median(times)),
            "search_fetched_kb": round(statistics.median(fetched), 1)}


def type_query(page) -> None:
    """Focus Material's search box as soon as the page has parsed, type, wait for a result."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(TIMING_QUERY)
    box.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=120_000)


def first_result(browser, url: str, runs: int = 3) -> dict:
    """Material's search: time to the first result and KB of index and worker fetched for it."""
    return cold_search(browser, url, type_query,
                       lambda address: "/search/" in address or "/workers/" in address, runs)


def quality(browser, url: str) -> dict:
    """Top-1 and top-3 rates of the query set through the real search box."""
    context = browser.new_context(locale="zh-CN")
    outcomes = relevance.run(context.new_page(), url)
    context.close()
    return relevance.rates(outcomes)
