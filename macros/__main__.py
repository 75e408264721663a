"""Command line for the handbook: `python -m macros check [--root DIR]`."""

import argparse
import sys
from pathlib import Path

from .loader import load
from .problems import report


def check(root: Path) -> int:
    """Validate data/ and playbook front matter; print every problem; 1 if there are any."""
    project = load(root)
    if project.problems:
        print(report(project.problems), file=sys.stderr)
        return 1
    counts = ", ".join(f"{len(items)} {kind}" for kind, items in project.records.items())
    print(f"All data is valid: {counts}.")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run one subcommand."""
    parser = argparse.ArgumentParser(prog="python -m macros", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check_parser = commands.add_parser("check", help="validate data/ and playbook front matter")
    check_parser.add_argument("--root", type=Path, default=Path.cwd(), help="project directory")
    args = parser.parse_args(argv)
    return check(args.root)


if __name__ == "__main__":
    sys.exit(main())
