"""Shared fixtures: the real seed corpus, built once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, settings

# Property tests: CI runs a fixed set of examples (the same every run, so a red CI is about the
# change); `HYPOTHESIS_PROFILE=stress make test` searches much harder for new counterexamples.
settings.register_profile("ci", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("stress", max_examples=3000, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
EXPECTED = ROOT / "tests" / "expected"
SEED_IDS = sorted(p.stem for p in RAW.glob("*.txt"))


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Build the embedded corpus into a temporary clean folder; return (result, clean_dir)."""
    from lib.build import build_corpus, write_clean

    clean = tmp_path_factory.mktemp("clean")
    result = build_corpus(RAW, progress=False)
    write_clean(result, clean)
    return result, clean


@pytest.fixture(scope="session")
def tables(built):
    return built[0].tables


def expected(name: str) -> pd.DataFrame:
    return pd.read_csv(EXPECTED / name, dtype=str, keep_default_na=False)
