"""minzheng-compare: civil-affairs reports → clean tables → notebooks, figures and exports.

Typical run: build (data/raw → data/clean), then render (reports/, figures/), then export (exports/).
Relative paths are taken from the current folder. Exit status: 0 ok, 1 some input was bad,
2 usage (arguments, folders), 3 internal error, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import traceback
from pathlib import Path

from lib.errors import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK, EXIT_TERMINATED, MinzhengError
from lib.outputs import FOLDERS

ROOT = Path(__file__).resolve().parent.parent


def _abs(path: str) -> Path:
    """One rule for every command: a relative path is relative to the current folder."""
    return Path(os.path.abspath(os.path.expanduser(path)))


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def cmd_build(args) -> int:
    from lib import folders
    from lib.build import build_corpus, kept_previous, summary, write_clean

    raw, clean = _abs(args.raw), _abs(args.clean)
    if raw == clean or clean in raw.parents:
        raise MinzhengError(f"--clean {clean} holds the raw folder {raw}; the clean folder is replaced as a whole, "
                            f"so give it a folder of its own (default: {FOLDERS['clean']})")
    folders.check_owned(clean, "clean", "--clean")  # up front: nothing is parsed for a build that cannot be written
    folders.check_writable(clean, "--clean")
    result = build_corpus(raw, progress=not args.quiet, jobs=args.jobs, near=clean)
    try:
        print(summary(result))
        kept = None if args.force else kept_previous(result, clean)
        if kept:
            print(f"ERROR: {kept}")
            return EXIT_BAD_INPUT
        write_clean(result, clean, say=_say, jobs=args.jobs or os.cpu_count() or 1)
    finally:
        result.close()
    print(f"clean tables written to {clean}/ (schema: {clean}/SCHEMA.md)")
    return EXIT_BAD_INPUT if result.errors else EXIT_OK


def cmd_render(args) -> int:
    from lib.render import render

    overview = True if args.overview else None
    status, _ = render(clean_dir=_abs(args.clean), figures_dir=_abs(args.figures), reports_dir=_abs(args.reports),
                       notebooks_dir=_abs(args.notebooks), themes=args.theme, cities=args.city, overview=overview,
                       jobs=args.jobs, force=args.force, dry_run=args.dry_run, kernel_name=args.kernel)
    return status


def cmd_export(args) -> int:
    from lib.export import export

    for path in export(clean_dir=_abs(args.clean), figures_dir=_abs(args.figures), out_dir=_abs(args.out)):
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


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread like Ctrl-C, so that what runs stops as cleanly: a build's
    staging folder is removed, a render's queued notebooks are cancelled and its figures put back."""


_MAIN_PID: list[int] = []


def _on_sigterm(signum, frame) -> None:
    if os.getpid() not in _MAIN_PID:  # a forked worker: end as it would have without the handler
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
        return
    raise Terminated()


def _folder(parser, flag: str, kind: str, what: str) -> None:
    """A folder option whose default is the project's (lib.outputs.FOLDERS), taken from the current folder."""
    parser.add_argument(flag, default=FOLDERS[kind], help=f"{what} (default: {FOLDERS[kind]})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lib", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="parse every report of the raw folder into clean tables")
    _folder(b, "--raw", "raw", "raw folder")
    _folder(b, "--clean", "clean", "clean folder")
    b.add_argument("--quiet", action="store_true", help="no per-report progress lines")
    b.add_argument("--jobs", "-j", type=int, default=None,
                   help="processes for a large corpus (default: one per CPU; corpora under 16 files use one)")
    b.add_argument("--force", action="store_true",
                   help="replace the previous clean set even when most report files failed")
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
    _folder(r, "--clean", "clean", "clean folder")
    _folder(r, "--figures", "figures", "figure folder")
    _folder(r, "--reports", "reports", "output folder")
    _folder(r, "--notebooks", "notebooks", "notebook sources")
    r.set_defaults(func=cmd_render)

    e = sub.add_parser("export", help="write exports/minzheng.xlsx and exports/minzheng.pptx")
    _folder(e, "--clean", "clean", "clean folder")
    _folder(e, "--figures", "figures", "figure folder whose PNGs become slides")
    _folder(e, "--out", "exports", "output folder")
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
    if threading.current_thread() is threading.main_thread():
        _MAIN_PID[:] = [os.getpid()]
        signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return args.func(args)
    except MinzhengError as exc:
        print(f"error: {_one_line(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt as exc:
        print("terminated" if isinstance(exc, Terminated) else "interrupted", file=sys.stderr)
        return EXIT_TERMINATED if isinstance(exc, Terminated) else EXIT_INTERRUPTED
    except Exception as exc:  # a bug: say so plainly, keep the traceback for the report
        traceback.print_exc()
        print(f"internal error: {type(exc).__name__}: {_one_line(str(exc))} — this is a bug in minzheng-compare; "
              "please report it with the traceback above", file=sys.stderr)
        return EXIT_INTERNAL


def _one_line(text: str) -> str:
    from lib.build import one_line

    return one_line(text)


if __name__ == "__main__":
    sys.exit(main())
