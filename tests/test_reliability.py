"""Reliability (issue 9): the tool never deletes what is not its own, never hangs, and one file never
sinks the build. Each test reproduces one of the issue's cases; the numbers in the names follow it.

Item 2 (a failing re-render keeps the previous HTML and figures) is tested in
tests/test_notebooks.py::test_broken_notebook_fails_alone, which has a rendered corpus at hand.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import RAW, ROOT
from lib import folders
from lib.build import PARALLEL_MIN_FILES, build_corpus
from lib.manifest import read_manifest

SEEDS = sorted(RAW.glob("*.txt"))


def _copy_seeds(dst: Path) -> Path:
    dst.mkdir(parents=True, exist_ok=True)
    for p in SEEDS:
        shutil.copy(p, dst / p.name)
    shutil.copy(RAW / "manifest.csv", dst / "manifest.csv")
    return dst


def _cli(*args, cwd=ROOT, env=None, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lib", *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, timeout=timeout)


def _build(raw: Path, clean: Path, *extra, env=None, cwd=ROOT) -> subprocess.CompletedProcess:
    return _cli("build", "--raw", raw, "--clean", clean, "--quiet", *extra, env=env, cwd=cwd)


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder (hidden ones and .git included) with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def seed_clean(tmp_path_factory) -> Path:
    """The seeds built once by the CLI: a clean folder the tool owns."""
    raw = _copy_seeds(tmp_path_factory.mktemp("seed_raw"))
    clean = tmp_path_factory.mktemp("seed_build") / "clean"
    proc = _build(raw, clean)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return clean


# --- 1. only the tool's own folders are ever replaced -----------------------------------------------
def test_1_clean_pointing_at_the_raw_folder_deletes_nothing(tmp_path):
    raw = _copy_seeds(tmp_path / "raw")
    (raw / "NOTES.md").write_text("my notes\n", encoding="utf-8")
    before = _snapshot(raw)
    proc = _build(raw, raw)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "holds the raw folder" in proc.stderr
    assert _snapshot(raw) == before
    assert "Traceback" not in proc.stderr


def test_1_clean_pointing_at_a_project_folder_deletes_nothing(tmp_path):
    """`--clean .` inside a clone: the folder holds .git and uncommitted work, so it is refused."""
    clone = tmp_path / "clone"
    (clone / ".git").mkdir(parents=True)
    (clone / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (clone / "work.py").write_text("print('uncommitted')\n", encoding="utf-8")
    raw = _copy_seeds(tmp_path / "raw")
    before = _snapshot(clone)
    proc = _build(raw, ".", cwd=clone)
    assert proc.returncode == 2
    assert "not a clean folder written by minzheng-compare" in proc.stderr and "nothing in it was touched" in proc.stderr
    assert _snapshot(clone) == before
    assert not list(tmp_path.glob(".clone.*"))  # no staging folder or lock either


def test_1_clean_folder_of_outputs_plus_a_user_file_is_refused(seed_clean, tmp_path):
    clean = tmp_path / "clean"
    shutil.copytree(seed_clean, clean)
    (clean / folders.MARKER).unlink()  # a folder from before the marker …
    (clean / "NOTES.md").write_text("mine\n", encoding="utf-8")  # … that also holds a user's file
    before = _snapshot(clean)
    proc = _build(_copy_seeds(tmp_path / "raw"), clean)
    assert proc.returncode == 2 and "NOTES.md is not one of its outputs" in proc.stderr
    assert _snapshot(clean) == before


def test_1_pre_marker_clean_folder_of_outputs_only_is_rebuilt_and_marked(seed_clean, tmp_path):
    """Migration: a clean folder written before the marker existed, holding only the tool's outputs."""
    clean = tmp_path / "clean"
    shutil.copytree(seed_clean, clean)
    (clean / folders.MARKER).unlink()
    (clean / ".gitkeep").touch()
    proc = _build(_copy_seeds(tmp_path / "raw"), clean)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert folders.marker_kind(clean) == "clean" and (clean / ".gitkeep").is_file()


def test_1_empty_and_missing_clean_folders_are_written(tmp_path):
    raw = _copy_seeds(tmp_path / "raw")
    (tmp_path / "empty").mkdir()
    for clean in (tmp_path / "empty", tmp_path / "missing" / "clean"):
        proc = _build(raw, clean)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert (clean / "reports.parquet").is_file() and folders.marker_kind(clean) == "clean"


