"""Benchmark of `python -m lib build` on synthetic corpora: throughput, --jobs scaling, peak memory.

A script that prints figures, not a timed test. For each size (default 1,000, 3,000 and 10,000
reports) it generates a corpus from recombined seed paragraphs, then builds it with
`python -m lib build --jobs J` for each J (default 1 and 2), each build a fresh process tree,
and prints:

- wall time, reports/s, and MB/s per core (raw MB ÷ wall ÷ J);
- the peak memory of the whole process tree (the build and its workers) at one moment, polled
  every 0.2 s: the sum of RSS (shared pages counted once per process, an overestimate) and the
  sum of PSS (shared pages split between the processes that share them: the tree's real share);
- the speed-up of each J over --jobs 1, and the load average before and after, since other work
  on the machine slows every figure;
- the time of a fixed pure-Python loop just before each build: on a shared virtual machine the
  speed of a core moves with the neighbours' load, which the load average does not show.

Usage:
    python benchmarks/bench_build.py                          # sizes 1000,3000,10000; jobs 1,2
    python benchmarks/bench_build.py --sizes 200 --jobs 1,2 --keep
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

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


def _raw_bytes(raw_dir: Path) -> int:
    return sum(p.stat().st_size for p in Path(raw_dir).iterdir() if p.is_file() and p.name != "manifest.csv")


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


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


# --- 4. one build, its process tree watched ---------------------------------------------------------------
def loop_seconds(n: int = 10_000_000) -> float:
    """Seconds a fixed pure-Python loop takes now: the machine's speed at the moment of a row (a
    shared virtual machine's speed moves with its neighbours, and every figure with it)."""
    t = time.perf_counter()
    s = 0
    for i in range(n):
        s += i % 7
    return time.perf_counter() - t


def _tree_memory(proc: psutil.Process) -> tuple[int, int]:
    """(sum of RSS, sum of PSS) in bytes over a process and all its descendants, now."""
    rss = pss = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            info = p.memory_full_info()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        rss += info.rss
        pss += getattr(info, "pss", info.rss)
    return rss, pss


def run_build(raw: Path, clean: Path, jobs: int, interval: float = 0.2) -> dict:
    """`python -m lib build` as a child process; wall time, CPU time of the tree and its peak memory."""
    cmd = [PY, "-m", "lib", "build", "--raw", str(raw), "--clean", str(clean), "--jobs", str(jobs), "--quiet"]
    before = os.times()
    t = time.perf_counter()
    popen = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc = psutil.Process(popen.pid)
    peak = {"rss": 0, "pss": 0}
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            try:
                rss, pss = _tree_memory(proc)
            except psutil.NoSuchProcess:
                break
            peak["rss"], peak["pss"] = max(peak["rss"], rss), max(peak["pss"], pss)
            stop.wait(interval)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    out, err = popen.communicate()
    wall = time.perf_counter() - t
    stop.set()
    watcher.join()
    after = os.times()
    if popen.returncode not in (0, 1):
        raise SystemExit(f"build failed ({popen.returncode}):\n{err[-3000:]}")
    m = re.search(r"built (\d+) report\(s\) in ([\d.]+)s", out)
    return {"wall": wall, "parse": float(m.group(2)) if m else float("nan"), "n": int(m.group(1)) if m else 0,
            "cpu": (after.children_user + after.children_system) - (before.children_user + before.children_system),
            "rss": peak["rss"], "pss": peak["pss"], "errors": out.count("\nERROR: ")}


# --- main ------------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,3000,10000", help="corpus sizes, comma-separated (default 1000,3000,10000)")
    ap.add_argument("--jobs", default="1,2", help="--jobs values to build each size with (default 1,2)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folders (raw and clean) and print where")
    args = ap.parse_args(argv)

    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    jobs = [int(j) for j in args.jobs.split(",") if j.strip()]
    tmp = Path(tempfile.mkdtemp(prefix="bench_build-"))
    t_all = time.perf_counter()
    try:
        print(f"machine: {machine()}")
        print(f"load average at start: {_load()} (wall times; other work on the machine inflates them)\n")
        print(f"   {'N':>6} {'MB':>7} {'jobs':>4} {'wall s':>8} {'parse s':>8} {'CPU s':>7} {'rep/s':>7} "
              f"{'rep/s/core':>10} {'MB/s/core':>9} {'tree RSS MB':>11} {'tree PSS MB':>11} {'speed-up':>8} "
              f"{'loop s':>6}  load")
        for n in sizes:
            raw = tmp / f"raw-{n}"
            generate_corpus(raw, n)
            mb = _raw_bytes(raw) / 1e6
            base = None
            for j in jobs:
                clean = tmp / f"clean-{n}-{j}"
                loop = loop_seconds()
                r = run_build(raw, clean, j)
                base = base or (r["wall"] if j == 1 else None)
                speed = f"{base / r['wall']:7.2f}x" if base else "       -"
                print(f"   {r['n']:>6} {mb:7.1f} {j:>4} {r['wall']:8.1f} {r['parse']:8.1f} {r['cpu']:7.1f} "
                      f"{r['n'] / r['wall']:7.1f} {r['n'] / r['wall'] / j:10.1f} {mb / r['wall'] / j:9.3f} "
                      f"{r['rss'] / 1e6:11.0f} {r['pss'] / 1e6:11.0f} {speed} {loop:6.2f}  {_load()}"
                      + (f"  ({r['errors']} errors)" if r["errors"] else ""), flush=True)
                if not args.keep:
                    shutil.rmtree(clean, ignore_errors=True)
            if not args.keep:
                shutil.rmtree(raw, ignore_errors=True)
        print("   (wall = the whole `python -m lib build` incl. start-up and writing; parse = its own `built … in`;")
        print("    CPU = user+system of the process tree; tree RSS/PSS = peak sum over the build and its workers;")
        print("    loop s = a fixed pure-Python loop timed just before the build: the machine's speed then, lower is faster)")
        print(f"\ntotal benchmark time {time.perf_counter() - t_all:.0f} s; load average at end: {_load()}")
    finally:
        if args.keep:
            print(f"kept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
