"""`make bench`: scale, macro overhead, page weight and Lighthouse, measured in one run and
reported as ratios and medians in bench/results/latest.json and latest.md. Never a timed test."""

import datetime
import gzip
import io
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from jinja2 import Environment, StrictUndefined

from bench import reload, search
from bench.synth import ROOT, copy_project, generate
from macros import MACROS, bind, identity
from macros.loader import load
from macros.pages import split_front_matter, stand_in_page

WORK = ROOT / "bench/work"
RESULTS = ROOT / "bench/results"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
                "--disable-background-networking --disable-component-update --disable-sync")
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
TARGETS = {"scale_ratio": 10, "load_1000_s": 1.0, "overhead_ratio": 1.15, "own_gzip_kb": 12,
           "outside_requests": 0, "performance": 95, "accessibility": 100, "best-practices": 95,
           "search_top3": 0.9, "search_fetched_1000_kb": search.BUDGET_KB, "reload_s": 1.0}


def progress(message: str) -> None:
    """Say what the bench is doing: some steps take minutes."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def timed(command: list[str], project: Path, env: dict) -> tuple[float, float]:
    """Wall and CPU seconds (the command and every process it waited for) of one build."""
    start, cpu = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, check=False)
    if result.returncode:
        raise SystemExit(f"build of {project} failed:\n{result.stdout[-1500:]}{result.stderr[-3000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (time.perf_counter() - start,
            after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime)


def build(project: Path, out: Path, site_url: str = "http://127.0.0.1/") -> tuple[float, float]:
    """Wall and CPU seconds of one strict MkDocs build."""
    return timed([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)],
                 project, dict(ENV, SITE_URL=site_url))


def build_zensical(project: Path, site_url: str = "http://127.0.0.1/") -> tuple[float, float]:
    """Wall and CPU seconds of one strict Zensical build from scratch (its cache cleared) into
    project/site-zensical, as `make build-zensical` runs it."""
    return timed([sys.executable, "-m", "zensical", "build", "--strict", "--clean"],
                 project, dict(ENV, SITE_URL=site_url, SITE_DIR="site-zensical"))


def load_seconds(project: Path, runs: int = 5) -> float:
    """Median seconds to load and validate a project's data."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        loaded = load(project)
        times.append(time.perf_counter() - start)
        assert not loaded.problems, loaded.problems[:3]
    return statistics.median(times)


def scale() -> dict:
    """Build and load times for 100 and 1,000 synthetic playbooks, and their ratio."""
    result = {}
    for n, runs in ((100, 3), (1000, 3)):
        project = generate(WORK / f"synth-{n}", n)
        progress(f"scale: loading {n} playbooks ({n * 3} data files)")
        result[f"load_{n}_s"] = round(load_seconds(project), 3)
        times = []
        for run in range(runs):
            progress(f"scale: build {run + 1}/{runs} with {n} playbooks")
            times.append(build(project, WORK / f"synth-{n}-site")[0])
        result[f"build_{n}_s"] = round(statistics.median(times), 2)
    result["scale_ratio"] = round(result["build_1000_s"] / result["build_100_s"], 2)
    return result


def with_identity(config: str, handbook: dict) -> str:
    """mkdocs.yml's text with what define_env sets from handbook.yml (plain Material runs no
    macros plugin to do it): the name, description, footer and edit and view link prefixes."""
    settings = {"site_url": "set by the build", "extra": {}}
    identity.apply(settings, handbook)
    config = re.sub(r"^site_name: .*$", "site_name: " + json.dumps(settings["site_name"], ensure_ascii=False),
                    config, count=1, flags=re.MULTILINE)
    config = config.replace("\nextra:\n", "\nextra:\n  source_links: "
                            + json.dumps(settings["extra"]["source_links"]) + "\n", 1)
    return config + "".join(f"{key}: {json.dumps(settings[key], ensure_ascii=False)}\n"
                            for key in ("site_description", "copyright"))


