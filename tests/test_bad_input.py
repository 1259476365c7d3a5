"""Bad input: each bad case is named with its reason, the good reports build exactly as they do
alone, the exit status says something failed, and data/clean/ is never left half-written."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import RAW, ROOT

SEEDS = sorted(RAW.glob("*.txt"))
TABLES_COMPARED = ["reports", "sections", "sentences", "tables", "table_cells", "mentions", "indicators", "claims",
                   "theme_coverage"]


def _copy_seeds(dst: Path) -> None:
    dst.mkdir(parents=True, exist_ok=True)
    for p in SEEDS:
        shutil.copy(p, dst / p.name)
    shutil.copy(RAW / "manifest.csv", dst / "manifest.csv")


def _add_manifest_rows(raw: Path, rows: list[dict]) -> None:
    with (raw / "manifest.csv").open("a", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["file", "city", "province", "year", "period", "report_type", "title",
                                           "published", "source"])
        for r in rows:
            w.writerow(r)


def _build(raw: Path, clean: Path, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lib", "build", "--raw", str(raw), "--clean", str(clean), "--quiet"],
                          cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    _copy_seeds(raw)
    seed = SEEDS[3].read_text(encoding="utf-8")
    (raw / "empty.txt").write_bytes(b"")
    (raw / "binary.txt").write_bytes(bytes(range(256)) * 40)
    data = seed.encode("utf-8")
    cut = next(i for i in range(len(data) // 2, len(data)) if data[i] >= 0xE0) + 1  # inside a 3-byte character
    (raw / "truncated.txt").write_bytes(data[:cut])  # mid-sentence and mid-character
    shutil.copy(SEEDS[0], raw / "copy_of_000.txt")
    (raw / "big5.txt").write_bytes(("社會救助標準持續提高，全市低保對象共計三千人。" * 20).encode("big5"))
    (raw / "scan.pdf").write_bytes(b"%PDF-1.4\n% not really a pdf\n")
    _add_manifest_rows(raw, [
        {"file": "missing.txt", "city": "厦门市", "province": "福建省", "year": "2024", "period": "2024",
         "report_type": "work_summary", "title": "", "published": "", "source": ""},
        {"file": "gbk_unknown_city.txt", "city": "Xiamen", "province": "福建省", "year": "2024", "period": "2024",
         "report_type": "work_summary", "title": "", "published": "", "source": ""},
    ])
    (raw / "gbk_unknown_city.txt").write_bytes(seed.replace("2024年工作总结", "2024年度工作总结", 1).encode("gbk"))
    return raw


@pytest.fixture(scope="module")
def alone(tmp_path_factory):
    raw = tmp_path_factory.mktemp("alone")
    _copy_seeds(raw)
    clean = tmp_path_factory.mktemp("alone_clean") / "clean"
    proc = _build(raw, clean)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return clean


def test_bad_folder_names_every_bad_file_and_exits_nonzero(bad_folder, tmp_path):
    clean = tmp_path / "clean"
    proc = _build(bad_folder, clean)
    assert proc.returncode == 1
    out = proc.stdout
    expectations = {
        "empty.txt": "empty", "binary.txt": "binary", "truncated.txt": "truncated", "copy_of_000.txt": "same text as",
        "big5.txt": "big5", "scan.pdf": "PDF", "missing.txt": "not in the raw folder", "gbk_unknown_city.txt": "Xiamen",
    }
    for name, reason in expectations.items():
        lines = [ln for ln in out.splitlines() if ln.startswith(f"ERROR: {name}:")]
        assert lines, f"{name} not named in:\n{out}"
        assert reason in " ".join(lines), lines
    issues = pd.read_csv(clean / "build_issues.csv", encoding="utf-8-sig")
    assert set(expectations) <= set(issues[issues.severity == "error"].file)


def test_a_report_cut_mid_sentence_is_built_with_a_warning(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    text = SEEDS[3].read_text(encoding="utf-8")
    cut = next(i for i in range(len(text) // 2, len(text)) if "\u4e00" <= text[i - 1] <= "\u9fff" and text[i - 20:i].count("。") == 0)
    (raw / "cut.txt").write_text(text[:cut], encoding="utf-8")
    proc = _build(raw, tmp_path / "clean")
    assert "ends mid-sentence" in proc.stdout and "truncated" in proc.stdout


def test_good_reports_build_exactly_as_alone(bad_folder, alone, tmp_path):
    clean = tmp_path / "clean"
    _build(bad_folder, clean)
    seed_ids = {p.stem for p in SEEDS}
    for table in TABLES_COMPARED:
        a = pd.read_parquet(alone / f"{table}.parquet")
        b = pd.read_parquet(clean / f"{table}.parquet")
        b = b[b.report_id.isin(seed_ids)].reset_index(drop=True)
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b, obj=table)


def test_gbk_report_with_a_bad_manifest_city_still_builds(bad_folder, tmp_path):
    clean = tmp_path / "clean"
    _build(bad_folder, clean)
    reports = pd.read_parquet(clean / "reports.parquet").set_index("report_id")
    row = reports.loc["gbk_unknown_city"]
    assert row.encoding == "gb18030" and row.city == "中山市"  # detected from the text, not 'Xiamen'


def test_misspelt_manifest_column_is_an_error_but_read(tmp_path, alone):
    raw = tmp_path / "raw"
    _copy_seeds(raw)
    text = (raw / "manifest.csv").read_text(encoding="utf-8").replace("report_type", "reprot_type", 1)
    (raw / "manifest.csv").write_text(text, encoding="utf-8")
    proc = _build(raw, tmp_path / "clean")
    assert proc.returncode == 1
    assert "reprot_type" in proc.stdout and "report_type" in proc.stdout
    a = pd.read_parquet(alone / "reports.parquet")
    b = pd.read_parquet(tmp_path / "clean" / "reports.parquet")
    pd.testing.assert_frame_equal(a, b)


def test_a_killed_build_leaves_the_previous_complete_set(tmp_path, alone):
    raw = tmp_path / "raw"
    _copy_seeds(raw)
    clean = tmp_path / "clean"
    shutil.copytree(alone, clean)
    before = {p.name: p.read_bytes() for p in clean.iterdir() if p.is_file()}
    (raw / "extra.txt").write_text(SEEDS[4].read_text(encoding="utf-8") + "\n新增一段。", encoding="utf-8")
    env = {**os.environ, "MINZHENG_TEST_KILL_AFTER": "3"}
    proc = _build(raw, clean, env=env)
    assert proc.returncode == -9
    after = {p.name: p.read_bytes() for p in clean.iterdir() if p.is_file()}
    assert after == before
    # the next build cleans up the staging folder and swaps in a complete new set
    assert _build(raw, clean).returncode == 0
    assert not list(tmp_path.glob(".clean.new-*"))
    assert "extra" in set(pd.read_parquet(clean / "reports.parquet").report_id)


def test_report_text_cannot_become_a_formula_in_csv(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "formula.txt").write_text("=HYPERLINK(\"http://x\")厦门市民政局2024年工作总结\n一、2024年工作总结\n"
                                     "(一)兜底保障。\n=HYPERLINK(\"http://x\")全市低保标准提高至1120元。\n", encoding="utf-8")
    proc = _build(raw, tmp_path / "clean")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = (tmp_path / "clean" / "indicators.csv").read_text(encoding="utf-8-sig")  # source_text is the sentence
    assert "'=HYPERLINK" in text
    assert not any(line.startswith("=") or ",=" in line or ',"=' in line for line in text.splitlines())
    for csv_file in (tmp_path / "clean").glob("*.csv"):
        assert not any(line.startswith("=") or ",=" in line or ',"=' in line
                       for line in csv_file.read_text(encoding="utf-8-sig").splitlines()), csv_file.name
