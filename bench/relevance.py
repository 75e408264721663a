"""The search relevance set: realistic queries and the pages a good search shows for them in its
first three results, run through the real search box of a built site in Chromium. Used by
tests/test_search.py (fails below 90 % top-3) and by `make bench` (top-1 and top-3 rates)."""

from dataclasses import dataclass
from pathlib import Path

import yaml

QUERIES = Path(__file__).with_name("search_queries.yml")
PLACEHOLDER = "键入以开始搜索"
INITIALIZING = "正在初始化搜索引擎"


@dataclass(frozen=True)
class Outcome:
    """One query: what it was, what had to show, and the pages that showed, best first."""

    query: str
    kind: str
    expect: tuple[str, ...]
    found: tuple[str, ...]

    @property
    def top1(self) -> bool:
        """An expected page is the first result."""
        return bool(self.found) and self.found[0] in self.expect

    @property
    def top3(self) -> bool:
        """An expected page is among the first three results."""
        return any(page in self.expect for page in self.found[:3])


def queries() -> list[dict]:
    """The query set: [{query, kind, expect: [page paths such as playbooks/acquisition/]}]."""
    return yaml.safe_load(QUERIES.read_text("utf-8"))["queries"]


def open_search(page, url: str) -> None:
    """Load the home page and focus the search box."""
    page.goto(url)
    page.locator("input.md-search__input").click()


def results(page, query: str) -> list[str]:
    """Type `query` into the search box; the result pages, best first (paths relative to the site)."""
    box = page.locator("input.md-search__input")
    box.fill("")
    box.press("End")  # Material reads the box on key-up
    page.wait_for_function(f"document.querySelector('.md-search-result__meta').textContent.trim()"
                           f" === {PLACEHOLDER!r}")
    box.fill(query)  # what an input method commits: the text arrives at once, no key per character
    box.press("End")
    page.wait_for_function(f"!['{PLACEHOLDER}', '{INITIALIZING}'].includes(document.querySelector("
                           "'.md-search-result__meta').textContent.trim())")
    hrefs = page.eval_on_selector_all(
        ".md-search-result__item > a", "links => links.map(a => a.getAttribute('href'))")
    paths = page.evaluate("hrefs => hrefs.map(h => new URL(h, document.baseURI).pathname)", hrefs)
    return list(dict.fromkeys(path.lstrip("/") for path in paths))


def run(page, url: str) -> list[Outcome]:
    """Every query of the set through the search box of the site at `url`."""
    open_search(page, url)
    return [Outcome(q["query"], q["kind"], tuple(q["expect"]), tuple(results(page, q["query"])))
            for q in queries()]


def rates(outcomes: list[Outcome]) -> dict:
    """Top-1 and top-3 rates, overall and by kind of query, and the misses."""
    def share(items, key):
        return round(sum(getattr(o, key) for o in items) / len(items), 3) if items else None

    kinds = sorted({o.kind for o in outcomes})
    return {"queries": len(outcomes), "top1": share(outcomes, "top1"), "top3": share(outcomes, "top3"),
            "by_kind": {k: {"queries": sum(o.kind == k for o in outcomes),
                            "top3": share([o for o in outcomes if o.kind == k], "top3")} for k in kinds},
            "misses": [{"query": o.query, "expect": list(o.expect), "found": list(o.found[:3])}
                       for o in outcomes if not o.top3]}