def prerendered(dest: Path) -> Path:
    """Variant B: every macro call replaced by its output, built by plain Material (no macros),
    so A/B isolates what the macros cost."""
    project = copy_project(dest)
    loaded = load(project)
    env = Environment(variable_start_string="[[", variable_end_string="]]",
                      block_start_string="[%", block_end_string="%]",
                      comment_start_string="[##", comment_end_string="##]", undefined=StrictUndefined)
    env.globals.update({name: bind(function, loaded) for name, function in MACROS.items()})
    pages = [p for p in (project / "docs").rglob("*.md") if "playbooks" not in p.parts]
    pages += sorted((project / "playbooks").glob("*.md"))
    for page in pages:
        text = page.read_text("utf-8")
        meta = yaml.safe_load(split_front_matter(text)[0] or "")
        source = page.relative_to(project).as_posix().removeprefix("docs/")  # docs-relative
        page.write_text(env.from_string(text).render(**(meta or {}), page=stand_in_page(source)), "utf-8")
    config = (project / "mkdocs.yml").read_text("utf-8")
    config = re.sub(r"\n  - macros:\n(?:      .*\n)+", "\n", config)
    (project / "mkdocs.yml").write_text(with_identity(config, loaded.identity), "utf-8")
    return project


def overhead(rounds: int = 8) -> dict:
    """Median ratio of the real build (A) to the same site pre-rendered on plain Material (B), in
    CPU seconds, which a busy machine disturbs far less than wall time; rounds alternate AB and BA."""
    variants = {"a": copy_project(WORK / "site-a"), "b": prerendered(WORK / "site-b")}
    times = {"a": [], "b": []}
    for round_ in range(rounds):
        progress(f"overhead: A/B round {round_ + 1}/{rounds}")
        for name in ("ab" if round_ % 2 == 0 else "ba"):
            times[name].append(build(variants[name], WORK / f"site-{name}-out")[1])
    ratios = [a / b for a, b in zip(times["a"], times["b"], strict=True)]
    return {"build_a_cpu_s": round(statistics.median(times["a"]), 2),
            "build_b_cpu_s": round(statistics.median(times["b"]), 2),
            "overhead_ratio": round(statistics.median(ratios), 3)}


def side_by_side(rounds: int = 3) -> dict:
    """MkDocs and Zensical build times of the real site and of the synthetic 100 and 1,000 playbook
    sites, the two builders alternating within each round; each ratio (Zensical / MkDocs) is the
    median of the per-round ratios, so both times of a ratio come from the same moment."""
    sites = {"real": copy_project(WORK / "both-real")}
    sites.update({str(n): generate(WORK / f"both-{n}", n) for n in (100, 1000)})
    result = {}
    for name, project in sites.items():
        times = {"mkdocs": [], "zensical": []}
        for round_ in range(rounds):
            progress(f"MkDocs and Zensical: {name} site, round {round_ + 1}/{rounds}")
            for builder in (("mkdocs", "zensical") if round_ % 2 == 0 else ("zensical", "mkdocs")):
                times[builder].append(build(project, WORK / f"both-{name}-out")[0] if builder == "mkdocs"
                                      else build_zensical(project)[0])
        result[name] = {"rounds": rounds, "mkdocs_s": round(statistics.median(times["mkdocs"]), 2),
                        "zensical_s": round(statistics.median(times["zensical"]), 2),
                        "ratio": round(statistics.median(z / m for z, m in zip(
                            times["zensical"], times["mkdocs"], strict=True)), 2)}
    return result


class GzipHandler(SimpleHTTPRequestHandler):
    """Serves files gzip-compressed when asked, as GitHub Pages does, so Lighthouse measures the
    transfer sizes readers really get."""

    COMPRESSED = (".html", ".css", ".js", ".json", ".xml", ".svg")

    def send_head(self):
        """Compress text files for clients that accept gzip; everything else as usual."""
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants and path.suffix in self.COMPRESSED and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *args):
        """Stay quiet."""


class Server:
    """The built site on 127.0.0.1 for the browser measurements."""

    def __init__(self, root: Path):
        handler = partial(GzipHandler, directory=str(root))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        """Stop serving."""
        self.httpd.shutdown()
        self.httpd.server_close()


