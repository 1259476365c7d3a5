"""The same raw folder gives byte-identical clean files whatever the hash seed and --jobs."""

from __future__ import annotations

import filecmp
import os
import subprocess
import sys

from conftest import RAW, ROOT
from lib.build import PARALLEL_MIN_FILES
from lib.schema import SCHEMAS

SEEDS = sorted(RAW.glob("*.txt"))
# small chunks, so that the files are combined from several parts, parsed by both workers
BUILD = ("import sys; import lib.build; lib.build.CHUNK_FILES = 4; from lib.cli import main; "
         "sys.exit(main(['build', '--raw', sys.argv[1], '--clean', sys.argv[2], '--jobs', sys.argv[3], '--quiet']))")


def _build(raw, clean, seed: str, jobs: int) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    proc = subprocess.run([sys.executable, "-c", BUILD, str(raw), str(clean), str(jobs)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]


def test_same_raw_folder_same_bytes_whatever_hash_seed_and_jobs(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for p in [*SEEDS, RAW / "manifest.csv"]:
        (raw / p.name).write_bytes(p.read_bytes())
    for i in range(PARALLEL_MIN_FILES + 2 - len(SEEDS)):  # renamed copies, each a text of its own
        seed = SEEDS[i % len(SEEDS)]
        text = seed.read_text(encoding="utf-8") + f"\n附:本件为第{i + 1}份副本。\n"
        (raw / f"copy{i:02d}_{seed.name}").write_text(text, encoding="utf-8")
    _build(raw, tmp_path / "one", "0", 1)
    _build(raw, tmp_path / "two", "4242", 2)
    one = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file())
    two = sorted(p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*") if p.is_file())
    assert one == two
    assert sum(p.suffix == ".parquet" for p in one) == len(SCHEMAS) and sum(p.parent.name == "texts" for p in one) == 18
    differ = [str(p) for p in one if not filecmp.cmp(tmp_path / "one" / p, tmp_path / "two" / p, shallow=False)]
    assert differ == []