def test_1_a_clean_folder_is_not_a_reports_folder(seed_clean, tmp_path):
    proc = _cli("render", "--clean", seed_clean, "--reports", seed_clean, "--figures", tmp_path / "f",
                "--theme", "social_assistance")
    assert proc.returncode == 2 and "the tool's clean folder, not a reports folder" in proc.stderr


@pytest.mark.parametrize("option", ["--reports", "--figures"])
def test_1_render_refuses_a_user_folder(seed_clean, tmp_path, option):
    user = tmp_path / "docs"
    user.mkdir()
    (user / "overview.html").write_text("<p>my own page</p>", encoding="utf-8")
    (user / "overview").mkdir()
    (user / "overview" / "photo.png").write_bytes(b"\x89PNG mine")
    before = _snapshot(user)
    other = {"--reports": tmp_path / "r", "--figures": tmp_path / "f"}
    other[option] = user
    proc = _cli("render", "--clean", seed_clean, "--reports", other["--reports"], "--figures", other["--figures"])
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"give {option} a new or empty folder" in proc.stderr
    assert _snapshot(user) == before


def test_1_export_refuses_a_user_out_folder(seed_clean, tmp_path):
    user = tmp_path / "mine"
    user.mkdir()
    (user / "minzheng.xlsx").write_bytes(b"my own workbook")
    (user / "budget.xlsx").write_bytes(b"another")
    before = _snapshot(user)
    proc = _cli("export", "--clean", seed_clean, "--figures", tmp_path / "nofigs", "--out", user)
    assert proc.returncode == 2 and "budget.xlsx is not one of its outputs" in proc.stderr
    assert _snapshot(user) == before
    fresh = tmp_path / "exports"
    proc = _cli("export", "--clean", seed_clean, "--figures", tmp_path / "nofigs", "--out", fresh)
    assert proc.returncode == 0, proc.stderr
    assert (fresh / "minzheng.xlsx").is_file() and folders.marker_kind(fresh) == "exports"


# --- 3. a dead worker costs only the file it was parsing ---------------------------------------------
def _corpus(folder: Path, n: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for i in range(n):
        seed = SEEDS[i % len(SEEDS)]
        name = f"{i:02d}_{seed.name}"
        (folder / name).write_text(seed.read_text(encoding="utf-8") + f"\n附:本件为第{i + 1}份副本。\n", encoding="utf-8")
        names.append(name)
    return names


def test_3_a_worker_killed_once_costs_nothing(tmp_path, monkeypatch):
    names = _corpus(tmp_path / "raw", PARALLEL_MIN_FILES + 4)
    monkeypatch.setenv("MINZHENG_TEST_WORKER_DIES", names[2])
    monkeypatch.setenv("MINZHENG_TEST_DIE_ONCE", str(tmp_path / "died"))
    result = build_corpus(tmp_path / "raw", progress=False, jobs=2)
    assert (tmp_path / "died").exists()  # the worker really was killed
    assert result.errors == [] and len(result.tables["reports"]) == len(names)


def test_3_a_file_that_kills_its_worker_fails_alone(tmp_path, monkeypatch):
    names = _corpus(tmp_path / "raw", PARALLEL_MIN_FILES + 4)
    monkeypatch.setenv("MINZHENG_TEST_WORKER_DIES", names[5])
    result = build_corpus(tmp_path / "raw", progress=False, jobs=2)
    assert [f for f, _ in result.errors] == [names[5]] and "died" in result.errors[0][1]
    assert len(result.tables["reports"]) == len(names) - 1


def test_3_when_most_files_fail_the_previous_set_is_kept(seed_clean, tmp_path):
    clean = tmp_path / "clean"
    shutil.copytree(seed_clean, clean)
    before = _snapshot(clean)
    raw = _copy_seeds(tmp_path / "raw")
    for p in list(raw.glob("*.txt"))[1:]:
        p.write_bytes(b"\x00\x01\x02" * 300)  # 4 of 5 reports now fail
    proc = _build(raw, clean)
    assert proc.returncode == 1
    assert "4 of 5 report files failed, so the previous clean set" in proc.stdout and "--force" in proc.stdout
    assert _snapshot(clean) == before
    proc = _build(raw, clean, "--force")
    assert proc.returncode == 1 and len(pd.read_parquet(clean / "reports.parquet")) == 1


# --- 4. an empty raw folder is an error ----------------------------------------------------------------
def test_4_empty_raw_folder_is_an_error_and_keeps_the_clean_set(seed_clean, tmp_path):
    clean = tmp_path / "clean"
    shutil.copytree(seed_clean, clean)
    before = _snapshot(clean)
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / "manifest.csv", raw / "manifest.csv")
    proc = _build(raw, clean)
    assert proc.returncode == 1 and "holds no report files" in proc.stderr
    assert _snapshot(clean) == before


