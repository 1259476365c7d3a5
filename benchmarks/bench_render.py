"""Wall time of rendering the notebooks, from one run of each (a script that prints figures, not a test).

    python benchmarks/bench_render.py [--jobs N] [--quick] [--clean data/clean]
    python benchmarks/bench_render.py --scale /tmp/clean3000 [--theme social_assistance]

Default: ``python -m lib render --force --jobs N`` against the plain commands ``python -m lib render
--dry-run`` prints (``python -m papermill …`` then ``python -m lib html …`` per notebook), run one
after another, on the same clean folder; then a no-change rerun (everything skipped). ``--quick``
renders only the overview, one theme and one city.

``--scale BIG``: one theme notebook and one city notebook, rendered alone (``--jobs 1``, forced),
on the seeds' clean folder and on BIG (e.g. a 3,000-report build of ``bench_build.py``'s synthetic
corpus), ``--repeat`` times each, alternated; each notebook's median and fastest time and their
ratios; then the no-change rerun of every notebook on BIG.

Outputs go to a temporary folder (the repo's reports/ and figures/ are not touched). The machine's
load (``os.getloadavg``) is printed beside the figures: on a shared machine they move with it.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lib import render as R  # noqa: E402


def run(cmd: list[str], env: dict | None = None) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f} (1 min) / {five:.1f} (5 min) on {os.cpu_count()} cores"


def bench_ratio(args) -> None:
    select = ["--theme", "social_assistance", "--city", "厦门市", "--overview"] if args.quick else []
    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
        tmp = Path(tmp)
        base = [sys.executable, "-m", "lib", "render", "--clean", args.clean, "--figures", str(tmp / "figures"),
                "--reports", str(tmp / "reports")] + select
        jobs, _ = R.plan(args.clean, tmp / "figures", "notebooks", ["social_assistance"] if args.quick else None,
                         ["厦门市"] if args.quick else None, True if args.quick else None)
        n = len(jobs)
        print(f"before: {load()}")
        t_par = run(base + ["--force", "--jobs", str(args.jobs)])
        t_again = run(base + ["--jobs", str(args.jobs)])

        # Baseline: the plain commands --dry-run prints, one after another (same inputs, other outputs).
        lines = R.dry_run_lines(jobs, tmp / "seq", R.DEFAULT_KERNEL, R.views.resolve("notebooks"))
        env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
               "MPLBACKEND": "Agg"}
        t_convert = t_pm = t_html = 0.0
        for line in lines:
            cmd = shlex.split(line)
            if cmd[0] == "mkdir":
                (tmp / "seq" / ".src").mkdir(parents=True, exist_ok=True)
            elif "jupytext" in cmd:
                t_convert += run(cmd, env)
            elif "papermill" in cmd:
                t_pm += run(cmd[1:], env)  # drop the MPLBACKEND=Agg prefix (set in env)
            else:
                t_html += run(cmd, env)
        print(f"after:  {load()}")
    t_seq = t_convert + t_pm + t_html
    print(f"notebooks: {n}")
    print(f"render --force --jobs {args.jobs}:                 {t_par:7.1f} s   (notebooks + HTML + index)")
    print(f"plain commands of --dry-run, one after another: {t_seq:7.1f} s   "
          f"(jupytext {t_convert:.1f} + papermill {t_pm:.1f} + html {t_html:.1f})")
    print(f"speed-up:                                        {t_seq / t_par:7.2f}x")
    print(f"  (papermill lines only, as before:              {t_pm / t_par:7.2f}x)")
    print(f"no-change rerun (all skipped):                   {t_again:7.1f} s")


def one_notebook(clean: str, tmp: Path, theme: str | None, city: str | None) -> float:
    tmp.mkdir(parents=True, exist_ok=True)
    results = R.render(clean, tmp / "figures", tmp / "reports", themes=[theme] if theme else None,
                       cities=[city] if city else None, overview=False, jobs=1, force=True, out=lambda s: None)[1]
    (r,) = [r for r in results if r.status != "skipped"]
    if r.status != "ok":
        raise SystemExit(r.message)
    return r.seconds


def bench_scale(args) -> None:
    big = args.scale
    with tempfile.TemporaryDirectory(prefix="bench-render-scale-") as tmp:
        tmp = Path(tmp)
        n_small = len(R.views.load_index(args.clean)["reports"])
        n_big = len(R.views.load_index(big)["reports"])
        city = R.views.cities(R.views.load_index(big))[0]
        print(f"before: {load()}")
        rows = []
        for label, theme, cities in ((f"theme_{args.theme}", args.theme, None), ("city (厦门市 / first city)", None, None)):
            small, large = [], []
            for _ in range(args.repeat):  # alternated, so that a change in the machine's load falls on both
                small.append(one_notebook(args.clean, tmp / "small", theme, None if theme else "厦门市"))
                large.append(one_notebook(big, tmp / "big", theme, None if theme else city))
            rows.append((label, small, large))
        # no-change rerun on the big folder: render everything once, then time the second run
        (tmp / "all").mkdir()
        R.render(big, tmp / "all" / "figures", tmp / "all" / "reports", jobs=args.jobs, out=lambda s: None)
        cmd = [sys.executable, "-m", "lib", "render", "--clean", big, "--figures", str(tmp / "all" / "figures"),
               "--reports", str(tmp / "all" / "reports"), "--jobs", str(args.jobs)]
        t_again = run(cmd)
        print(f"after:  {load()}")
    print(f"one notebook rendered alone (kernel start to HTML), seeds ({n_small} reports) vs {n_big} reports, "
          f"{args.repeat} run(s) each, alternated:")
    for label, small, large in rows:
        print(f"  {label:32s} median {median(small):5.1f} s  {median(large):5.1f} s   ratio {median(large) / median(small):5.2f}x"
              f"   (fastest {min(small):.1f} s  {min(large):.1f} s   ratio {min(large) / min(small):.2f}x)")
        print(f"  {'':32s} runs: seeds {' '.join(f'{x:.1f}' for x in small)}; big {' '.join(f'{x:.1f}' for x in large)}")
    print(f"no-change rerun of every notebook at {n_big} reports: {t_again:5.1f} s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--quick", action="store_true", help="overview + social_assistance + 厦门市 only")
    ap.add_argument("--clean", default=str(ROOT / "data" / "clean"))
    ap.add_argument("--scale", metavar="BIG", help="clean folder of a large corpus: one theme and one city notebook, "
                    "seeds vs BIG, and the no-change rerun on BIG")
    ap.add_argument("--theme", default="social_assistance")
    ap.add_argument("--repeat", type=int, default=3, help="--scale: runs of each notebook on each folder (default 3)")
    args = ap.parse_args()
    if args.scale:
        bench_scale(args)
    else:
        bench_ratio(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
