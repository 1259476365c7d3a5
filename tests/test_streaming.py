"""The streaming build: chunks written as parts and combined, with the tables, types and files of a
whole-corpus build; duplicates found across chunks; CSV copies only where Excel can open them."""

from __future__ import annotations

import csv
import io
import os
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from conftest import RAW
from lib import build, folders, parts, schema
from lib.build import build_corpus, write_clean
from lib.files import write_csv_rows

SEEDS = sorted(RAW.glob("*.txt"))


def _copies(folder, n: int) -> list[str]:
    """n distinct reports: the seeds, each copy with a line of its own (so no two texts are the same)."""
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for i in range(n):
        seed = SEEDS[i % len(SEEDS)]
        name = f"{i:02d}_{seed.name}"
        (folder / name).write_text(seed.read_text(encoding="utf-8") + f"\n附:本件为第{i + 1}份副本。\n", encoding="utf-8")
        names.append(name)
    return names


def _by_theme(df: pd.DataFrame) -> pd.DataFrame:
    """The rows as a theme-grouped table holds them (lib.parts.theme_order)."""
    idx, _ = parts.theme_order(df["theme"])
    return df.iloc[idx].reset_index(drop=True) if idx is not None else df


# --- the schema's validation -------------------------------------------------------------------------
def _pandera_validate(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """What schema.validate did with pandera before it was vectorised: the reference it must equal."""
    for name, kind, _ in schema.SCHEMAS[table]["columns"]:
        if name not in df.columns and kind.endswith("?"):
            df = df.assign(**{name: None})
        if kind == "str?":
            df[name] = df[name].astype(object).where(df[name].notna(), "")
    return schema.pandera_schema(table).validate(df)[schema.columns(table)].reset_index(drop=True)


def test_validate_gives_what_pandera_gives_on_the_seeds():
    per_report = [build.parse_report(p)[0].tables for p in SEEDS]
    for table in per_report[0]:
        df = pd.concat([t[table] for t in per_report if not t[table].empty], ignore_index=True)
        pd.testing.assert_frame_equal(schema.validate(table, df.copy()), _pandera_validate(table, df.copy()), obj=table)
    for table in schema.SCHEMAS:
        empty = pd.DataFrame({c: [] for c in schema.columns(table)})
        pd.testing.assert_frame_equal(schema.empty(table), _pandera_validate(table, empty), obj=table)


def test_validate_refuses_what_breaks_the_schema():
    ok = {"report_id": ["a", "b"], "theme": ["x", "x"], "n_sentences": [1, 2], "n_chars": [3, 4], "share": [0.5, 0.5]}
    assert list(schema.validate("theme_coverage", pd.DataFrame({**ok, "extra": [1, 2]})).columns) == \
        schema.columns("theme_coverage")  # extra columns are dropped
    for bad, message in [({"report_id": ["a", None]}, "empty value"), ({"n_chars": ["3", "x"]}, "cannot be read"),
                         ({"report_id": ["a", "a"]}, "not unique")]:
        with pytest.raises(schema.SchemaError, match=message):
            schema.validate("theme_coverage", pd.DataFrame({**ok, **bad}))
    with pytest.raises(schema.SchemaError, match="missing"):
        schema.validate("theme_coverage", pd.DataFrame({k: v for k, v in ok.items() if k != "share"}))
    with pytest.raises(schema.SchemaError, match="char_start"):
        schema.validate("furniture", pd.DataFrame({"report_id": ["a"], "kind": ["x"], "text": ["t"],
                                                   "char_start": [5], "char_end": [2]}))


# --- chunks and parts ------------------------------------------------------------------------------------
def test_chunks_give_the_tables_of_one_piece_and_a_row_group_each(tmp_path, monkeypatch):
    names = _copies(tmp_path / "raw", 7)
    monkeypatch.setattr(build, "CHUNK_FILES", 100)
    whole = build_corpus(tmp_path / "raw", progress=False)
    monkeypatch.setattr(build, "CHUNK_FILES", 2)
    chunked = build_corpus(tmp_path / "raw", progress=False)
    for name in schema.SCHEMAS:
        pd.testing.assert_frame_equal(whole.tables[name], chunked.tables[name], obj=name)
    write_clean(chunked, tmp_path / "clean")
    sentences = pq.ParquetFile(tmp_path / "clean" / "sentences.parquet")
    assert sentences.metadata.num_row_groups == len(build.chunk_bounds(len(names)))  # one a chunk
    assert build.chunk_bounds(len(names)) == [(0, 2), (2, 4), (4, 5), (5, 6), (6, 7)]  # the tail in smaller chunks
    ids = pd.read_parquet(tmp_path / "clean" / "sentences.parquet", columns=["report_id"]).report_id
    assert list(dict.fromkeys(ids)) == [n.removesuffix(".txt") for n in names]  # rows in file-name order
    assert sorted(p.name for p in (tmp_path / "clean" / "texts").iterdir()) == sorted(f"{n[:-4]}.txt" for n in names)
    _one_theme_per_row_group(tmp_path / "clean", chunked)


def _csv(parquet: Path) -> str:
    """A table's CSV copy as it would be if the whole Parquet file were formatted at once."""
    out = io.BytesIO()
    write_csv_rows(pq.read_table(parquet), out, header=True)
    return out.getvalue().decode("utf-8")


def _one_theme_per_row_group(clean, result) -> None:
    """The tables a notebook reads by theme: each row group holds one theme (so a filter on the theme
    skips the others), the themes in the catalogue's order, each theme's rows in file order; the CSV
    copy has the same rows in the same order."""
    import pyarrow.dataset as ds

    from lib.themes import theme_ids

    for table in schema.THEME_GROUPED:
        f = pq.ParquetFile(clean / f"{table}.parquet")
        themes = [f.read_row_group(i, columns=["theme"]).column("theme").unique().to_pylist()
                  for i in range(f.metadata.num_row_groups)]
        df = pd.read_parquet(clean / f"{table}.parquet")
        if df.empty:
            continue
        assert all(len(t) == 1 for t in themes), (table, themes)
        order = [theme_ids().index(t[0]) for t in themes]
        assert order == sorted(order), table
        pd.testing.assert_frame_equal(df, _by_theme(result.tables[table]), obj=table)
        if table in result.csv:
            with open(clean / f"{table}.csv", encoding="utf-8-sig", newline="") as fh:
                assert fh.read() == _csv(clean / f"{table}.parquet"), table
        theme = df["theme"].iloc[-1]
        fragment = next(iter(ds.dataset(clean / f"{table}.parquet").get_fragments()))
        kept = fragment.split_by_row_group(ds.field("theme") == theme)
        assert len(kept) == sum(t == [theme] for t in themes) < len(themes) or len(set(df["theme"])) == 1, table


def test_a_worker_sends_back_only_the_small_tables(tmp_path):
    store = parts.Parts()
    try:
        chunk = build.parse_chunk("000000", SEEDS[:2], {}, store.path)
        assert set(chunk.memory) <= set(build.IN_MEMORY) and "sentences" in chunk.written
        assert (store.path / "sentences" / "000000.arrow").is_file()
        assert [r.file for r in chunk.reports] == [p.name for p in SEEDS[:2]]
        assert sorted(p.name for p in (store.path / "texts").iterdir()) == sorted(f"{p.stem}.txt" for p in SEEDS[:2])
    finally:
        store.close()
    assert not store.path.exists()


def test_a_chunk_builds_each_table_once_as_its_reports_frames_would():
    """A chunk stacks its reports' rows into one frame per table: the same table as each report's
    own frames concatenated (what the build did before), once validated."""
    per_report = [build.parse_report(p)[0].tables for p in SEEDS]
    store = parts.Parts()
    try:
        chunk = build.parse_chunk("000000", SEEDS, {}, store.path)
        for t in chunk.written:
            store.add(t, chunk.name)
        for t in build.REPORT_TABLES:
            frames = [r[t] for r in per_report if not r[t].empty]
            expected = schema.validate(t, pd.concat(frames, ignore_index=True)) if frames else schema.empty(t)
            if t in schema.THEME_GROUPED and t not in chunk.memory:  # a part holds its rows theme by theme
                expected = _by_theme(expected)
            got = chunk.memory[t] if t in chunk.memory else store.frame(t)
            pd.testing.assert_frame_equal(got, expected, obj=t)
    finally:
        store.close()


def test_a_duplicate_in_another_chunk_is_left_out_of_every_table(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    _copies(raw, 5)
    shutil.copy(raw / f"00_{SEEDS[0].name}", raw / "99_dup.txt")  # same text as the first, three chunks later
    shutil.copy(raw / f"01_{SEEDS[1].name}", raw / "50_listed.txt")  # listed in the manifest: it wins over 01_
    with (raw / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["file", "city", "province", "year", "period", "report_type", "title",
                                           "published", "source"])
        w.writeheader()
        w.writerow({"file": "50_listed.txt", "city": "厦门市", "province": "福建省", "year": "2024"})
    monkeypatch.setattr(build, "CHUNK_FILES", 2)
    result = build_corpus(raw, progress=False)
    assert {f for f, m in result.errors if "same text as" in m} == {"99_dup.txt", f"01_{SEEDS[1].name}"}
    dropped = {"99_dup", f"01_{SEEDS[1].stem}"}
    for name in ("reports", "sentences", "mentions", "indicators", "claims", "theme_coverage"):
        assert not dropped & set(result.tables[name].report_id), name
    assert "50_listed" in set(result.tables["reports"].report_id)
    write_clean(result, tmp_path / "clean")
    for name in ("claims", "theme_coverage", "tables"):  # the workers' CSV rows, and the parts formatted again
        whole = _csv(tmp_path / "clean" / f"{name}.parquet")
        with open(tmp_path / "clean" / f"{name}.csv", encoding="utf-8-sig", newline="") as fh:
            assert fh.read() == whole, name
    assert not dropped & {p.stem for p in (tmp_path / "clean" / "texts").iterdir()}
    assert not dropped & set(pd.read_parquet(tmp_path / "clean" / "sentences.parquet").report_id)
    assert result.counts["sentences"] == len(pd.read_parquet(tmp_path / "clean" / "sentences.parquet"))


# --- the clean folder -----------------------------------------------------------------------------------
def test_clean_files_have_the_schemas_types(built):
    _, clean = built
    for table in schema.SCHEMAS:
        assert pq.read_schema(clean / f"{table}.parquet").equals(parts.arrow_schema(table), check_metadata=True), table
        assert pd.read_parquet(clean / f"{table}.parquet").dtypes.equals(schema.empty(table).dtypes), table


def test_csv_copies_only_for_tables_excel_can_open(built, tmp_path, monkeypatch):
    result, clean = built
    assert sorted(p.stem for p in clean.glob("*.csv")) == sorted(build.CSV_TABLES)
    indicators = pd.read_csv(clean / "indicators.csv", encoding="utf-8-sig", keep_default_na=False)
    assert len(indicators) == len(result.tables["indicators"])
    monkeypatch.setattr(build, "EXCEL_MAX_ROWS", len(result.tables["claims"]) - 1)
    small = build_corpus(RAW, progress=False)
    write_clean(small, tmp_path / "clean")
    assert not (tmp_path / "clean" / "claims.csv").exists() and (tmp_path / "clean" / "claims.parquet").exists()
    issues = small.tables["build_issues"]
    assert "claims.csv" in set(issues.file) and "read claims.parquet" in issues.set_index("file").loc["claims.csv",
                                                                                                     "message"]


def test_parts_wait_beside_the_clean_folder_and_a_killed_builds_are_removed(tmp_path):
    clean = tmp_path / "clean"
    stale = tmp_path / ".clean.parts-1-dead"  # a build killed before it removed its parts: nobody holds its lock
    stale.mkdir()
    (stale / ".lock").touch()
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEEDS[0], raw / SEEDS[0].name)
    result = build_corpus(raw, progress=False, near=clean)
    mine = result.parts.path
    assert mine.parent == tmp_path and mine.name.startswith(".clean.parts-")
    write_clean(result, clean)  # recovers the folder: removes the dead build's parts, not this live one's
    assert not stale.exists() and mine.is_dir()
    assert (clean / "texts" / f"{SEEDS[0].stem}.txt").read_text(encoding="utf-8") == \
        (mine / "texts" / f"{SEEDS[0].stem}.txt").read_text(encoding="utf-8")
    result.close()
    assert not mine.exists()
    assert (clean / "texts" / f"{SEEDS[0].stem}.txt").is_file()  # a hard link or a copy: it outlives the parts
    assert folders.marker_kind(clean) == "clean" and not list(tmp_path.glob(".clean.parts-*"))


def test_a_text_is_copied_where_the_disk_has_no_hard_links(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("文本", encoding="utf-8")

    def refuse(a, b):
        raise OSError(os.strerror(18))

    parts.place_text(src, tmp_path / "b.txt", link=refuse)
    assert (tmp_path / "b.txt").read_text(encoding="utf-8") == "文本"
