"""A large corpus parsed in worker processes gives exactly the tables of a one-process build."""

from __future__ import annotations

import pandas as pd

from conftest import RAW
from lib import build
from lib.build import PARALLEL_MIN_FILES, build_corpus


def test_parallel_build_equals_sequential(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "CHUNK_FILES", 4)  # several chunks, so both workers have work
    seeds = sorted(RAW.glob("*.txt"))
    for i in range(PARALLEL_MIN_FILES + 2):
        seed = seeds[i % len(seeds)]
        text = seed.read_text(encoding="utf-8") + f"\n附:本件为第{i + 1}份副本。\n"
        (tmp_path / f"{i:02d}_{seed.name}").write_text(text, encoding="utf-8")
    (tmp_path / "broken.txt").write_bytes(b"")
    one = build_corpus(tmp_path, progress=False, jobs=1)
    two = build_corpus(tmp_path, progress=False, jobs=2)
    assert one.errors == two.errors and [f for f, _ in one.errors] == ["broken.txt"]
    for name, df in one.tables.items():
        pd.testing.assert_frame_equal(df, two.tables[name], obj=name)
    assert len(one.tables["reports"]) == PARALLEL_MIN_FILES + 2
