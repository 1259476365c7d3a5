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


def _drop_seed(raw: Path, seed: Path) -> None:
    """Take one seed out of a raw folder, with its manifest row."""
    (raw / seed.name).unlink()
    manifest = raw / "manifest.csv"
    lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    manifest.write_text("".join(ln for ln in lines if not ln.startswith(seed.name + ",")), encoding="utf-8")


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


# --- 6. two files with one stem ----------------------------------------------------------------------
def test_6_same_stem_files_do_not_sink_the_build(tmp_path):
    raw = _copy_seeds(tmp_path / "raw")
    (raw / "quanzhou.txt").write_text(SEEDS[3].read_text(encoding="utf-8"), encoding="utf-8")
    (raw / "quanzhou.html").write_text("<html><body><p>" + SEEDS[4].read_text(encoding="utf-8").replace("\n", "</p><p>")
                                       + "</p></body></html>", encoding="utf-8")
    result = build_corpus(raw, progress=False)
    assert [f for f, _ in result.errors] == ["quanzhou.txt"]
    assert "both would be report 'quanzhou'" in result.errors[0][1] and "rename one" in result.errors[0][1]
    ids = list(result.tables["reports"].report_id)
    assert "quanzhou" in ids and len(ids) == len(SEEDS) + 1
    assert result.tables["reports"].set_index("report_id").loc["quanzhou", "file"] == "quanzhou.html"


# --- 7. linear time and memory; limits ----------------------------------------------------------------
def test_7_mentions_point_at_their_sentence_instead_of_copying_it(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "years.txt").write_text("厦门市民政局2024年工作总结\n一、社会救助\n全市" + "2024年" * 20_000 + "。\n", encoding="utf-8")
    result = build_corpus(raw, progress=False)
    mentions = result.tables["mentions"]
    assert len(mentions) == 20_001 and "source_text" not in mentions.columns
    sentence = result.tables["sentences"].set_index("sentence_id").loc[mentions.sentence_id.iloc[-1]]
    text = sentence.text
    last = mentions.iloc[-1]
    assert text[last.char_start - sentence.char_start: last.char_end - sentence.char_start] == "2024年"
    from lib.build import write_clean

    write_clean(result, tmp_path / "clean")
    assert (tmp_path / "clean" / "mentions.parquet").stat().st_size < 5_000_000  # was 2.8 GB: each row held the sentence
    assert not (tmp_path / "clean" / "mentions.csv").exists()  # grows with the text: Parquet only (README, CSV copies)


def test_7_a_long_run_of_thousands_groups_that_ends_badly_reads_correctly():
    from lib.numbers import find_quantities

    text = "全市共有1" + ",000" * 16_000 + ",00人。"  # 64 KB; the regex used to retry every group at every digit
    assert [q.text for q in find_quantities(text)][:1] == ["1"]
    good = "全市共有1" + ",000" * 5 + "人。"
    assert [(q.text, q.value) for q in find_quantities(good)] == [("1" + ",000" * 5 + "人", 1e15)]


@pytest.mark.parametrize("limit,value,text,reason", [
    ("MAX_SENTENCE_CHARS", 500, "全市" + "社会救助" * 300 + "。\n", "holds a sentence of 1,203 characters"),
    ("MAX_TABLE_CELLS", 150, "| 区 | 人数 |\n" + "".join(f"| 区{i} | {i} |\n" for i in range(100)), "holds 200 table cells"),
])
def test_7_a_report_past_a_limit_fails_alone(tmp_path, monkeypatch, limit, value, text, reason):
    import lib.build

    monkeypatch.setattr(lib.build, limit, value)
    raw = _copy_seeds(tmp_path / "raw")
    (raw / "huge.txt").write_text("厦门市民政局2024年工作总结\n一、社会救助\n" + text, encoding="utf-8")
    result = build_corpus(raw, progress=False)
    assert [f for f, _ in result.errors] == ["huge.txt"]
    assert reason in result.errors[0][1] and "over the limit" in result.errors[0][1]
    assert len(result.tables["reports"]) == len(SEEDS)


def test_7_file_size_limit(tmp_path, monkeypatch):
    import lib.ingest

    monkeypatch.setattr(lib.ingest, "MAX_FILE_MB", 0.01)
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEEDS[0], raw / "big.txt")
    result = build_corpus(raw, progress=False)
    assert "over the limit of 0.01 MB" in result.errors[0][1]


