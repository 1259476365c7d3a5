"""minzheng-compare: civil-affairs reports → clean tables → notebooks, figures and exports.

Typical run: build (data/raw → data/clean), then render (reports/, figures/), then export (exports/).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lib.errors import MinzhengError

ROOT = Path(__file__).resolve().parent.parent


def cmd_build(args) -> int:
    from lib.build import build_corpus, summary, write_clean

    result = build_corpus(Path(args.raw), progress=not args.quiet, jobs=args.jobs)
    write_clean(result, Path(args.clean))
    print(summary(result))
    print(f"clean tables written to {args.clean}/ (schema: {args.clean}/SCHEMA.md)")
    return 1 if result.errors else 0


def cmd_render(args) -> int:
    from lib.render import render

    overview = True if args.overview else None
    status, _ = render(clean_dir=args.clean, figures_dir=args.figures, reports_dir=args.reports,
                       notebooks_dir=args.notebooks, themes=args.theme, cities=args.city, overview=overview,
                       jobs=args.jobs, force=args.force, dry_run=args.dry_run, kernel_name=args.kernel)
    return status


def cmd_export(args) -> int:
    from lib.export import export

    for path in export(clean_dir=args.clean, figures_dir=args.figures, out_dir=args.out):
        print(f"wrote {path}")
    return 0


def cmd_html(args) -> int:
    import nbformat

    from lib.pages import write_html

    src = Path(args.notebook)
    if not src.is_file():
        raise MinzhengError(f"{src}: executed notebook not found")
    out = Path(args.out) if args.out else src.with_suffix(".html")
    write_html(nbformat.read(src, as_version=4), out, args.title or src.stem)
    print(f"wrote {out}")
    return 0


def cmd_kernel(args) -> int:
    from lib.render import install_kernel

    path = install_kernel(args.name, args.display_name, user=args.user)
    print(f"installed kernelspec {args.name!r} running {sys.executable} in {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lib", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="parse every report of the raw folder into clean tables")
    b.add_argument("--raw", default="data/raw", help="raw folder (default: data/raw)")
    b.add_argument("--clean", default="data/clean", help="clean folder (default: data/clean)")
    b.add_argument("--quiet", action="store_true", help="no per-report progress lines")
    b.add_argument("--jobs", "-j", type=int, default=None,
                   help="processes for a large corpus (default: one per CPU; corpora under 16 files use one)")
    b.set_defaults(func=cmd_build)

    r = sub.add_parser("render", help="run the notebooks (overview, every theme, every city) into reports/*.html",
                       description="Run notebooks/*.py (jupytext) with papermill and export HTML without code. "
                                   "No filter: overview + every theme present in the corpus + every city. "
                                   "With --theme/--city: only those (add --overview for the overview).")
    r.add_argument("--theme", action="append", help="render this theme (repeatable)")
    r.add_argument("--city", action="append", help="render this city's profile (repeatable)")
    r.add_argument("--overview", action="store_true", help="with --theme/--city: also render the overview")
    r.add_argument("--jobs", "-j", type=int, default=None, help="notebooks run in parallel (default: CPU count)")
    r.add_argument("--force", action="store_true", help="re-run notebooks whose inputs have not changed")
    r.add_argument("--dry-run", action="store_true", help="print the equivalent jupytext/papermill/nbconvert commands")
    r.add_argument("--kernel", default="python3", help="Jupyter kernel (default: python3, this environment's ipykernel)")
    r.add_argument("--clean", default="data/clean", help="clean folder (default: data/clean)")
    r.add_argument("--figures", default="figures", help="figure folder (default: figures)")
    r.add_argument("--reports", default="reports", help="output folder (default: reports)")
    r.add_argument("--notebooks", default="notebooks", help="notebook sources (default: notebooks)")
    r.set_defaults(func=cmd_render)

    e = sub.add_parser("export", help="write exports/minzheng.xlsx and exports/minzheng.pptx")
    e.add_argument("--clean", default="data/clean", help="clean folder (default: data/clean)")
    e.add_argument("--figures", default="figures", help="figure folder whose PNGs become slides (default: figures)")
    e.add_argument("--out", default="exports", help="output folder (default: exports)")
    e.set_defaults(func=cmd_export)

    h = sub.add_parser("html", help="write the offline HTML page (no code, contents, link to index.html) of an executed notebook")
    h.add_argument("notebook", help="an executed .ipynb (e.g. reports/theme_social_assistance.ipynb)")
    h.add_argument("--out", help="HTML file (default: beside the notebook)")
    h.add_argument("--title", help="page title (default: the file name)")
    h.set_defaults(func=cmd_html)

    k = sub.add_parser("kernel", help="install a Jupyter kernelspec for this environment (for JupyterLab)")
    k.add_argument("--name", default="minzheng", help="kernel name (default: minzheng)")
    k.add_argument("--display-name", default="Python (minzheng-compare)")
    k.add_argument("--user", action="store_true", help="install for the user instead of into this environment (--sys-prefix)")
    k.set_defaults(func=cmd_kernel)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except MinzhengError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
