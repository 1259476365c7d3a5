"""Wall time of rendering the notebooks: ``python -m lib render --force --jobs N`` vs the same
notebooks run one after another by the plain ``papermill`` CLI, and a no-change rerun (all skipped).

    python benchmarks/bench_render.py [--jobs N] [--quick] [--clean data/clean]

Outputs go to a temporary folder (the repo's reports/ and figures/ are not touched). ``--quick``
renders only the overview, one theme and one city. The papermill baseline runs exactly the
commands ``python -m lib render --dry-run`` prints (papermill lines only; the render also writes
HTML, which the baseline does not, so the comparison favours the baseline).
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lib import render as R  # noqa: E402


def run(cmd: list[str], env: dict | None = None) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--quick", action="store_true", help="overview + social_assistance + 厦门市 only")
    ap.add_argument("--clean", default="data/clean")
    args = ap.parse_args()
    select = ["--theme", "social_assistance", "--city", "厦门市", "--overview"] if args.quick else []
    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
        tmp = Path(tmp)
        base = [sys.executable, "-m", "lib", "render", "--clean", args.clean, "--figures", str(tmp / "figures"),
                "--reports", str(tmp / "reports")] + select
        jobs, _ = R.plan(args.clean, tmp / "figures", "notebooks", ["social_assistance"] if args.quick else None,
                         ["厦门市"] if args.quick else None, True if args.quick else None)
        n = len(jobs)
        t_par = run(base + ["--force", "--jobs", str(args.jobs)])
        t_again = run(base + ["--jobs", str(args.jobs)])

        # Baseline: the plain papermill CLI, one notebook after another (same inputs, other outputs).
        lines = R.dry_run_lines(jobs, tmp / "seq", R.DEFAULT_KERNEL, R.views.resolve("notebooks"))
        env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}", "MPLBACKEND": "Agg"}
        for line in lines:
            if line.startswith(("mkdir ", "jupytext ")):
                subprocess.run(shlex.split(line), cwd=ROOT, check=True, env=env, stdout=subprocess.DEVNULL)
        t_seq = 0.0
        for line in lines:
            if " papermill " in f" {line}":
                cmd = shlex.split(line)[1:]  # drop the MPLBACKEND=Agg prefix (set in env)
                t_seq += run(cmd, env)
    print(f"notebooks: {n}  (cpu_count {os.cpu_count()})")
    print(f"render --force --jobs {args.jobs}:         {t_par:7.1f} s   (papermill + HTML + index)")
    print(f"plain papermill CLI, one after another: {t_seq:7.1f} s   (papermill only)")
    print(f"speed-up:                                {t_seq / t_par:7.2f}x")
    print(f"no-change rerun (all skipped):           {t_again:7.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