def test_7_a_sentence_of_many_figures_keeps_its_mentions_without_indicators(tmp_path):
    from lib.limits import MAX_INDICATOR_FIGURES

    raw = tmp_path / "raw"
    raw.mkdir()
    n = MAX_INDICATOR_FIGURES + 1
    figures = ",".join(f"城市低保标准提高到{1000 + i}元" for i in range(n))
    (raw / "many.txt").write_text(f"厦门市民政局2024年工作总结\n一、社会救助\n{figures}。\n", encoding="utf-8")
    result = build_corpus(raw, progress=False)
    assert result.errors == []
    assert (result.tables["mentions"].unit == "元").sum() == n and len(result.tables["indicators"]) == 0
    assert any(f"holds {n:,} figures" in m for _, m in result.warnings)


# --- 8. deep HTML ------------------------------------------------------------------------------------
def test_8_html_nested_thousands_deep_builds(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    def body(seed):
        return "".join(f"<p>{line}</p>" for line in seed.read_text(encoding="utf-8").splitlines() if line.strip())

    (raw / "deep.html").write_text("<html><body>" + "<b>" * 3000 + body(SEEDS[3]) + "</b>" * 3000 + "</body></html>",
                                   encoding="utf-8")
    (raw / "tables.html").write_text("<html><body>" + "<table><tr><td>" * 1000 + body(SEEDS[4])
                                     + "</td></tr></table>" * 1000 + "</body></html>", encoding="utf-8")
    result = build_corpus(raw, progress=False)
    assert result.errors == [], result.errors
    assert (result.tables["sentences"].groupby("report_id").size() > 50).all()


# --- 9, 12. locks: builds wait for each other, and for a render reading ---------------------------------
def test_9_two_builds_into_one_clean_folder_both_succeed(tmp_path):
    raw = _copy_seeds(tmp_path / "raw")
    clean = tmp_path / "clean"
    cmd = [sys.executable, "-m", "lib", "build", "--raw", str(raw), "--clean", str(clean), "--quiet"]
    procs = [subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outs
    assert not any("Traceback" in err for _, err in outs)
    assert len(pd.read_parquet(clean / "reports.parquet")) == len(SEEDS)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".clean.lock", "clean", "raw"]


def test_9_12_a_build_waits_while_the_clean_folder_is_read(seed_clean, tmp_path):
    clean = tmp_path / "clean"
    shutil.copytree(seed_clean, clean)
    raw = _copy_seeds(tmp_path / "raw")
    _drop_seed(raw, SEEDS[0])
    before = _snapshot(clean)
    with folders.locked(clean, shared=True):  # what render and export hold while they read
        proc = subprocess.Popen([sys.executable, "-m", "lib", "build", "--raw", str(raw), "--clean", str(clean), "--quiet"],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        waiting = proc.stderr.readline()
        assert "waiting" in waiting and str(clean) in waiting
        assert proc.poll() is None and _snapshot(clean) == before  # nothing swapped while it is read
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, out + err
    assert len(pd.read_parquet(clean / "reports.parquet")) == len(SEEDS) - 1


def test_12_render_holds_the_read_lock_and_fingerprints_what_it_reads(seed_clean, tmp_path, monkeypatch):
    import fcntl

    from lib import render as render_mod

    seen = {}

    def fake(clean, figs, reports, *args):
        fd = os.open(folders.lock_path(clean), os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            seen["locked"] = False
        except BlockingIOError:
            seen["locked"] = True
        finally:
            os.close(fd)
        jobs, _ = render_mod.plan(clean, figs, "notebooks", ["social_assistance"], None, False)
        render_mod._keys(jobs, clean, "python3")
        seen["key"] = jobs[0].key
        return 0, []

    monkeypatch.setattr(render_mod, "_render_locked", fake)
    clean = tmp_path / "clean"
    shutil.copytree(seed_clean, clean)
    render_mod.render(clean, tmp_path / "f", tmp_path / "r", themes=["social_assistance"])
    assert seen["locked"] is True  # a build cannot swap while render reads
    first = seen["key"]
    render_mod.render(clean, tmp_path / "f", tmp_path / "r", themes=["social_assistance"])
    assert seen["key"] == first
    # the fingerprint is of the content read: a rebuild with one report fewer changes it
    raw = _copy_seeds(tmp_path / "raw")
    _drop_seed(raw, SEEDS[1])
    assert _build(raw, clean).returncode == 0
    render_mod.render(clean, tmp_path / "f", tmp_path / "r", themes=["social_assistance"])
    assert seen["key"] != first


# --- 10, 15. read-only folders -------------------------------------------------------------------------
def _make_readonly(path: Path):
    if os.geteuid() == 0:  # root ignores mode bits: make it immutable instead
        if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
            pytest.skip("running as root without chattr")
        return lambda: subprocess.run(["chattr", "-i", str(path)], check=True)
    mode = path.stat().st_mode
    path.chmod(0o555)
    return lambda: path.chmod(mode)


def test_10_read_only_clean_folder_is_detected_up_front(seed_clean, tmp_path):
    clean = tmp_path / "clean"
    shutil.copytree(seed_clean, clean)
    before = _snapshot(clean)
    undo = _make_readonly(clean)
    try:
        proc = _build(_copy_seeds(tmp_path / "raw"), clean)
    finally:
        undo()
    assert proc.returncode == 2 and "is read-only" in proc.stderr and "Traceback" not in proc.stderr
    assert _snapshot(clean) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean", "raw"]  # no .clean.old, no staging
    assert _build(tmp_path / "raw", clean).returncode == 0  # and the next build works


def test_15_read_only_parent_and_out_folders_are_messages(seed_clean, tmp_path):
    parent = tmp_path / "locked"
    parent.mkdir()
    undo = _make_readonly(parent)
    try:
        build = _build(_copy_seeds(tmp_path / "raw"), parent / "clean")
        export = _cli("export", "--clean", seed_clean, "--figures", tmp_path / "nofigs", "--out", parent)
    finally:
        undo()
    for proc in (build, export):
        assert proc.returncode == 2 and "is read-only" in proc.stderr and "Traceback" not in proc.stderr


def test_15_a_writer_lock_creates_a_missing_parent_and_a_reader_creates_nothing(tmp_path):
    """render --reports new/sub/reports (or a build into a new folder) works like mkdir -p; a
    reader's lock (render reading, export) never creates folders it only reads."""
    out = tmp_path / "new" / "sub" / "reports"
    with folders.locked(out):
        assert folders.lock_path(out).is_file()
    with folders.locked(tmp_path / "absent" / "clean", shared=True):
        pass
    assert not (tmp_path / "absent").exists()


# --- 11. the swap: a kill between renames, and readers -------------------------------------------------
def test_11_a_kill_between_the_renames_leaves_readers_the_previous_set(seed_clean, tmp_path):
    from lib import views

    clean = tmp_path / "clean"
    shutil.copytree(seed_clean, clean)
    raw = _copy_seeds(tmp_path / "raw")
    _drop_seed(raw, SEEDS[2])
    proc = _build(raw, clean, env={"MINZHENG_TEST_NO_EXCHANGE": "1", "MINZHENG_TEST_KILL_IN_SWAP": "1"})
    assert proc.returncode == -9 and not clean.exists()  # the worst moment, on a platform without renameat2
    tables = views.load_clean(clean)  # readers find the previous set
    assert len(tables["reports"]) == len(SEEDS)
    export = _cli("export", "--clean", clean, "--figures", tmp_path / "nofigs", "--out", tmp_path / "exports")
    assert export.returncode == 0, export.stderr
    assert _build(raw, clean).returncode == 0  # the next build recovers and swaps
    assert len(pd.read_parquet(clean / "reports.parquet")) == len(SEEDS) - 1
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".clean")) == [".clean.lock"]


def test_11_the_swap_is_one_exchange_where_the_platform_has_it(tmp_path):
    old, new = tmp_path / "clean", tmp_path / ".clean.new-x"
    old.mkdir()
    new.mkdir()
    (old / "a.parquet").write_text("old")
    (new / "a.parquet").write_text("new")
    if not folders.exchange(new, old):
        pytest.skip("no renameat2 on this platform: the two-rename path is tested above")
    assert (old / "a.parquet").read_text() == "new" and (new / "a.parquet").read_text() == "old"


# --- 13. exit codes ----------------------------------------------------------------------------------
def test_13_exit_codes(seed_clean, tmp_path, monkeypatch, capsys):
    from lib import cli

    raw = _copy_seeds(tmp_path / "raw")
    assert cli.main(["build", "--raw", str(raw), "--clean", str(tmp_path / "c0"), "--quiet"]) == 0
    (raw / "empty.txt").write_bytes(b"")
    assert cli.main(["build", "--raw", str(raw), "--clean", str(tmp_path / "c1"), "--quiet"]) == 1
    assert cli.main(["build", "--raw", str(tmp_path / "nowhere"), "--clean", str(tmp_path / "c2")]) == 2
    assert cli.main(["render", "--clean", str(seed_clean), "--theme", "no_such_theme"]) == 2

    def bug(*a, **k):
        raise KeyError("a bug")

    monkeypatch.setattr("lib.build.build_corpus", bug)
    assert cli.main(["build", "--raw", str(raw), "--clean", str(tmp_path / "c3"), "--quiet"]) == 3
    err = capsys.readouterr().err
    assert "internal error: KeyError" in err and "this is a bug" in err


# --- 14. report text is escaped for Markdown -------------------------------------------------------------
def test_14_a_file_name_cannot_become_a_link():
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    from lib import views

    name = "[a](javascript:alert(1)).txt"
    assert 'href="javascript' in markdown2html_mistune(f"<small>{name}</small>")  # what an unescaped note did
    page = markdown2html_mistune(f"**来源**  \n<small>来源: {views.safe(name)}</small>")
    assert "<a " not in page and "javascript:alert(1)" in page  # shown as text
    assert "<h1" not in markdown2html_mistune(views.safe("# 标题\n第二行"))



def test_14_the_sources_list_shows_report_text_as_text_and_links_only_http():
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    from lib import pages

    reports = pd.DataFrame([{"report_id": "[a](javascript:alert(1))", "city": "厦门市", "period": "2024",
                             "title": "[x](javascript:alert(2))", "issuer": "", "published": "",
                             "source": "javascript:alert(3)", "year": 2024, "report_type": "other", "file": "a.txt"},
                            {"report_id": "b", "city": "厦门市", "period": "2023", "title": "厦门市民政局2023年工作总结",
                             "issuer": "", "published": "", "source": "https://mzj.xm.gov.cn/a.htm", "year": 2023,
                             "report_type": "other", "file": "b.txt"}])
    page = markdown2html_mistune(pages.sources_markdown({"reports": reports}))
    assert page.count("<a ") == 1 and 'href="https://mzj.xm.gov.cn/a.htm"' in page
    assert "javascript:alert(1)" in page and "javascript:alert(3)" in page  # shown, never linked


# --- 15. damaged clean tables --------------------------------------------------------------------------
def test_15_a_truncated_parquet_is_a_message_in_render_and_export(seed_clean, tmp_path):
    clean = tmp_path / "clean"
    shutil.copytree(seed_clean, clean)
    data = (clean / "indicators.parquet").read_bytes()
    (clean / "indicators.parquet").write_bytes(data[: len(data) // 2])
    export = _cli("export", "--clean", clean, "--figures", tmp_path / "f", "--out", tmp_path / "e")
    render = _cli("render", "--clean", clean, "--figures", tmp_path / "f", "--reports", tmp_path / "r")
    for proc in (export, render):
        assert proc.returncode == 1 and "Traceback" not in proc.stderr
        assert "indicators.parquet: cannot be read" in proc.stderr and "rebuild" in proc.stderr


# --- 16. messages --------------------------------------------------------------------------------------
def test_16_nel_odd_utf16_and_utf7_get_the_right_message(tmp_path):
    import codecs

    raw = tmp_path / "raw"
    raw.mkdir()
    text = SEEDS[3].read_text(encoding="utf-8")
    (raw / "nel.txt").write_bytes(text.replace("\n", "\x85").encode("utf-8"))
    (raw / "odd16.txt").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le") + b"\x00")
    (raw / "odd16nobom.txt").write_bytes(text.encode("utf-16-le")[:-1])
    (raw / "utf7.html").write_bytes(b'<html><head><meta charset="utf-7"></head><body><p>'
                                    + "厦门市民政局".encode("utf-7") + b"</p></body></html>")
    result = build_corpus(raw, progress=False)
    errors = dict(result.errors)
    assert "nel" in set(result.tables["reports"].report_id)  # NEL is a line ending, not binary
    assert len(result.tables["sentences"]) > 50
    for name in ("odd16.txt", "odd16nobom.txt"):
        assert "UTF-16 text with an odd number of bytes" in errors[name] and "truncated" in errors[name]
    assert "declares charset=utf-7" in errors["utf7.html"]
    assert set(errors) == {"odd16.txt", "odd16nobom.txt", "utf7.html"}


def test_16_messages_stay_on_one_line(tmp_path):
    raw = _copy_seeds(tmp_path / "raw")
    (raw / "two\nlines.txt").write_bytes(b"")
    proc = _build(raw, tmp_path / "clean")
    lines = [ln for ln in proc.stdout.splitlines() if "lines.txt" in ln]
    assert lines == ["ERROR: two\\nlines.txt: file is empty (re-export the report or remove the file)"]


# --- 17. a list of figures ------------------------------------------------------------------------------
@pytest.mark.parametrize("text,values", [
    ("分别为120，340，560人", [120, 340, 560]),
    ("分别为120,340人", [120, 340]),
    ("总额1,234,567元", [1234567]),
    ("分别为1,120元/人·月", [1120]),
    ("城乡低保标准分别提高到1,120元和1,000元", [1120, 1000]),
    ("每人各1,000元", [1000]),
])
def test_17_a_thousands_separator_needs_three_digit_groups_and_no_list(text, values):
    from lib.normalize import normalise
    from lib.numbers import find_quantities

    assert [q.value for q in find_quantities(normalise(text).text)] == values


# --- 18. paths -------------------------------------------------------------------------------------------
def test_18_a_symlink_in_the_raw_folder_is_not_followed(tmp_path):
    raw = _copy_seeds(tmp_path / "raw")
    secret = tmp_path / "outside.txt"
    secret.write_text(SEEDS[3].read_text(encoding="utf-8"), encoding="utf-8")
    (raw / "link.txt").symlink_to(secret)
    result = build_corpus(raw, progress=False)
    assert [f for f, _ in result.errors] == ["link.txt"] and "symbolic link" in result.errors[0][1]
    assert "link" not in set(result.tables["reports"].report_id)


@pytest.mark.parametrize("umask,mode", [(0o022, 0o755), (0o077, 0o700), (0o002, 0o775)])
def test_18_clean_folder_mode_follows_the_umask(tmp_path, umask, mode):
    from lib.build import write_clean

    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEEDS[0], raw / SEEDS[0].name)
    result = build_corpus(raw, progress=False)
    old = os.umask(umask)
    try:
        write_clean(result, tmp_path / "clean")
    finally:
        os.umask(old)
    assert (tmp_path / "clean").stat().st_mode & 0o777 == mode
    assert (tmp_path / "clean" / "texts").stat().st_mode & 0o777 == mode


def test_18_relative_paths_are_taken_from_the_current_folder(seed_clean, tmp_path):
    work = tmp_path / "work"
    _copy_seeds(work / "in")
    assert _build("in", "out", cwd=work).returncode == 0
    assert (work / "out" / "reports.parquet").is_file()
    proc = _cli("export", "--clean", "out", "--figures", "figs", "--out", "exp", cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert (work / "exp" / "minzheng.xlsx").is_file()
    proc = _cli("render", "--clean", "out", "--figures", "figs", "--reports", "rep", "--theme", "no_such_theme", cwd=work)
    assert proc.returncode == 2 and "unknown theme" in proc.stderr  # it found and read ./out


def test_2_a_render_killed_midway_gets_its_previous_figures_back(tmp_path):
    """A kill while a notebook runs leaves its old figures aside; the next render puts them back."""
    from lib.render import restore_figures

    figs = tmp_path / "figures"
    prev = tmp_path / ".figures.prev"
    for folder, content in ((figs / "social_assistance", b"half"), (prev / "social_assistance", b"old"),
                            (prev / "city" / "厦门市", b"old city")):
        folder.mkdir(parents=True)
        (folder / "a.png").write_bytes(content)
    restore_figures(figs)
    assert (figs / "social_assistance" / "a.png").read_bytes() == b"old"
    assert (figs / "city" / "厦门市" / "a.png").read_bytes() == b"old city"
    assert not prev.exists()
