"""Extraction quality on real text: the seeds and, when it is beside the project, ../shared/corpus.

A script that prints figures, not a test (``tests/test_corpus_quality.py`` asserts the floors):

- the five seeds against ``tests/expected/indicators_*.csv`` (written from reading them);
- the 30 real texts of ``../shared/corpus`` against its ``expected.csv``, per report and in total,
  lenient (report + indicator + value), strict (status too) and without its judgement calls.

The corpus is third-party text: it is read where it lies and never copied into the project.

Usage:
    python benchmarks/bench_corpus.py [--corpus PATH] [--show]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lib.build import build_corpus  # noqa: E402
from lib.evaluate import score  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
SEED_EXPECTED = [ROOT / "tests" / "expected" / "indicators_seeds.csv", ROOT / "tests" / "expected" / "indicators_002.csv"]


def seeds_score(strict: bool = False):
    expected = pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False) for p in SEED_EXPECTED], ignore_index=True)
    result = build_corpus(ROOT / "data" / "raw", progress=False)
    return score(result.tables["indicators"], expected, strict=strict)


def corpus_indicators(corpus: Path = CORPUS) -> pd.DataFrame:
    """Build the corpus where it lies (its raw files copied to a temporary folder, never into the project)."""
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        raw.mkdir()
        for f in (corpus / "raw").iterdir():
            shutil.copy(f, raw / f.name)
        shutil.copy(corpus / "manifest.csv", raw / "manifest.csv")
        return build_corpus(raw, progress=False).tables["indicators"]


def corpus_expected(corpus: Path = CORPUS) -> pd.DataFrame:
    return pd.read_csv(corpus / "expected.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _line(name: str, t: dict) -> str:
    return f"{name:<34} P={t['precision']:.3f} R={t['recall']:.3f} F1={t['f1']:.3f}  (expected {t['expected']}, extracted {t['extracted']})"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS, help="a corpus folder with raw/, manifest.csv, expected.csv")
    ap.add_argument("--show", action="store_true", help="list misses and extra rows")
    args = ap.parse_args(argv)

    print(_line("seeds (5 reports)", seeds_score().totals()))
    print(_line("seeds, strict (status too)", seeds_score(strict=True).totals()))
    if not (args.corpus / "expected.csv").is_file():
        print(f"no corpus at {args.corpus}: only the seeds were scored")
        return 0
    ind = corpus_indicators(args.corpus)
    exp = corpus_expected(args.corpus)
    lenient = score(ind, exp)
    print()
    table = lenient.per_report.copy()
    for c in ("precision", "recall", "f1"):
        table[c] = table[c].map("{:.3f}".format)
    print(table.to_string(index=False))
    print()
    print(_line(f"corpus ({len(table)} reports)", lenient.totals()))
    print(_line("corpus, strict (status too)", score(ind, exp, strict=True).totals()))
    print(_line("corpus, judgement calls skipped", score(ind, exp, skip_judgement_calls=True).totals()))
    if args.show:
        print("\nmissed:")
        for r in lenient.misses.itertuples():
            print(f"  {r.report_id} {r.indicator_id} {r.value} {r.status} {r.period}")
        print("extra:")
        for r in lenient.extras.itertuples():
            print(f"  {r.report_id} {r.indicator_id} {r.value} {r.status} {r.period} | {r.rule}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