def page_weight(site: Path, server: Server) -> dict:
    """Our own JS and CSS (raw and gzip), checklist vs plain page HTML, outside requests."""
    own = sorted((ROOT / "docs/assets").rglob("*.js")) + sorted((ROOT / "docs/assets").rglob("*.css"))
    raw = sum(len(p.read_bytes()) for p in own)
    packed = sum(len(gzip.compress(p.read_bytes(), 9)) for p in own)
    checklist_page = (site / "onboarding/index.html").read_bytes()
    plain_page = (site / "glossary/index.html").read_bytes()
    from playwright.sync_api import sync_playwright

    outside = []
    pages = sorted(site.rglob("index.html"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROME_FLAGS.split()[1:])
        page = browser.new_page()
        page.on("request", lambda request: outside.append(request.url)
                if urlsplit(request.url).hostname not in ("127.0.0.1", None) else None)
        for html in pages:
            relative = html.parent.relative_to(site).as_posix()
            page.goto(server.url + ("" if relative == "." else relative + "/"))
            page.wait_for_load_state("networkidle")
        browser.close()
    return {"own_files": [p.relative_to(ROOT).as_posix() for p in own],
            "own_raw_kb": round(raw / 1024, 1), "own_gzip_kb": round(packed / 1024, 1),
            "checklist_page_kb": round(len(checklist_page) / 1024, 1),
            "plain_page_kb": round(len(plain_page) / 1024, 1),
            "checklist_vs_plain": round(len(checklist_page) / len(plain_page), 2),
            "pages_visited": len(pages), "outside_requests": len(outside),
            "outside_examples": sorted(set(outside))[:5]}


def lighthouse_binary() -> Path | str:
    """The Lighthouse command, installed from bench/package-lock.json when missing, or why there is
    none (checked before the long measurements, so a missing tool costs no time)."""
    binary = ROOT / "bench/node_modules/.bin/lighthouse"
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing; install Debian's chromium (see .ci/run)"
    if binary.exists():
        return binary
    npm = shutil.which("npm")
    if not npm:
        return "npm is not installed; Lighthouse needs Node.js"
    progress("lighthouse: npm ci (bench/package-lock.json)")
    done = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=ROOT / "bench",
                          capture_output=True, text=True)
    if done.returncode:
        errors = [line for line in done.stderr.splitlines() if "npm error" in line]
        return "npm ci failed: " + " ".join(errors[:4])
    return binary


def lighthouse(server: Server, binary: Path, runs_per_page: int = 3) -> dict:
    """Median Lighthouse scores (npm lighthouse on Debian's chromium) for three pages; Lighthouse
    itself advises several runs, as its simulated throttling scales the machine's noise."""
    scores = {}
    for name, path in (("home", ""), ("playbook", "playbooks/structure/"),
                       ("checklist", "onboarding/")):
        runs = []
        for run in range(runs_per_page):
            progress(f"lighthouse: {name} {run + 1}/{runs_per_page}")
            report = WORK / f"lighthouse-{name}-{run}.json"
            done = subprocess.run([str(binary), server.url + path, "--quiet", "--output=json",
                                   f"--output-path={report}", f"--chrome-flags={CHROME_FLAGS}",
                                   "--only-categories=performance,accessibility,best-practices,seo"],
                                  env=dict(os.environ, CHROME_PATH=CHROMIUM), capture_output=True,
                                  text=True)
            if done.returncode:
                return {"skipped": f"lighthouse failed on {name}: {done.stderr.strip()[-300:]}"}
            categories = json.loads(report.read_text("utf-8"))["categories"]
            runs.append({key: value["score"] * 100 for key, value in categories.items()})
        scores[name] = {key: round(statistics.median(run[key] for run in runs)) for key in runs[0]}
    return scores


def search_index(real: Path) -> dict:
    """搜索索引: relevance on the real site; index size and time to the first result at the real
    size and at 100 and 1,000 synthetic playbooks (built by `scale`, or here when missing)."""
    from playwright.sync_api import sync_playwright

    sites = {"real": real}
    for n in (100, 1000):
        sites[str(n)] = WORK / f"synth-{n}-site"
        if not (sites[str(n)] / "search/search_index.json").exists():
            progress(f"search: building the site with {n} playbooks")
            build(generate(WORK / f"synth-{n}", n), sites[str(n)])
    result = {"sizes": {}}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROME_FLAGS.split()[1:])
        for name, site in sites.items():
            server = Server(site)
            try:
                progress(f"search: index size and first result ({name})")
                result["sizes"][name] = search.index_size(site) | search.first_result(browser, server.url)
                if name == "real":
                    progress("search: the relevance query set")
                    result["relevance"] = search.quality(browser, server.url)
            finally:
                server.close()
        progress("search: edit-to-reload in mkdocs serve")
        result["reload"] = reload.measure(browser, WORK)
        browser.close()
    return result


