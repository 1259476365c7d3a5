"""Benchmark of `python -m lib build`: start-up cost, the seeds, and synthetic corpora of growing size.

A script that prints figures, not a timed test. It answers two questions:

1. Does building the five seeds cost less than the Python + pandas start-up before it?
2. Does the cost of a build grow linearly with the size of the corpus?

Usage:
    python benchmarks/bench_build.py                 # sizes 10,100,1000
    python benchmarks/bench_build.py --sizes 10,100 --keep
    python benchmarks/bench_build.py --one DIR       # internal: one measured build in this process

Each synthetic size is built in a fresh subprocess (``--one``) so that the peak RSS
(``ru_maxrss``, a process-lifetime figure) belongs to that size alone. Inside it, the build is
warmed up on the seeds, timed without tracemalloc (which slows allocation-heavy code ~3x), then,
for sizes up to --trace-max, run again under tracemalloc for the peak of Python allocations.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "raw"
PY = sys.executable

# City, province: the synthetic reports are re-attributed to these.
CITIES = [
    ("杭州市", "浙江省"), ("宁波市", "浙江省"), ("嘉兴市", "浙江省"), ("福州市", "福建省"), ("泉州市", "福建省"),
    ("漳州市", "福建省"), ("佛山市", "广东省"), ("东莞市", "广东省"), ("珠海市", "广东省"), ("苏州市", "江苏省"),
    ("无锡市", "江苏省"), ("南通市", "江苏省"), ("青岛市", "山东省"), ("烟台市", "山东省"), ("成都市", "四川省"),
    ("长沙市", "湖南省"), ("合肥市", "安徽省"), ("南昌市", "江西省"), ("武汉市", "湖北省"), ("郑州市", "河南省"),
]
SEED_CITY_STEMS = ("厦门", "中山", "温州")
SEED_PROVINCE_STEMS = ("福建", "广东", "浙江")
_HEADING = re.compile(r"^\s*(第[一二三四五六七八九十]+[章部节]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d{1,2}[.、．])")
_NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?![\d.])")


# --- measuring helpers ----------------------------------------------------------------------------
def _median_wall(cmd: list[str], runs: int = 3, cwd: Path = ROOT) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _maxrss_mb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux, bytes on macOS
    return kb / (1024 * 1024 if sys.platform == "darwin" else 1024)


def _errors(result) -> list:
    """The build's failures (named `errors` in newer lib.build, `failed` in older)."""
    return list(getattr(result, "errors", None) or getattr(result, "failed", None) or [])


