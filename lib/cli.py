"""Command line: ``python -m lib build|render|export``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lib.errors import MinzhengError

ROOT = Path(__file__).resolve().parent.parent


def cmd_build(args) -> int:
    from lib.build import build_corpus, summary, write_clean

    result = build_corpus(Path(args.raw), progress=not args.quiet)
    write_clean(result, Path(args.clean))
    print(summary(result))
    print(f"clean tables written to {args.clean}/ (schema: {args.clean}/SCHEMA.md)")
    return 1 if result.errors else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lib", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="parse every report of the raw folder into clean tables")
    b.add_argument("--raw", default="data/raw", help="raw folder (default: data/raw)")
    b.add_argument("--clean", default="data/clean", help="clean folder (default: data/clean)")
    b.add_argument("--quiet", action="store_true", help="no per-report progress lines")
    b.set_defaults(func=cmd_build)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except MinzhengError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