def machine() -> dict:
    """Facts about the machine the numbers come from."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    return {"date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(memory / 1024 / 1024, 1),
            "python": platform.python_version(), "platform": platform.platform()}


def verdicts(results: dict) -> dict:
    """Whether each target held."""
    held = {
        "scale_ratio": results["scale"]["scale_ratio"] <= TARGETS["scale_ratio"],
        "load_1000_s": results["scale"]["load_1000_s"] < TARGETS["load_1000_s"],
        "overhead_ratio": results["overhead"]["overhead_ratio"] <= TARGETS["overhead_ratio"],
        "own_gzip_kb": results["weight"]["own_gzip_kb"] <= TARGETS["own_gzip_kb"],
        "outside_requests": results["weight"]["outside_requests"] == 0,
    }
    if "search" in results:
        held["search_top3"] = results["search"]["relevance"]["top3"] >= TARGETS["search_top3"]
        held["search_fetched_1000_kb"] = (results["search"]["sizes"]["1000"]["search_fetched_kb"]
                                          <= TARGETS["search_fetched_1000_kb"])
        for edit in ("playbook", "data"):
            held[f"{edit}_reload_s"] = results["search"]["reload"][f"{edit}_reload_s"] <= TARGETS["reload_s"]
    for page, scores in results["lighthouse"].items():
        if isinstance(scores, dict):
            for key in ("performance", "accessibility", "best-practices"):
                held[f"{page}.{key}"] = scores[key] >= TARGETS[key]
        else:
            held["lighthouse"] = False
    return held


def markdown(results: dict) -> str:
    """The short table the README links to."""
    s, o, w, m = results["scale"], results["overhead"], results["weight"], results["machine"]
    rows = [
        ("构建时间（100 篇）", f"{s['build_100_s']} s", "中位数"),
        ("构建时间（1000 篇）", f"{s['build_1000_s']} s", "中位数"),
        ("规模比 t(1000)/t(100)", s["scale_ratio"], f"≤ {TARGETS['scale_ratio']}"),
        ("数据加载与校验（100 篇）", f"{s['load_100_s']} s", "中位数"),
        ("数据加载与校验（1000 篇）", f"{s['load_1000_s']} s", f"< {TARGETS['load_1000_s']} s"),
        ("宏开销 A/B（CPU 时间比的中位数）", o["overhead_ratio"], f"≤ {TARGETS['overhead_ratio']}"),
        ("自有 JS + CSS", f"{w['own_raw_kb']} KB，gzip {w['own_gzip_kb']} KB",
         f"gzip ≤ {TARGETS['own_gzip_kb']} KB"),
        ("清单页 / 普通页 HTML", f"{w['checklist_page_kb']} KB / {w['plain_page_kb']} KB",
         f"{w['checklist_vs_plain']} 倍"),
        ("外部请求", w["outside_requests"], "0"),
    ]
    labels = {"real": "本站", "100": "100 篇", "1000": "1000 篇"}
    for name, both in results.get("zensical", {}).items():  # results from before the comparison lack it
        label = labels[name]
        rows.append((f"MkDocs / Zensical 构建（{label}）",
                     f"{both['mkdocs_s']} s / {both['zensical_s']} s",
                     f"Zensical 用时是 MkDocs 的 {both['ratio']} 倍（{both['rounds']} 轮，两者交替）"))
    for page, scores in results["lighthouse"].items():
        if isinstance(scores, dict):
            rows.append((f"Lighthouse {page}", " / ".join(str(scores[k]) for k in
                        ("performance", "accessibility", "best-practices", "seo")),
                         "性能 ≥ 95，无障碍 100，最佳实践 ≥ 95"))
        else:
            rows.append(("Lighthouse", scores, ""))
    lines = ["# 基准测试结果", "",
             f"机器：{m['cpu']}，{m['cores']} 核，{m['memory_gb']} GB 内存，Python {m['python']}，"
             f"{m['date']}。同一次运行内测得，时间取中位数；小机器噪声大，请看比值。", "",
             "| 项目 | 结果 | 目标 |", "| --- | --- | --- |"]
    lines += [f"| {name} | {value} | {target} |" for name, value, target in rows]
    if "zensical_machine" in results:
        lines += ["", f"MkDocs 与 Zensical 的对比由 `python -m bench --zensical` 另行测得："
                      f"{results['zensical_machine']['date']}。"]
    if "search" in results:
        lines += search_markdown(results["search"])
    missed = [name for name, ok in results["verdicts"].items() if not ok]
    lines += ["", "未达标：" + ("、".join(missed) if missed else "无") + "。"]
    if results.get("notes"):
        lines += ["", *results["notes"]]
    return "\n".join(lines) + "\n"


def search_markdown(found: dict) -> list[str]:
    """The 搜索索引 section: relevance, then size and speed by handbook size."""
    quality = found["relevance"]
    kinds = "，".join(f"{kind} {round(v['top3'] * 100)}%（{v['queries']} 条）"
                     for kind, v in quality["by_kind"].items())
    lines = ["", "## 搜索索引", "",
             f"查询集 {quality['queries']} 条（bench/search_queries.yml），在真实搜索框里输入："
             f"第 1 条命中 {round(quality['top1'] * 100)}%，前 3 条命中 {round(quality['top3'] * 100)}%"
             f"（目标 ≥ {round(TARGETS['search_top3'] * 100)}%）。按类型的前 3 命中：{kinds}。", "",
             "| 规模 | 索引原始大小 | 索引 gzip | 首个结果前搜索下载（gzip） | 下载 ÷ 预算 "
             "| 聚焦搜索框到首个结果 | 时间 ÷ 本手册 |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    names = {"real": "本手册（7 章）", "100": "100 篇合成章节", "1000": "1000 篇合成章节"}
    base_ms = found["sizes"]["real"]["first_result_ms"]
    for name, size in found["sizes"].items():
        lines.append(f"| {names[name]} | {size['raw_kb']} KB | {size['gzip_kb']} KB | "
                     f"{size['search_fetched_kb']} KB | "
                     f"{size['search_fetched_kb'] / TARGETS['search_fetched_1000_kb']:.2f} | "
                     f"{size['first_result_ms']} ms | {size['first_result_ms'] / base_ms:.1f} |")
    reloaded = found["reload"]
    lines += ["", f"预算：1000 篇时首个结果前的搜索下载 ≤ {TARGETS['search_fetched_1000_kb']} KB（gzip）。",
              "", f"`make serve` 从保存到页面刷新（中位数，目标 ≤ {TARGETS['reload_s']} s）："
              f"改章节 {reloaded['playbook_reload_s']} s，改数据 {reloaded['data_reload_s']} s。"]
    if quality["misses"]:
        lines += ["", "未进前 3 的查询：" + "；".join(
            f"{m['query']}（应有 {'、'.join(m['expect'])}，实得 {'、'.join(m['found']) or '无'}）"
            for m in quality["misses"])]
    return lines


NOTES = RESULTS / "notes.md"  # hand-written explanations for targets this stack cannot meet


def write(results: dict) -> None:
    """Save the JSON results and the Markdown table, with the hand-written notes if any."""
    results["verdicts"] = verdicts(results)
    results["notes"] = [NOTES.read_text("utf-8").strip()] if NOTES.exists() else []
    (RESULTS / "latest.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n",
                                         "utf-8")
    (RESULTS / "latest.md").write_text(markdown(results), "utf-8")
    print(markdown(results))


def main() -> int:
    """Run every measurement once and write the results (`--report`: only rewrite the table
    from latest.json and notes.md; `--zensical`: measure only MkDocs and Zensical side by side and
    keep the other results of latest.json; `--zensical N`: N rounds instead of 3; `--search`: only
    the 搜索索引 section, likewise)."""
    if "--report" in sys.argv[1:]:
        write(json.loads((RESULTS / "latest.json").read_text("utf-8")))
        return 0
    if "--zensical" in sys.argv[1:]:
        WORK.mkdir(parents=True, exist_ok=True)
        results = json.loads((RESULTS / "latest.json").read_text("utf-8"))
        given = sys.argv[sys.argv.index("--zensical") + 1:]
        results["zensical"] = side_by_side(int(given[0]) if given else 3)
        results["zensical_machine"] = machine()
        write(results)
        return 0
    if "--search" in sys.argv[1:]:  # only the 搜索索引 section, into the latest results
        WORK.mkdir(parents=True, exist_ok=True)
        results = json.loads((RESULTS / "latest.json").read_text("utf-8"))
        results["targets"] = TARGETS
        build(ROOT, WORK / "site-real")
        results["search"] = search_index(WORK / "site-real")
        write(results)
        return 0
    WORK.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    results = {"machine": machine(), "targets": TARGETS}
    binary = lighthouse_binary()
    results["scale"] = scale()
    results["overhead"] = overhead()
    results["zensical"] = side_by_side()
    progress("page weight and outside requests")
    server = Server(WORK / "site-real")
    try:
        build(ROOT, WORK / "site-real", server.url)
        results["weight"] = page_weight(WORK / "site-real", server)
        results["lighthouse"] = (lighthouse(server, binary) if isinstance(binary, Path)
                                 else {"skipped": binary})
    finally:
        server.close()
    results["search"] = search_index(WORK / "site-real")
    write(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