def _raw_bytes(raw_dir: Path) -> int:
    return sum(p.stat().st_size for p in Path(raw_dir).iterdir() if p.is_file() and p.name != "manifest.csv")


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "?"
    ram = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
                break
    except OSError:
        pass
    return (f"{os.cpu_count()} CPU(s) ({cpu}), {ram} RAM, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


# --- 1. start-up ----------------------------------------------------------------------------------
def bench_startup(tmp: Path) -> dict:
    clean = tmp / "clean-startup"
    r = {
        "python": _median_wall([PY, "-c", "pass"]),
        "pandas": _median_wall([PY, "-c", "import pandas"]),
        "lib.build": _median_wall([PY, "-c", "import lib.build"]),
        # what `python -m lib build` imports in all, including the modules build loads lazily
        "all_imports": _median_wall([PY, "-c", "import lib.cli, lib.build, lib.extract, lib.excel"]),
        "full": _median_wall([PY, "-m", "lib", "build", "--raw", str(SEEDS), "--clean", str(clean)]),
    }
    r["seeds_vs_lib_build"] = r["full"] - r["lib.build"]
    r["seeds_vs_all_imports"] = r["full"] - r["all_imports"]
    return r


# --- 2. seeds in-process ----------------------------------------------------------------------------
def bench_seeds_inprocess(tmp: Path, runs: int = 3) -> dict:
    from lib.build import build_corpus, write_clean

    clean = tmp / "clean-seeds"
    write_clean(build_corpus(SEEDS, progress=False), clean)  # warm-up: lazy imports, caches
    parse, write = [], []
    for _ in range(runs):
        t = time.perf_counter()
        result = build_corpus(SEEDS, progress=False)
        t1 = time.perf_counter()
        write_clean(result, clean)
        write.append(time.perf_counter() - t1)
        parse.append(t1 - t)
    n = len(result.tables["reports"])
    return {"n": n, "bytes": _raw_bytes(SEEDS), "parse": statistics.median(parse), "write": statistics.median(write),
            "failed": len(_errors(result))}


# --- 3. synthetic corpus ------------------------------------------------------------------------------
def _seed_material() -> tuple[list[dict], list[str]]:
    """The seeds as paragraph lists with their manifest rows, and a pool of body paragraphs."""
    with (SEEDS / "manifest.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = {r["file"]: r for r in csv.DictReader(fh)}
    seeds, pool = [], []
    for p in sorted(SEEDS.glob("*.txt")):
        paras = [line for line in p.read_text(encoding="utf-8").split("\n")]
        seeds.append({"paras": paras, "row": rows.get(p.name, {})})
        pool += [x for x in paras if len(x) >= 40 and not _HEADING.match(x)]
    return seeds, pool


def _perturb_numbers(text: str, rng: random.Random) -> str:
    def repl(m: re.Match) -> str:
        s = m.group(1)
        start = m.start(1)
        if start == 0 or text[start - 1] == "\n":  # list numbers at line start: keep the structure
            return s
        if "." not in s:
            v = int(s)
            if 1900 <= v <= 2100 or v < 10:  # years and small counts stay
                return s
            return str(max(10, round(v * rng.uniform(0.8, 1.25))))
        decimals = len(s.split(".")[1])
        return f"{float(s) * rng.uniform(0.8, 1.25):.{decimals}f}"

    return _NUMBER.sub(repl, text)


def _recity(text: str, city: str, province: str) -> str:
    stem, pstem = city[:-1], province[:-1]
    for s in SEED_CITY_STEMS:
        text = text.replace(s, stem)
    for s in SEED_PROVINCE_STEMS:
        text = text.replace(s, pstem)
    return text


def generate_corpus(out: Path, n: int, seed: int = 20240601) -> int:
    """Write n synthetic reports and their manifest.csv into out; return the raw bytes written.

    Each report takes one seed as its skeleton (title, headings, order), swaps about a third of its
    body paragraphs for paragraphs of the other seeds, perturbs the figures, and is re-attributed
    to another city. Most are UTF-8; some are UTF-8 with BOM, GB18030, or CRLF.
    """
    rng = random.Random(seed)
    seeds, pool = _seed_material()
    out.mkdir(parents=True, exist_ok=True)
    manifest = []
    total = 0
    for i in range(n):
        base = rng.choice(seeds)
        city, province = rng.choice(CITIES)
        paras = []
        for para in base["paras"]:
            if len(para) >= 40 and not _HEADING.match(para) and rng.random() < 0.33:
                para = rng.choice(pool)
            paras.append(para)
        text = _perturb_numbers(_recity("\n".join(paras), city, province), rng)
        roll = rng.random()
        if roll < 0.80:
            data, enc = text.encode("utf-8"), "utf-8"
        elif roll < 0.85:
            data, enc = b"\xef\xbb\xbf" + text.encode("utf-8"), "utf-8-bom"
        elif roll < 0.95:
            data, enc = text.encode("gb18030"), "gb18030"
        else:
            data, enc = text.replace("\n", "\r\n").encode("utf-8"), "utf-8-crlf"
        name = f"{i:05d}_{hashlib.sha1(data).hexdigest()[:16]}.txt"
        (out / name).write_bytes(data)
        total += len(data)
        row = base["row"]
        published = ""
        if rng.random() < 0.5:
            y = int(row.get("year") or 2024) + 1
            published = f"{y}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        manifest.append({
            "file": name, "city": city, "province": province, "year": row.get("year", ""),
            "period": row.get("period", ""), "report_type": row.get("report_type", "other"),
            "title": _recity(row.get("title", ""), city, province), "published": published,
            "source": f"synthetic (bench_build.py, seed {seed}, {enc})",
        })
    with (out / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["file", "city", "province", "year", "period", "report_type",
                                           "title", "published", "source"])
        w.writeheader()
        w.writerows(manifest)
    return total


