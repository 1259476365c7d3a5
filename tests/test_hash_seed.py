"""Parsing gives the same tables whatever PYTHONHASHSEED: no result may depend on the iteration
order of a set (string hashes are salted per process), e.g. a tie broken by max(set(found))."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import RAW, ROOT

# every table of a build of the seeds, as one digest per table
_DIGESTS = """
import hashlib, sys
import pandas as pd
from lib.build import build_corpus
result = build_corpus(sys.argv[1], progress=False, jobs=1)
for name, df in result.tables.items():
    rows = pd.util.hash_pandas_object(df, index=True).to_numpy().tobytes()
    print(name, len(df), hashlib.sha256(rows + repr(list(df.columns)).encode()).hexdigest())
print("warnings", hashlib.sha256(repr(result.warnings).encode()).hexdigest())
"""


def _digests(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run([sys.executable, "-c", _DIGESTS, str(RAW)], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True)
    return done.stdout


def test_tables_do_not_depend_on_the_hash_seed():
    first = _digests("1")
    assert "indicators" in first
    assert _digests("2") == first
