"""Extraction quality floors on real text: the seeds always, ../shared/corpus when it is beside the project.

The corpus is third-party text: it is read where it lies (built in a temporary folder) and never
copied into the project. Without it the corpus tests skip with the reason.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_corpus  # noqa: E402

HAVE_CORPUS = (bench_corpus.CORPUS / "expected.csv").is_file()
needs_corpus = pytest.mark.skipif(not HAVE_CORPUS, reason="../shared/corpus is not beside the project")


def test_seeds_stay_at_f1_095():
    t = bench_corpus.seeds_score().totals()
    assert t["f1"] >= 0.95 and t["precision"] >= 0.95, t


@pytest.fixture(scope="module")
def corpus_rows(tmp_path_factory):
    return bench_corpus.corpus_indicators(), bench_corpus.corpus_expected()


@needs_corpus
def test_corpus_floor(corpus_rows):
    from lib.evaluate import score

    ind, exp = corpus_rows
    lenient = score(ind, exp).totals()
    strict = score(ind, exp, strict=True).totals()
    assert lenient["f1"] >= 0.90 and lenient["precision"] >= 0.95, lenient
    assert strict["f1"] >= 0.85, strict


@needs_corpus
def test_every_corpus_report_builds_and_gives_figures(corpus_rows):
    ind, exp = corpus_rows
    assert set(exp["report_id"]) <= set(ind["report_id"])  # none of the 30 is refused or left empty


@needs_corpus
def test_our_scorer_agrees_with_the_corpus_scorer(corpus_rows, tmp_path):
    from lib.evaluate import score

    ind, exp = corpus_rows
    path = tmp_path / "indicators.csv"
    ind.to_csv(path, index=False)
    out = subprocess.run([sys.executable, str(bench_corpus.CORPUS / "score.py"), str(path)], capture_output=True,
                         text=True, timeout=120, check=True).stdout.strip().splitlines()[-1]
    ours = score(ind, exp).totals()
    assert f"P={ours['precision']:.3f}" in out and f"R={ours['recall']:.3f}" in out, out
