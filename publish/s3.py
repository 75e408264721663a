"""`make deploy-s3`: upload the built site to an S3-compatible bucket (Aliyun OSS, Tencent COS,
Huawei OBS, MinIO, AWS S3), configured only by environment variables:

  S3_ENDPOINT, S3_BUCKET, S3_PREFIX (optional), AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
  AWS_DEFAULT_REGION

Only changed files are uploaded (their MD5 against the object's ETag); objects under the prefix
that the site no longer has are deleted after the upload. Credentials and the bucket are checked
before anything is built or changed."""

import hashlib
import mimetypes
import os
import re
from pathlib import Path

from macros import search_build

from . import ROOT, PublishError, build, say

REQUIRED = ("S3_ENDPOINT", "S3_BUCKET", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")
# Material's assets carry a content hash in their names (main.57a0d79d.min.css): a new release
# gets a new name, so browsers and CDNs may keep them for a year. Everything else (HTML, the search
# index, our own unhashed scripts) may change under the same name: five minutes. So may the bundle
# and search worker the build patches (macros/search_build.py): they keep Material's names, but a
# change to a patch changes them.
FINGERPRINTED = re.compile(r"\.[0-9a-f]{8}\.min\.(?:js|css)$")
PATCHED = tuple(f"assets/javascripts/{name}" for name in search_build.PATCHES)
LONG_CACHE = "public, max-age=31536000, immutable"
SHORT_CACHE = "public, max-age=300"
TYPES = {".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".json": "application/json",
         ".map": "application/json", ".xml": "application/xml", ".txt": "text/plain",
         ".svg": "image/svg+xml", ".gz": "application/gzip", ".woff2": "font/woff2"}
TEXT_TYPES = ("text/", "application/json", "application/xml", "image/svg+xml")
DENIED = {"403", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken"}


def cache_control(key: str) -> str:
    """Cache-Control for a site file: a year for fingerprinted assets we did not patch, five
    minutes for the rest."""
    return LONG_CACHE if FINGERPRINTED.search(key) and not key.endswith(PATCHED) else SHORT_CACHE


def content_type(key: str) -> str:
    """Content-Type for a site file, with charset=utf-8 for HTML, JSON and other text."""
    suffix = Path(key).suffix.lower()
    kind = TYPES.get(suffix) or mimetypes.guess_type(key)[0] or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith(TEXT_TYPES) else kind


def settings(env=os.environ) -> dict:
    """The bucket settings from the environment; a Chinese error naming every missing variable."""
    missing = [name for name in REQUIRED if not env.get(name, "").strip()]
    if missing:
        raise PublishError(f"缺少环境变量 {'、'.join(missing)}，没有做任何改动 — 设置后重试"
                           "（各变量的含义见 docs/publishing.md）。")
    return {"endpoint": env["S3_ENDPOINT"].strip(), "bucket": env["S3_BUCKET"].strip(),
            "prefix": env.get("S3_PREFIX", "").strip().strip("/")}


def client(config: dict):
    """A boto3 S3 client for the endpoint; keys and region come from boto3's own variables."""
    import boto3
    from botocore.config import Config

    # Checksums only when required: several S3-compatible services reject the CRC headers that
    # boto3 sends by default.
    options = Config(request_checksum_calculation="when_required",
                     response_checksum_validation="when_required", retries={"max_attempts": 3})
    try:
        return boto3.client("s3", endpoint_url=config["endpoint"], config=options)
    except ValueError as problem:
        raise PublishError(f"S3_ENDPOINT「{config['endpoint']}」不是有效地址：{problem}") from None


def explain(problem: Exception, config: dict) -> PublishError:
    """A Chinese explanation of a failed request to the bucket."""
    from botocore.exceptions import ClientError, EndpointConnectionError

    bucket = config["bucket"]
    if isinstance(problem, EndpointConnectionError):
        return PublishError(f"连不上 S3_ENDPOINT（{config['endpoint']}）— 检查地址和网络后重试。")
    code = problem.response.get("Error", {}).get("Code", "") if isinstance(problem, ClientError) else ""
    if code in DENIED:
        return PublishError(f"访问被拒绝（{code}）：AWS_ACCESS_KEY_ID 或 AWS_SECRET_ACCESS_KEY 不对，"
                            f"或这对密钥没有存储桶 {bucket} 的读写权限 — 核对密钥和授权后重试。")
    if code in {"404", "NoSuchBucket"}:
        return PublishError(f"存储桶 {bucket} 不存在 — 先在控制台创建它，或改正 S3_BUCKET。")
    return PublishError(f"对象存储返回错误：{problem}")


def key_of(prefix: str, relative: str) -> str:
    """The object key of a site file under the prefix."""
    return f"{prefix}/{relative}" if prefix else relative


def remote_files(s3, config: dict) -> dict[str, str]:
    """{relative path: MD5 from the ETag} of every object under the prefix."""
    prefix = f"{config['prefix']}/" if config["prefix"] else ""
    found = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=config["bucket"], Prefix=prefix):
        for item in page.get("Contents", []):
            found[item["Key"][len(prefix):]] = item["ETag"].strip('"').lower()
    return found


def local_files(site: Path) -> dict[str, Path]:
    """{relative path: file} of the built site."""
    if not (site / "index.html").is_file():
        raise PublishError(f"{site} 里没有 index.html — 先运行 make build，或用 --site 指向构建好的站点。")
    return {path.relative_to(site).as_posix(): path for path in sorted(site.rglob("*")) if path.is_file()}


def sync(s3, config: dict, site: Path, remote: dict[str, str]) -> dict[str, int]:
    """Upload new and changed files, then delete vanished ones; the three counts."""
    local = local_files(site)
    changed = {rel: path for rel, path in local.items()
               if remote.get(rel) != hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()}
    for rel, path in changed.items():
        say(f"上传 {rel}")
        s3.put_object(Bucket=config["bucket"], Key=key_of(config["prefix"], rel), Body=path.read_bytes(),
                      ContentType=content_type(rel), CacheControl=cache_control(rel))
    vanished = sorted(set(remote) - set(local))
    for start in range(0, len(vanished), 1000):
        batch = vanished[start:start + 1000]
        for rel in batch:
            say(f"删除 {rel}")
        objects = [{"Key": key_of(config["prefix"], rel)} for rel in batch]
        errors = s3.delete_objects(Bucket=config["bucket"], Delete={"Objects": objects}).get("Errors")
        if errors:
            first = f"{errors[0].get('Key')}：{errors[0].get('Message')}"
            raise PublishError(f"有 {len(errors)} 个旧文件删除失败，例如 {first}")
    return {"uploaded": len(changed), "unchanged": len(local) - len(changed), "deleted": len(vanished)}


def deploy(site: Path | None = None, root: Path = ROOT) -> dict[str, int]:
    """Check the bucket, build site/ unless `site` is given, sync it; the counts."""
    from botocore.exceptions import BotoCoreError, ClientError

    config = settings()
    s3 = client(config)
    where = f"{config['bucket']}/{config['prefix']}" if config["prefix"] else config["bucket"]
    say(f"检查存储桶 {where}（{config['endpoint']}）…")
    try:
        s3.head_bucket(Bucket=config["bucket"])
        remote = remote_files(s3, config)
        if site is None:
            site = root / "site"
            build(site, {}, root)
        counts = sync(s3, config, site, remote)
    except (BotoCoreError, ClientError) as problem:
        raise explain(problem, config) from None
    say(f"完成：上传 {counts['uploaded']} 个，未变 {counts['unchanged']} 个，删除 {counts['deleted']} 个。")
    return counts