# --- 4. one size, in a fresh process --------------------------------------------------------------------
def run_one(raw: Path, clean: Path, trace: bool) -> dict:
    """Build raw → clean in this process; timings, peak RSS, then (optionally) a tracemalloc pass."""
    t = time.perf_counter()
    import lib.excel  # noqa: F401  (loaded lazily by write_clean; imported here so it is not timed)
    import lib.extract  # noqa: F401
    from lib.build import build_corpus, write_clean
    imports = time.perf_counter() - t

    # Warm-up on the seeds: the first build of a process pays one-off costs (regex compilation,
    # caches, pandas/pyarrow first calls) that would otherwise inflate the smallest N.
    t = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-warm-") as warm:
        write_clean(build_corpus(SEEDS, progress=False), Path(warm) / "clean")
    warmup = time.perf_counter() - t

    t = time.perf_counter()
    result = build_corpus(raw, progress=False)
    t1 = time.perf_counter()
    write_clean(result, clean)
    t2 = time.perf_counter()
    out = {"imports": imports, "warmup": warmup, "parse": t1 - t, "write": t2 - t1, "maxrss_mb": _maxrss_mb(),
           "n": len(result.tables["reports"]), "failed": len(_errors(result)), "warnings": len(result.warnings),
           "bytes": _raw_bytes(raw), "sentences": len(result.tables["sentences"]),
           "encodings": {k: int(v) for k, v in result.tables["reports"]["encoding"].value_counts().items()},
           "warning_samples": [m for _, m in result.warnings[:2]]}
    if _errors(result):
        out["first_failures"] = _errors(result)[:3]
    del result
    if trace:
        import tracemalloc

        tracemalloc.start()
        result = build_corpus(raw, progress=False)
        _, parse_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        write_clean(result, clean)
        _, write_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        out["py_peak_mb"] = max(parse_peak, write_peak) / 2**20
    return out


def bench_size(n: int, tmp: Path, trace: bool) -> dict:
    raw = tmp / f"raw-{n}"
    t = time.perf_counter()
    generate_corpus(raw, n)
    gen = time.perf_counter() - t
    cmd = [PY, str(Path(__file__).resolve()), "--one", str(raw), "--clean", str(tmp / f"clean-{n}")]
    if not trace:
        cmd.append("--no-tracemalloc")
    proc = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True)
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    r["generate"] = gen
    return r


