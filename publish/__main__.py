"""Command line for publishing, one subcommand per task:

  python -m publish offline [--out DIR]   dist/<slug>-offline.zip: the site, readable from file://
  python -m publish pdf [--out DIR]       dist/<slug>.pdf: the whole handbook, printed by Chromium
  python -m publish s3 [--site DIR]       upload the site to object storage (S3_* and AWS_* variables)
"""

import argparse
import sys
from pathlib import Path

from . import DIST, PublishError
from .offline import offline
from .pdf import pdf
from .s3 import deploy


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run one subcommand; 1 with a Chinese message on a problem."""
    parser = argparse.ArgumentParser(prog="python -m publish",
                                     description="发布手册：离线包、PDF，或上传到对象存储。")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("offline", "生成离线包"), ("pdf", "把手册打印成 PDF")):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--out", type=Path, default=DIST, help="输出目录（默认 dist/）")
    s3 = commands.add_parser("s3", help="把站点上传到兼容 S3 的存储桶")
    s3.add_argument("--site", type=Path, help="上传这个已经构建好的站点目录，不再先构建 site/")
    args = parser.parse_args(argv)
    try:
        if args.command == "offline":
            offline(args.out)
        elif args.command == "pdf":
            pdf(args.out)
        else:
            deploy(args.site)
    except PublishError as problem:
        print(f"失败：{problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
