"""Publishing beyond GitHub Pages: the offline zip opened from file://, the PDF read back with
poppler, object storage against a real S3-compatible server (moto in server mode) and the
intranet nginx config served by Debian's nginx. The zip and the PDF are each made once."""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import boto3
import pytest
from test_site import external_loads

from bench import relevance
from bench.reload import free_port
from conftest import ROOT
from macros import search_build
from macros.loader import load
from publish import site_name, slug
from publish.s3 import LONG_CACHE, SHORT_CACHE, cache_control

ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


def run_publish(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m publish …` from the project root, capturing text output."""
    return subprocess.run([sys.executable, "-m", "publish", *args], cwd=ROOT, capture_output=True,
                          text=True, env=env or ENV, timeout=900, check=False)


def nav_titles() -> list[str]:
    """The titles of the handbook's chapters, in chapter (and nav) order."""
    chapters = sorted(load(ROOT).items("playbooks").values(), key=lambda meta: meta["chapter"])
    return [meta["title"] for meta in chapters]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    """Return once something accepts connections on `port`; fail if the process died first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"server exited with {process.returncode}"
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    pytest.fail(f"nothing listens on 127.0.0.1:{port} after {seconds} s")


# ---------- offline zip, opened from file:// ----------

@pytest.fixture(scope="session")
def offline_dir(tmp_path_factory) -> Path:
    """`python -m publish offline` run once; the unzipped handbook folder."""
    out = tmp_path_factory.mktemp("offline")
    result = run_publish("offline", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    archive = out / f"{slug()}-offline.zip"
    assert "离线包已生成" in result.stdout
    with zipfile.ZipFile(archive) as bundle:
        bundle.extractall(out / "unzipped")
    return out / "unzipped" / f"{slug()}-offline"


def test_offline_zip_has_html_links_and_an_inline_search_index(offline_dir):
    """Pages link to .html files, the index is a script (of UTF-8 text, as hooks/search_index.py
    wrote it before the offline plugin inlined it), and nothing is loaded from another host."""
    script = (offline_dir / "search/search_index.js").read_text("utf-8")
    assert script.startswith("var __index = ") and "社群" in script
    home = (offline_dir / "index.html").read_text("utf-8")
    assert 'href="playbooks/positioning.html"' in home
    assert "assets/javascripts/vendor/iframe-worker-shim.js" in home
    for page in offline_dir.rglob("*.html"):
        assert external_loads(page.read_text("utf-8")) == [], page


def file_url(path: Path) -> str:
    """A file:// URL for a local file."""
    return path.resolve().as_uri()


def test_offline_navigation_and_chinese_search_from_file(page, offline_dir):
    """From file://, a nav link opens its page and a Chinese query finds results."""
    page.goto(file_url(offline_dir / "index.html"))
    page.locator(".md-tabs a", has_text="手册").first.click()
    page.wait_for_url("**/playbooks/index.html")
    page.locator(".md-nav a", has_text="激活与留存").first.click()
    page.wait_for_url("**/playbooks/activation-retention.html")
    assert page.locator("h1").first.inner_text().rstrip("¶") == "激活与留存"
    page.locator(".md-search__input").click()
    page.locator(".md-search-result__meta", has_text="键入以开始搜索").wait_for()  # index loaded
    page.keyboard.type("留存")  # Playwright inserts CJK text without key events; an IME ends with
    page.keyboard.press("End")  # a key release, which is what Material's search listens to
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=20000)
    assert results.count() > 0
    assert "留存" in page.locator(".md-search-result").inner_text()
    assert page.errors == []


@pytest.mark.parametrize(("query", "expected"), [
    ("咋搞裂变", "playbooks/acquisition.html"),  # an unknown first character (worker patch, B)
    ("KOC招募", "playbooks/activation-retention.html"),  # Latin glued to Chinese (worker patch, C)
    ("诱导分想", "playbooks/risk-compliance.html"),  # one wrong character (worker patch, typos)
    ("潜水党", "playbooks/activation-retention.html"),  # a search keyword (front-matter tags)
])
def test_offline_search_uses_the_patched_worker_and_keywords(page, offline_dir, query, expected):
    """From file://, search runs the patched query splitting and knows the keywords: each query
    shows its page in the first three results."""
    worker = offline_dir / "assets/javascripts" / search_build.WORKER
    assert "handbook patch" in worker.read_text("utf-8")
    relevance.open_search(page, file_url(offline_dir / "index.html"))
    found = relevance.results(page, query)
    assert any(path.endswith(expected) for path in found[:3]), found
    assert page.errors == []


def test_offline_checklist_ticks_survive_a_reload(page, offline_dir):
    """A tick made on a file:// page is still there after reloading it."""
    page.goto(file_url(offline_dir / "onboarding.html"))
    checklist = page.locator(".hb-checklist").first
    checklist.locator(".hb-checklist__toolbar").wait_for(state="visible")
    checklist.locator(".hb-checklist__item input[type=checkbox]").first.check()
    page.reload()
    checklist.locator(".hb-checklist__toolbar").wait_for(state="visible")
    assert checklist.locator(".hb-checklist__item input[type=checkbox]").first.is_checked()
    assert checklist.locator("[data-role=progress]").inner_text().startswith("已完成 1/")
    assert page.errors == []


def test_offline_template_filler_copies_text(context, page, offline_dir):
    """From file://, the template filler fills in its fields and copies the plain text (every
    field is filled: with a blank left, the first click only warns)."""
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(file_url(offline_dir / "library/templates.html") + "#template-welcome_message")
    card = page.locator("#template-welcome_message")
    card.locator("[data-role=tools]").wait_for(state="visible")
    fields = card.locator("[data-var]")
    for i in range(fields.count()):
        field = fields.nth(i)
        field.fill("周末徒步搭子" if field.get_attribute("data-var") == "社群名称" else "小王")
    card.locator("[data-action=copy]").click()
    card.locator("[data-role=status]", has_text="已复制").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "周末徒步搭子" in copied and copied == card.locator("[data-role=preview]").inner_text()
    assert page.errors == []


# ---------- PDF ----------

@pytest.fixture(scope="session")
def pdf_file(tmp_path_factory) -> tuple[Path, str]:
    """`python -m publish pdf` run once; the PDF and what the command printed."""
    out = tmp_path_factory.mktemp("pdf")
    result = run_publish("pdf", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out / f"{slug()}.pdf", result.stdout


def pdf_text(path: Path, *pages: int) -> str:
    """The PDF's text from pdftotext (all pages, or the first and last given)."""
    assert shutil.which("pdftotext"), "install poppler-utils (see .ci/run)"
    span = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    return subprocess.run(["pdftotext", *span, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_pdf_shows_progress_and_has_cover_and_contents(pdf_file):
    """The command reports each stage; page 1 is the cover, page 2 the table of contents."""
    path, output = pdf_file
    for stage in ("构建站点", "打开打印视图", "打印为 PDF", "PDF 已生成"):
        assert stage in output
    cover = pdf_text(path, 1)
    assert site_name() in cover and "版本" in cover and "生成日期" in cover
    assert re.search(r"生成日期\s+\d{4}-\d{2}-\d{2}", cover)
    contents = pdf_text(path, 2)
    assert contents.lstrip().startswith("目录")
    assert all(title in contents for title in nav_titles())


def test_pdf_has_every_chapter_on_its_own_page_in_nav_order(pdf_file):
    """Each chapter title heads a page of its own, in the order of the navigation."""
    path, _ = pdf_file
    pages = pdf_text(path).split("\f")
    starts = [n for title in nav_titles() for n, text in enumerate(pages)
              if text.strip().splitlines()[:1] == [title]]
    assert len(starts) == len(nav_titles())
    assert starts == sorted(starts)


def test_pdf_holds_a_known_sop_step_and_a_known_template_body(pdf_file):
    """Text from the data (an SOP step, a message template's body) is in the PDF as text."""
    path, _ = pdf_file
    project = load(ROOT)
    text = re.sub(r"\s+", "", pdf_text(path))
    step = project.get("sops", "new_member_welcome")["steps"][0]["action"]
    assert re.sub(r"\s+", "", step) in text
    body = project.get("templates", "welcome_message")["body"].strip().splitlines()[0]
    assert re.sub(r"\s+", "", body) in text
    # the toolbars' labels side by side; prose may name one button, as the checklists page does
    toolbars = ("复制文本下载.txt", "导出全部记录导入记录")
    assert not any(labels in text for labels in toolbars), "buttons must not be printed"


def test_pdf_embeds_a_cjk_font(pdf_file):
    """pdffonts lists an embedded CJK font (a TrueType one, so it keeps its name)."""
    path, _ = pdf_file
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines()
           if re.search(r"WenQuanYi|CJK|PingFang|YaHei|SourceHan", line)]
    assert cjk, fonts
    assert all(line.split()[-5] == "yes" for line in cjk), "every CJK font must be embedded"


def test_print_styles_fit_the_raci_matrix_and_hide_controls(page, server, site):
    """Printed on A4 (794 px wide), the RACI matrix fits the page width without scrolling, and
    template tools are not printed while the template text is."""
    page.set_viewport_size({"width": 794, "height": 1123})
    page.goto(server.url + "library/roles/")
    page.emulate_media(media="print")
    matrix = page.locator("#raci-matrix table")
    assert matrix.evaluate("t => t.getBoundingClientRect().right <= document.documentElement.clientWidth")
    assert matrix.evaluate("t => getComputedStyle(t.parentElement).overflowX") == "visible"
    page.goto(server.url + "library/templates/")
    page.emulate_media(media="print")
    card = page.locator("#template-welcome_message")
    assert card.locator("[data-role=tools]").is_hidden()
    assert card.locator("[data-role=preview]").evaluate("el => getComputedStyle(el).whiteSpace") == "pre-wrap"


# ---------- object storage: a real S3-compatible server on 127.0.0.1 ----------

@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server in its own process, checking signatures against its IAM users; one user
    may do anything with S3. Yields the endpoint and that user's keys."""
    port = free_port()
    env = dict(os.environ, INITIAL_NO_AUTH_ACTION_COUNT="3")  # the three IAM calls below
    process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, process)
        endpoint = f"http://127.0.0.1:{port}"
        iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                           aws_access_key_id="setup", aws_secret_access_key="setup")
        iam.create_user(UserName="deployer")
        iam.put_user_policy(UserName="deployer", PolicyName="s3", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
        key = iam.create_access_key(UserName="deployer")["AccessKey"]
        yield {"S3_ENDPOINT": endpoint, "AWS_ACCESS_KEY_ID": key["AccessKeyId"],
               "AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"], "AWS_DEFAULT_REGION": "us-east-1"}
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def bucket(s3_server, request):
    """A new, empty bucket for one test; yields (client, bucket name, the deploy variables)."""
    name = re.sub(r"[^a-z0-9-]", "-", request.node.name.lower())[:50].strip("-")
    client = boto3.client("s3", endpoint_url=s3_server["S3_ENDPOINT"],
                          region_name=s3_server["AWS_DEFAULT_REGION"],
                          aws_access_key_id=s3_server["AWS_ACCESS_KEY_ID"],
                          aws_secret_access_key=s3_server["AWS_SECRET_ACCESS_KEY"])
    client.create_bucket(Bucket=name)
    variables = dict(s3_server, S3_BUCKET=name)
    return client, name, variables


def deploy(site: Path, variables: dict) -> subprocess.CompletedProcess:
    """`python -m publish s3 --site …` with exactly these deploy variables (no others from outside)."""
    env = {k: v for k, v in ENV.items() if not k.startswith(("AWS_", "S3_"))}
    return run_publish("s3", "--site", str(site), env=dict(env, **variables))


def objects(client, name: str) -> dict[str, str]:
    """{key: ETag} of every object in the bucket."""
    listing = client.list_objects_v2(Bucket=name).get("Contents", [])
    return {item["Key"]: item["ETag"] for item in listing}


def summary(result: subprocess.CompletedProcess) -> tuple[int, int, int]:
    """(uploaded, unchanged, deleted) from the command's last line."""
    found = re.search(r"上传 (\d+) 个，未变 (\d+) 个，删除 (\d+) 个", result.stdout)
    assert found, result.stdout + result.stderr
    return tuple(int(n) for n in found.groups())


def test_deploy_sets_types_and_caching_and_syncs_only_changes(site, bucket, tmp_path):
    """First run uploads all with the right headers; a rerun uploads nothing; edits upload only
    the changed files, then delete the vanished ones, and leave keys outside the prefix alone."""
    client, name, variables = bucket
    local = tmp_path / "site"
    shutil.copytree(site, local)
    count = sum(1 for path in local.rglob("*") if path.is_file())
    variables = dict(variables, S3_PREFIX="/handbook/")
    client.put_object(Bucket=name, Key="other/keep.txt", Body=b"not ours")

    first = deploy(local, variables)
    assert first.returncode == 0, first.stderr
    assert summary(first) == (count, 0, 0)
    page = client.head_object(Bucket=name, Key="handbook/index.html")
    assert page["ContentType"] == "text/html; charset=utf-8" and page["CacheControl"] == SHORT_CACHE
    index = client.head_object(Bucket=name, Key="handbook/search/search_index.json")
    assert index["ContentType"] == "application/json; charset=utf-8" and index["CacheControl"] == SHORT_CACHE
    stylesheet = next(local.glob("assets/stylesheets/main.*.min.css")).relative_to(local).as_posix()
    sheet = client.head_object(Bucket=name, Key=f"handbook/{stylesheet}")
    assert sheet["CacheControl"] == LONG_CACHE and sheet["ContentType"] == "text/css; charset=utf-8"
    script = client.head_object(Bucket=name, Key=f"handbook/assets/javascripts/{search_build.BUNDLE}")
    assert script["CacheControl"] == SHORT_CACHE and script["ContentType"] == "text/javascript; charset=utf-8"
    body = client.get_object(Bucket=name, Key="handbook/glossary/index.html")["Body"].read()
    assert body == (local / "glossary/index.html").read_bytes()

    assert summary(deploy(local, variables)) == (0, count, 0)

    (local / "glossary/index.html").write_text("<p>新版术语表</p>", "utf-8")
    (local / "new.txt").write_text("新文件", "utf-8")
    (local / "stale/index.html").unlink()
    third = deploy(local, variables)
    assert summary(third) == (2, count - 2, 1)
    lines = third.stdout.splitlines()
    assert max(i for i, line in enumerate(lines) if "上传 " in line and "个" not in line) < \
        min(i for i, line in enumerate(lines) if "删除 stale/index.html" in line)
    keys = objects(client, name)
    assert "handbook/stale/index.html" not in keys and "handbook/new.txt" in keys
    assert "other/keep.txt" in keys
    text = client.head_object(Bucket=name, Key="handbook/new.txt")["ContentType"]
    assert text == "text/plain; charset=utf-8"


@pytest.mark.parametrize("missing", ["AWS_SECRET_ACCESS_KEY", "S3_ENDPOINT", "AWS_DEFAULT_REGION"])
def test_missing_settings_give_a_chinese_error_and_change_nothing(site, bucket, missing):
    """Without one of the variables the command names it in Chinese and uploads nothing."""
    client, name, variables = bucket
    result = deploy(site, {k: v for k, v in variables.items() if k != missing})
    assert result.returncode == 1
    assert f"缺少环境变量 {missing}" in result.stderr and "没有做任何改动" in result.stderr
    assert "Traceback" not in result.stderr
    assert objects(client, name) == {}


@pytest.mark.parametrize("wrong", [{"AWS_SECRET_ACCESS_KEY": "wrong-secret"},
                                   {"AWS_ACCESS_KEY_ID": "AKIAWRONGWRONGWRONG"}])
def test_wrong_credentials_give_a_chinese_error_and_change_nothing(site, bucket, wrong):
    """A bad key or secret is refused by the server; the command says so and the bucket is as it was."""
    client, name, variables = bucket
    client.put_object(Bucket=name, Key="index.html", Body=b"old")
    before = objects(client, name)
    result = deploy(site, dict(variables, **wrong))
    assert result.returncode == 1
    assert "访问被拒绝" in result.stderr and "AWS_SECRET_ACCESS_KEY" in result.stderr
    assert "Traceback" not in result.stderr
    assert objects(client, name) == before


def test_unknown_bucket_is_named_in_the_error(site, bucket):
    """A bucket that does not exist is reported as such."""
    _, _, variables = bucket
    result = deploy(site, dict(variables, S3_BUCKET="no-such-bucket-here"))
    assert result.returncode == 1
    assert "存储桶 no-such-bucket-here 不存在" in result.stderr


# ---------- intranet: Debian's nginx with the shipped server block ----------

NGINX_MAIN = """user root;
daemon off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{}}
http {{
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  client_body_temp_path {work}/body;
  proxy_temp_path {work}/proxy;
  fastcgi_temp_path {work}/fastcgi;
  uwsgi_temp_path {work}/uwsgi;
  scgi_temp_path {work}/scgi;
  include {work}/handbook.conf;
}}
"""


@pytest.fixture
def nginx(site, tmp_path):
    """Debian's nginx serving the built site with publish/nginx.conf on a loopback port."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(binary).exists(), "install Debian's nginx (see .ci/run)"
    port = free_port()
    block = (ROOT / "publish/nginx.conf").read_text("utf-8")
    block = block.replace("listen 80;", f"listen 127.0.0.1:{port};")
    block = block.replace("root /srv/handbook/site;", f"root {site};")
    (tmp_path / "handbook.conf").write_text(block, "utf-8")
    (tmp_path / "nginx.conf").write_text(NGINX_MAIN.format(work=tmp_path), "utf-8")
    with open(tmp_path / "stderr.log", "wb") as stderr:
        process = subprocess.Popen([binary, "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
                                   stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def fetch(url: str) -> tuple[int, dict, bytes]:
    """GET with gzip accepted: status, headers (lower-case names) and the raw body."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def test_nginx_serves_pages_index_and_missing_pages_as_configured(nginx, site):
    """Pages and the search index are gzipped UTF-8 with short caching, hashed assets cache for a
    year except the two the build patches, and a missing page gets the site's own 404 page."""
    import gzip

    status, headers, body = fetch(nginx + "/playbooks/positioning/")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert headers["content-encoding"] == "gzip" and headers["cache-control"] == SHORT_CACHE
    assert gzip.decompress(body) == (site / "playbooks/positioning/index.html").read_bytes()

    status, headers, body = fetch(nginx + "/search/search_index.json")
    assert status == 200 and headers["content-type"] == "application/json; charset=utf-8"
    assert headers["cache-control"] == cache_control("search/search_index.json") == SHORT_CACHE
    assert "\u200b" in json.loads(gzip.decompress(body))["docs"][1]["text"]

    stylesheet = next(site.glob("assets/stylesheets/main.*.min.css")).relative_to(site).as_posix()
    status, headers, _ = fetch(f"{nginx}/{stylesheet}")
    assert status == 200 and headers["cache-control"] == cache_control(stylesheet) == LONG_CACHE

    for name in search_build.PATCHES:  # patched under Material's hashed names: short, like pages
        status, headers, _ = fetch(f"{nginx}/assets/javascripts/{name}")
        assert status == 200
        assert headers["cache-control"] == cache_control(f"handbook/assets/javascripts/{name}") == SHORT_CACHE

    status, headers, body = fetch(nginx + "/no/such/page/")
    assert status == 404 and headers["content-type"] == "text/html; charset=utf-8"
    assert gzip.decompress(body) == (site / "404.html").read_bytes()


# ---------- workflows: the optional S3 job on GitHub, and GitLab CI ----------

def yaml_file(path: str) -> dict:
    """A CI file, read with YAML 1.2 rules (so `on:` stays a key)."""
    from macros.yamlsource import parse

    return parse((ROOT / path).read_bytes(), path).data


def test_s3_workflow_runs_only_when_configured_and_pins_actions():
    """The object-storage deploy runs on version tags only when its variables are set, reads the
    keys from secrets, and pins every action by commit."""
    workflow = yaml_file(".github/workflows/deploy-s3.yml")
    assert workflow["permissions"] == {"contents": "read"}
    job = workflow["jobs"]["deploy-s3"]
    assert "vars.S3_BUCKET" in job["if"]
    env = job["env"]
    assert set(env) >= {"S3_ENDPOINT", "S3_BUCKET", "S3_PREFIX", "AWS_ACCESS_KEY_ID",
                        "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION", "SITE_URL"}
    assert env["AWS_SECRET_ACCESS_KEY"] == "${{ secrets.S3_SECRET_ACCESS_KEY }}"
    assert env["AWS_ACCESS_KEY_ID"] == "${{ secrets.S3_ACCESS_KEY_ID }}"
    runs = " ".join(step.get("run", "") for step in job["steps"])
    assert "make deploy-s3" in runs and "make check" in runs
    for step in job["steps"]:
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), step["uses"]


def test_gitlab_ci_checks_merge_requests_and_publishes_pages_from_the_default_branch():
    """Merge requests run the CI script, the version check and a build without secrets; GitLab
    Pages publishes `public/` from the default branch only."""
    ci = yaml_file(".gitlab-ci.yml")
    assert re.fullmatch(r"debian:bookworm@sha256:[0-9a-f]{64}", ci["default"]["image"])
    check = ci["check"]
    assert check["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    script = " ".join(check["script"])
    assert "bash .ci/run" in script and "make build" in script
    assert script.index("make check") < script.index("make build") < script.index("bash .ci/run")
    assert 'make check BASE="origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"' in script
    assert "site/" in check["artifacts"]["paths"]
    text = (ROOT / ".gitlab-ci.yml").read_text("utf-8")
    assert "secrets" not in check and "git push" not in text
    pages = ci["pages"]
    assert pages["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert pages["artifacts"]["paths"] == ["public"]
    script = " ".join(pages["script"])
    assert "bash .ci/run" in script and "make build" in script and "public" in script
    assert pages["variables"]["SITE_URL"] == "$CI_PAGES_URL/"