# --- main ------------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10,100,1000", help="synthetic corpus sizes, comma-separated (default 10,100,1000)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folders (raw and clean) and print where")
    ap.add_argument("--no-tracemalloc", action="store_true", help="skip the tracemalloc pass altogether")
    ap.add_argument("--trace-max", type=int, default=100, metavar="N",
                    help="run the tracemalloc pass only for sizes up to N (default 100: under tracemalloc the "
                         "1000-report build takes ~11 min instead of ~4 on 2 cores; its Python peak was 592 MB)")
    ap.add_argument("--one", metavar="RAW", help=argparse.SUPPRESS)
    ap.add_argument("--clean", metavar="CLEAN", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.one:
        print(json.dumps(run_one(Path(args.one), Path(args.clean), not args.no_tracemalloc), default=str))
        return 0

    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    tmp = Path(tempfile.mkdtemp(prefix="bench_build-"))
    t_all = time.perf_counter()
    try:
        print(f"machine: {machine()}")
        print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
              "(figures are wall times; other work on the machine inflates them)")
        print(f"seeds: {SEEDS.relative_to(ROOT)} ({_raw_bytes(SEEDS) / 1e3:.0f} KB)\n")

        print("1. start-up (fresh subprocesses, median of 3)")
        s = bench_startup(tmp)
        print(f"   python -c pass                       {s['python']:6.2f} s")
        print(f"   python -c 'import pandas'            {s['pandas']:6.2f} s")
        print(f"   python -c 'import lib.build'         {s['lib.build']:6.2f} s")
        print(f"   ... + lib.cli, lib.extract, lib.excel {s['all_imports']:6.2f} s   (everything `lib build` imports)")
        print(f"   python -m lib build (5 seeds)        {s['full']:6.2f} s")
        print(f"   seeds' own cost = full - import lib.build      {s['seeds_vs_lib_build']:6.2f} s")
        print(f"   seeds' own cost = full - all build imports     {s['seeds_vs_all_imports']:6.2f} s")
        ok = s["seeds_vs_lib_build"] < s["pandas"]
        print(f"   goal 'seeds cost < Python + pandas start-up ({s['pandas']:.2f} s)': "
              f"{'HOLDS' if ok else 'NOT MET'} ({s['seeds_vs_lib_build'] / s['pandas']:.1f}x)\n")

        print("2. seeds in-process (build_corpus + write_clean, median of 3 after a warm-up)")
        d = bench_seeds_inprocess(tmp)
        mb = d["bytes"] / 1e6
        print(f"   {d['n']} reports, {mb * 1e3:.0f} KB: parse {d['parse']:.2f} s + write {d['write']:.2f} s = "
              f"{d['parse'] + d['write']:.2f} s -> {d['n'] / d['parse']:.1f} reports/s, {mb / d['parse']:.3f} MB/s (parse)"
              f"{'; FAILED ' + str(d['failed']) if d['failed'] else ''}\n")

        trace = not args.no_tracemalloc
        print(f"3-4. synthetic corpora, each built in a fresh process"
              f"{f' (timed pass, then a tracemalloc pass for N <= {args.trace_max})' if trace else ''}")
        head = (f"   {'N':>6} {'MB':>7} {'parse s':>8} {'write s':>8} {'rep/s':>7} {'MB/s':>6} "
                f"{'ms/rep':>7} {'s/MB':>6} {'RSS MB':>7} {'py MB':>7} {'fail':>4}")
        print(head)
        rows = []
        for n in sizes:
            r = bench_size(n, tmp, trace and n <= args.trace_max)
            rows.append(r)
            mb = r["bytes"] / 1e6
            print(f"   {r['n']:>6} {mb:7.2f} {r['parse']:8.2f} {r['write']:8.2f} {r['n'] / r['parse']:7.1f} "
                  f"{mb / r['parse']:6.3f} {1e3 * r['parse'] / r['n']:7.1f} {r['parse'] / mb:6.2f} "
                  f"{r['maxrss_mb']:7.0f} {('%7.0f' % r['py_peak_mb']) if 'py_peak_mb' in r else '      -'} {r['failed']:>4}", flush=True)
            if r.get("first_failures"):
                print(f"          first failures: {r['first_failures']}")
        print("   (parse = build_corpus; write = write_clean; RSS = peak resident set of the process incl. imports;")
        print("    py = tracemalloc peak of Python allocations during the build; rep/s and MB/s are for parse)")
        if rows:
            enc = {}
            for r in rows[-1:]:
                enc = r["encodings"]
            print(f"   encodings decoded (N={rows[-1]['n']}): {enc}; build warnings: {rows[-1]['warnings']}"
                  + (f" (e.g. {rows[-1]['warning_samples'][0]!r})" if rows[-1]["warning_samples"] else ""))
            print(f"   one-off cost of a process's first build (5 seeds, before timing): "
                  f"{statistics.median(r['warmup'] for r in rows):.2f} s")
        if len(rows) >= 2:
            lo, hi = rows[0], rows[-1]
            per = lambda r: (r["parse"] + r["write"]) / r["n"]  # noqa: E731
            per_mb = lambda r: (r["parse"] + r["write"]) / (r["bytes"] / 1e6)  # noqa: E731
            print(f"\n   linearity: (parse+write) per report at N={hi['n']} / at N={lo['n']} = {per(hi) / per(lo):.2f}; "
                  f"per MB = {per_mb(hi) / per_mb(lo):.2f}  (1.00 = linear)")
            print(f"   parse only per report: {hi['parse'] / hi['n'] / (lo['parse'] / lo['n']):.2f}; "
                  f"write only per report: {hi['write'] / hi['n'] / (lo['write'] / lo['n']):.2f}")
        print(f"\ntotal benchmark time {time.perf_counter() - t_all:.0f} s; load average at end: "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        if args.keep:
            print(f"kept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