# --- 5. the manifest is read strictly, line by line ----------------------------------------------------
HEADER = "file,city,province,year,period,report_type,title,published,source\n"


def test_5_unclosed_quote_is_an_error_naming_its_line_and_later_rows_are_read(tmp_path):
    (tmp_path / "manifest.csv").write_text(
        HEADER
        + 'a.txt,厦门市,福建省,2024,2024,work_summary,"厦门市民政局2024年工作总结,,\n'
        + "b.txt,温州市,浙江省,2023,2023,work_summary,温州市民政局2023年工作总结,,\n"
        + "c.txt,中山市,广东省,2022,2022,work_summary,中山市民政局工作总结,,\n", encoding="utf-8")
    m = read_manifest(tmp_path)
    assert set(m.rows) == {"b.txt", "c.txt"}
    assert m.rows["b.txt"]["title"] == "温州市民政局2023年工作总结" and m.rows["c.txt"]["city"] == "中山市"
    [(name, msg)] = m.problems
    assert name == "a.txt" and "line 2" in msg and "never closed" in msg


def test_5_unclosed_quote_in_the_seed_manifest_leaves_the_other_seeds_unchanged(seed_clean, tmp_path):
    raw = _copy_seeds(tmp_path / "raw")
    lines = (raw / "manifest.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    first = lines[1].split(",", 1)[0]
    lines[1] = lines[1].replace(",厦门市,", ',"厦门市,', 1)
    (raw / "manifest.csv").write_text("".join(lines), encoding="utf-8")
    proc = _build(raw, tmp_path / "clean")
    assert proc.returncode == 1
    assert f"ERROR: {first}: manifest.csv line 2 opens a quote" in proc.stdout
    a = pd.read_parquet(seed_clean / "indicators.parquet")
    b = pd.read_parquet(tmp_path / "clean" / "indicators.parquet")
    others = [p.stem for p in SEEDS if p.name != first]
    pd.testing.assert_frame_equal(a[a.report_id.isin(others)].reset_index(drop=True),
                                  b[b.report_id.isin(others)].reset_index(drop=True))
    reports = pd.read_parquet(tmp_path / "clean" / "reports.parquet").set_index("report_id")
    assert (reports.drop(index=Path(first).stem).metadata_source == "manifest").all()


def test_5_wrong_field_counts_and_huge_fields_are_row_errors(tmp_path):
    huge = "c.txt,中山市,广东省,2022,2022,work_summary," + "长" * 140_000 + ",,"
    (tmp_path / "manifest.csv").write_text(
        HEADER
        + "a.txt,厦门市,福建省,2024,2024,work_summary,标题,含逗号,,\n"
        + "b.txt,温州市,浙江省\n"
        + huge + "\n"
        + "d.txt,中山市,广东省,2022,2022,work_summary,中山市民政局工作总结,,\n", encoding="utf-8")
    m = read_manifest(tmp_path)
    assert set(m.rows) == {"d.txt"}
    msgs = dict(m.problems)
    assert "line 2 has 10 fields but the header has 9" in msgs["a.txt"]
    assert "line 3 has 3 fields" in msgs["b.txt"]
    assert f"line 4 is {len(huge):,} characters long" in msgs["c.txt"]


def test_15_a_folder_named_manifest_csv_is_a_message(tmp_path):
    raw = _copy_seeds(tmp_path / "raw")
    (raw / "manifest.csv").unlink()
    (raw / "manifest.csv").mkdir()
    proc = _build(raw, tmp_path / "clean")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr + proc.stdout
    assert "manifest.csv: " in proc.stdout and "is not a file" in proc.stdout
