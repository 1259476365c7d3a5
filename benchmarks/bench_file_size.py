"""Benchmark: time and memory of building ONE report file as it grows, and of one sentence holding
20,000 figures. A script that prints figures, not a timed test (issue 9: growth must be linear).

Usage:
    python benchmarks/bench_file_size.py                  # 1, 5, 10, 20, 50 MB and the long sentence
    python benchmarks/bench_file_size.py --sizes 1,5      # some sizes only
    python benchmarks/bench_file_size.py --one FILE       # internal: one measured build in this process

The big file is the five seed reports' body paragraphs repeated (with their numbered headings, so
sections, 一是 items and tables grow too) until it reaches the size. Each measurement runs in a fresh
subprocess, so the peak resident memory (ru_maxrss) belongs to that file alone. The figure shown is
parse + write of `build_corpus` and `write_clean`, without Python's start-up.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _maxrss_mb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / (1024 * 1024 if sys.platform == "darwin" else 1024)


def big_report(mb: float) -> str:
    """A report of about mb megabytes (UTF-8) made of the seeds' own paragraphs."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "raw").glob("*.txt"))]
    body = "\n".join(seeds)
    target = int(mb * 1024 * 1024)
    head = "厦门市民政局2024年工作总结\n"
    n = max(1, target // len(body.encode("utf-8")) + 1)
    text = head + "\n".join(body for _ in range(n))
    return text.encode("utf-8")[:target].decode("utf-8", "ignore").rsplit("\n", 1)[0] + "\n"


def long_sentence(n: int = 20_000) -> str:
    return "厦门市民政局2024年工作总结\n一、社会救助\n全市" + "2024年" * n + "。\n"


def one(path: Path) -> dict:
    """Build one file in this process; the figures of that build."""
    from lib.build import build_corpus, write_clean

    raw = path.parent
    t0 = time.perf_counter()
    result = build_corpus(raw, progress=False, jobs=1)
    t1 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        write_clean(result, Path(tmp) / "clean")
        csv_mb = sum(p.stat().st_size for p in (Path(tmp) / "clean").glob("*.csv")) / 1e6
    t2 = time.perf_counter()
    return {"parse_s": t1 - t0, "write_s": t2 - t1, "rss_mb": _maxrss_mb(), "errors": [m for _, m in result.errors],
            "sentences": len(result.tables["sentences"]), "mentions": len(result.tables["mentions"]), "csv_mb": csv_mb}


def measure(text: str, name: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        raw.mkdir()
        path = raw / name
        path.write_text(text, encoding="utf-8")
        size = path.stat().st_size
        proc = subprocess.run([sys.executable, __file__, "--one", str(path)], capture_output=True, text=True, cwd=ROOT)
        if proc.returncode != 0:
            raise SystemExit(proc.stderr)
        out = json.loads(proc.stdout.strip().splitlines()[-1])
        out["size_mb"] = size / 1024 / 1024
        return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1,5,10,20,50", help="file sizes in MB (default 1,5,10,20,50)")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(Path(args.one))))
        return
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPU(s)")
    print(f"{'file':>22} {'MB':>6} {'parse s':>8} {'write s':>8} {'s/MB':>6} {'peak RSS MB':>12} "
          f"{'sentences':>10} {'mentions':>9} {'CSV MB':>7}")
    rows = []
    for mb in [float(x) for x in args.sizes.split(",")]:
        r = measure(big_report(mb), "big.txt")
        rows.append(r)
        total = r["parse_s"] + r["write_s"]
        print(f"{'report ' + format(mb, 'g') + ' MB':>22} {r['size_mb']:6.1f} {r['parse_s']:8.2f} {r['write_s']:8.2f} "
              f"{total / r['size_mb']:6.2f} {r['rss_mb']:12.0f} {r['sentences']:10d} {r['mentions']:9d} "
              f"{r['csv_mb']:7.1f}" + (f"  ERRORS: {r['errors']}" if r["errors"] else ""), flush=True)
    r = measure(long_sentence(), "long_sentence.txt")
    print(f"{'20,000 figures, 1 sent.':>22} {r['size_mb']:6.2f} {r['parse_s']:8.2f} {r['write_s']:8.2f} "
          f"{'':>6} {r['rss_mb']:12.0f} {r['sentences']:10d} {r['mentions']:9d} {r['csv_mb']:7.1f}"
          + (f"  ERRORS: {r['errors']}" if r["errors"] else ""))
    from lib.numbers import find_quantities

    for n in (4_000, 16_000):
        text = "全市共有1" + ",000" * n + ",00人。"  # a run of thousands groups that ends badly
        t0 = time.perf_counter()
        find_quantities(text)
        print(f"{'run of ,000 ×' + format(n, ',') + ':':>22} {len(text.encode()) / 1024:5.0f} KB  "
              f"find_quantities {time.perf_counter() - t0:.3f} s")
    if len(rows) >= 2:
        a, b = rows[0], rows[-1]
        ta, tb = a["parse_s"] + a["write_s"], b["parse_s"] + b["write_s"]
        print(f"growth {a['size_mb']:.0f} → {b['size_mb']:.0f} MB ({b['size_mb'] / a['size_mb']:.0f}× the size): "
              f"time {tb / ta:.1f}×, peak RSS {b['rss_mb'] / a['rss_mb']:.1f}× "
              "(linear growth: time about the size ratio; RSS includes ~200 MB of imports)")


if __name__ == "__main__":
    main()
