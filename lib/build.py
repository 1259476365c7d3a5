"""raw → clean: parse every report of a raw folder and write the clean tables, all or nothing.

Each report is parsed on its own; a report that fails is named with its reason and the others
build as they would alone. The clean folder is written aside and swapped in at the end, so it
always holds either the previous complete set or the new one.
"""

from __future__ import annotations

import functools
import gc
import os
import shutil
import sys
import time
import uuid
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lib import folders, parts, schema
from lib.comparability import resolve_conflicts
from lib.context import ReportContext, report_context
from lib.derived import derive
from lib.errors import BadInputError, ManifestError, MinzhengError, ReportError
from lib.ingest import SUPPORTED_SUFFIXES, RawReport, read_report
from lib.limits import MAX_SENTENCE_CHARS, MAX_TABLE_CELLS
from lib.manifest import (
    canonical_place,
    check_row,
    city_named_in_text,
    detect_city,
    detect_period,
    detect_report_type,
    detect_year,
    province_wide,
    read_manifest,
)
from lib.places import province_named
from lib.rows import Frames, Rows, record_type, stack
from lib.structure import Structure, segment
from lib.themes import KeywordIndex, classify

TABLES = list(schema.SCHEMAS)
CONTEXT_COLUMNS = ("city", "area_level", "scope", "as_of", "plan_period", "five_year_end")


@dataclass
class ParsedReport:
    """Everything known about one report after parsing: the raw text, its structure and metadata."""

    raw: RawReport
    structure: Structure
    meta: dict
    context: ReportContext | None = None
    section_theme: dict[str, tuple[str, str]] = field(default_factory=dict)
    tables: Frames = field(default_factory=Frames)  # by name: frames built when asked for (lib.rows)
    keywords: KeywordIndex | None = None  # the text's theme keywords, found once (lib.themes)


@dataclass
class BuildResult:
    tables: Mapping[str, pd.DataFrame]  # build.Tables: the large ones are read from the parts when asked for
    errors: list[tuple[str, str]]  # (file, message): each makes the build exit non-zero
    warnings: list[tuple[str, str]]
    seconds: float = 0.0
    n_files: int = 0  # report files in the raw folder
    n_failed: int = 0  # of those, files that did not build
    parts: parts.Parts | None = None  # the tables' parts and the texts, until write_clean has combined them
    counts: dict[str, int] = field(default_factory=dict)  # rows per table
    sentence_themes: Counter = field(default_factory=Counter)  # sentences per theme
    csv: list[str] = field(default_factory=list)  # tables that get a CSV copy

    def close(self) -> None:
        """Remove the build's parts (also done when the result is garbage-collected)."""
        if self.parts is not None:
            self.parts.close()


# --- one report --------------------------------------------------------------------------------
def parse_report(path: Path, manifest_row: dict | None = None) -> tuple[ParsedReport, list[str]]:
    """Read and parse one report into its clean tables; returns it and its warnings."""
    raw = read_report(path)
    detected = detect_year(raw.text)
    listed = _listed_year(manifest_row)
    structure = segment(raw, detected if listed is None else listed)
    _check_limits(raw, structure)
    warnings: list[str] = []
    meta = _metadata(raw, structure, manifest_row, warnings, detected)
    headings = {p.paragraph_id for p in structure.paragraphs if p.is_heading}
    body = [x for x in structure.sentences if x.paragraph_id not in headings]
    if body and len(body[-1].text) > 15 and not body[-1].text.rstrip().endswith(("。", "!", "?", "”", "！", "？", ")")):
        warnings.append(f"the text ends mid-sentence (…{body[-1].text[-12:]}); the file may be truncated")
    warnings.extend(raw.normal.repairs)
    parsed = ParsedReport(raw, structure, meta)
    plan_heads = [s.title for s in structure.sections if s.part == "plan" and s.kind == "part"]
    parsed.context = report_context(meta, plan_heads, raw.text, any(s.kind == "part" for s in structure.sections))
    _assign_themes(parsed)
    rows: dict = {}
    parsed.tables = Frames(_report_tables(parsed, rows))
    from lib.extract import extract_tables  # the quantitative stage: mentions, indicators, claims

    parsed.tables.pieces.update(extract_tables(parsed, warnings, rows))
    return parsed, warnings


def _check_limits(raw: RawReport, st: Structure) -> None:
    """A report past a documented limit (lib.limits) fails alone, before the costly stages."""
    longest = max(st.sentences, key=lambda x: x.end - x.start, default=None)
    if longest is not None and longest.end - longest.start > MAX_SENTENCE_CHARS:
        raise ReportError(raw.path, f"holds a sentence of {longest.end - longest.start:,} characters (at character "
                                    f"{longest.start:,}), over the limit of {MAX_SENTENCE_CHARS:,}",
                          "is it a report? line breaks or 。 may have been lost in conversion")
    cells = sum(len(row) for t in st.tables for row in t.rows)
    if cells > MAX_TABLE_CELLS:
        raise ReportError(raw.path, f"holds {cells:,} table cells, over the limit of {MAX_TABLE_CELLS:,}",
                          "split the report, or supply the tables as a spreadsheet")


def _listed_year(row: dict | None) -> int | None:
    """The year a manifest row gives, if it gives one."""
    year = str((row or {}).get("year", ""))
    return int(year) if year.isdigit() else None


def _metadata(raw: RawReport, st: Structure, row: dict | None, warnings: list[str], detected_year: int | None) -> dict:
    text = raw.text
    page = raw.page_meta
    meta = {
        "report_id": raw.report_id,
        "file": raw.path.name,
        "city": detect_city(text, page.get("issuer", "")),
        "province": "",
        "year": detected_year,
        "report_type": detect_report_type(st.title),
        "title": st.title,
        "published": page.get("published") or page.get("written_date", ""),
        "source": "",
        "metadata_source": "detected",
    }
    meta["period"] = detect_period(st.title, detected_year, meta["report_type"])  # 2023年上半年工作总结 → 2023H1
    if row:
        meta["metadata_source"] = "manifest"
        for key in ("city", "province", "period", "report_type", "title", "published", "source"):
            if row.get(key) and not _row_field_bad(row, key):
                meta[key] = row[key]
        if row.get("city") and not _row_field_bad(row, "city"):
            meta["city"] = canonical_place(row["city"], row.get("province", "")) or row["city"]
        if (listed := _listed_year(row)) is not None:
            meta["year"] = listed
            if not row.get("period"):
                meta["period"] = detect_period(meta["title"], listed, meta["report_type"])
        if row.get("city") and not city_named_in_text(row["city"], text):
            warnings.append(f"manifest city {row['city']} is never named in the text; check the manifest row")
        if not row.get("city") and not meta["city"] and province_wide(text, meta["province"]):
            meta["city"], meta["area_level"] = meta["province"], "province"
    else:
        warnings.append(f"no manifest row: city {meta['city'] or '?'} and year {meta['year'] or '?'} detected from the text; "
                        "add a row to data/raw/manifest.csv to confirm them")
    if not meta["city"] and not (row and row.get("city")) and not meta["province"]:
        # no city and no manifest province: a text about its whole province names it in its title
        # (…期间河北省乡村低保…) and counts 全省 more than 全市/全县; its figures are the province's
        head = "\n".join(ln for ln in text.lstrip().splitlines()[:2])
        province = province_named(f"{st.title}\n{head}")
        if province and province_wide(text, province):
            meta["city"], meta["province"], meta["area_level"] = province, province, "province"
    if not meta["city"]:
        warnings.append("city unknown: give it in the manifest")
    if meta["year"] is None:
        warnings.append("no year found in the text or the manifest: its figures are built with an empty period; "
                        "give the year in data/raw/manifest.csv")
    meta.update({k: page.get(k, "") for k in ("issuer", "written_date", "authors")})
    return meta


def _row_field_bad(row: dict, key: str) -> bool:
    """check_row on this one field alone: any problem it reports is about that field."""
    return bool(check_row({key: row[key]}))


def _assign_themes(parsed: ParsedReport) -> None:
    """Theme each section: its heading when the heading names a theme (报告的标题就是它的主题),
    else its own text, where no clearly dominant theme means general."""
    index = parsed.keywords = KeywordIndex(parsed.raw.text)
    for sec in parsed.structure.sections:
        head = classify(sec.title) if sec.title and sec.kind != "preamble" else None
        if head is not None:
            parsed.section_theme[sec.section_id] = (head.theme, f"heading: {head.reason}")
            continue
        hit = index.classify(sec.start, sec.end)
        if hit is None:
            parent = parsed.section_theme.get(sec.parent_id or "", ("general", "no keyword matched"))
            parsed.section_theme[sec.section_id] = (parent[0], f"inherited from {sec.parent_id or 'report'}")
            continue
        theme, reason = hit.theme, hit.reason
        if not _dominant(hit):
            theme, reason = "general", f"mixed ({hit.reason})"
        parsed.section_theme[sec.section_id] = (theme, reason)


def _dominant(hit) -> bool:
    """The winning theme takes at least 45% of all keyword weight (scored once, by classify)."""
    return hit.total == 0 or hit.score / max(hit.total, 1e-9) >= 0.45


def _report_tables(parsed: ParsedReport, rows: dict | None = None) -> dict[str, Rows]:
    """The structural tables of one report, as rows (namedtuples): their frames are built once per
    chunk of reports (lib.rows.stack), since per-row and per-frame pandas work cost more than parsing.
    Given a dict, ``rows`` receives the sections, sentences, tables and table_cells rows, so the
    next stage reads them without reading the frames back."""
    raw, st, rid = parsed.raw, parsed.structure, parsed.raw.report_id
    by_id = {s.section_id: s for s in st.sections}
    part_of = {s.section_id: s.part for s in st.sections}
    section_theme = parsed.section_theme

    def path(sec):
        names = []
        while sec is not None and sec.kind != "preamble":
            names.append(f"{sec.number}{' ' if sec.number else ''}{sec.title}")
            sec = by_id.get(sec.parent_id)
        return " > ".join(reversed(names))

    section_row = record_type(("report_id", "section_id", "parent_id", "level", "depth", "kind", "number", "title",
                               "part", "theme", "theme_reason", "path", "heading_start", "heading_end", "char_start",
                               "char_end"))
    sentence_row, table_row, cell_row = (record_type(tuple(schema.columns(t))) for t in ("sentences", "tables",
                                                                                        "table_cells"))
    section_rows = [section_row(rid, s.section_id, s.parent_id, s.level, s.depth, s.kind, s.number, s.title, s.part,
          section_theme[s.section_id][0], section_theme[s.section_id][1], path(s), s.heading_start, s.heading_end,
          s.start, s.end) for s in st.sections]

    sent_rows = []
    coverage_of: dict[str, list[int]] = {}  # theme -> [sentences, characters]
    index, text = parsed.keywords or KeywordIndex(raw.text), raw.text
    for sent in st.sentences:
        # the report's keyword matches, found once; a sentence whose text is not its span is scanned alone
        hit = index.classify(sent.start, sent.end) if text[sent.start:sent.end] == sent.text else classify(sent.text)
        if hit is None:
            theme, reason = section_theme[sent.section_id][0], f"inherited from section {sent.section_id}"
        else:
            theme, reason = hit.theme, hit.reason
        sent_rows.append(sentence_row(rid, sent.sentence_id, sent.paragraph_id, sent.section_id, part_of[sent.section_id], theme,
                          reason, sent.text, sent.start, sent.end))
        counts = coverage_of.setdefault(theme, [0, 0])
        counts[0] += 1
        counts[1] += sent.end - sent.start
    paragraphs = [(rid, p.paragraph_id, p.section_id, p.is_heading, p.start, p.end) for p in st.paragraphs]

    table_rows, cell_rows = [], []
    for n, t in enumerate(st.tables):
        tid = f"t{n:02d}"
        owner = _section_at(st, t.start)
        table_rows.append(table_row(rid, tid, owner, t.layout, t.caption, " | ".join(c.text for c in t.header), len(t.rows),
                           max(len(r) for r in t.rows), t.start, t.end))
        for r, row in enumerate(t.rows):
            labels = row[: t.n_labels]
            group = labels[0].text if t.n_labels > 1 else ""
            for c, cell in enumerate(row):
                if c < t.n_labels:
                    continue
                col_label = t.header[c].text if c < len(t.header) else f"col{c}"
                cell_rows.append(cell_row(rid, tid, r, c, group, labels[-1].text, col_label, cell.text, _cell_value(cell.text),
                                  cell.start, cell.end))
    furniture = [(rid, f.kind, f.text, f.start, f.end) for f in raw.furniture]

    total = max(sum(n for _, n in coverage_of.values()), 1)  # theme coverage, in theme order
    coverage = [(t, coverage_of[t][0], coverage_of[t][1], rid, coverage_of[t][1] / total) for t in sorted(coverage_of)]

    if rows is not None:
        rows.update(sections=section_rows, sentences=sent_rows, tables=table_rows, table_cells=cell_rows)
    ctx = parsed.context.as_row() if parsed.context else {}
    reports = Rows(None, [{**parsed.meta, **{k: ctx[k] for k in CONTEXT_COLUMNS if k in ctx}, "encoding": raw.encoding, "sha256": raw.sha256, "n_chars": len(raw.text),
                             "n_sections": len(st.sections), "n_sentences": len(st.sentences),
                             "char_start": 0, "char_end": len(raw.text)}])
    return {"reports": reports, "sections": Rows(section_row._fields, section_rows),
            "paragraphs": Rows(tuple(schema.columns("paragraphs")), paragraphs),
            "sentences": Rows(sentence_row._fields, sent_rows), "tables": Rows(table_row._fields, table_rows),
            "table_cells": Rows(cell_row._fields, cell_rows),
            "furniture": Rows(tuple(schema.columns("furniture")), furniture),
            "theme_coverage": Rows(("theme", "n_sentences", "n_chars", "report_id", "share"), coverage)}


def _cell_value(text: str) -> float | None:
    t = text.replace(",", "").rstrip("%‰").strip()
    try:
        return float(t)
    except ValueError:
        return None


def _section_at(st: Structure, pos: int) -> str:
    best = "s000"
    for s in st.sections:
        if s.kind != "item" and s.start <= pos < s.end:
            best = s.section_id
    return best


# --- the corpus ----------------------------------------------------------------------------------
CHUNK_FILES = 40  # reports parsed and written together: a worker's unit of work and one Parquet row group.
# Fixed, never derived from --jobs, so the clean files are the same bytes whatever --jobs.
PARALLEL_MIN_FILES = 16  # below this, starting worker processes costs more than it saves
REPORT_TABLES = [t for t in TABLES if t not in ("conflicts", "measures", "measure_notes", "denominators", "build_issues")]
IN_MEMORY = ("reports", "indicators")  # small, and needed whole (resolve_conflicts and derive work across reports)
CSV_TABLES = schema.CSV_TABLES  # the tables with a CSV copy for Excel (the others grow with the text)
EXCEL_MAX_ROWS = 1_048_575  # data rows under the header: past it, a table gets no CSV copy


def chunk_bounds(n: int) -> list[tuple[int, int]]:
    """(start, end) of each chunk of n files: CHUNK_FILES each, and the last 2×CHUNK_FILES files in
    chunks a quarter that size, so that the workers run out of work together rather than one
    finishing a whole chunk alone. A function of n only: the files are the same bytes whatever --jobs."""
    bounds, i = [], 0
    while i < n:
        size = CHUNK_FILES if n - i > 2 * CHUNK_FILES else max(1, CHUNK_FILES // 4)
        bounds.append((i, min(n, i + size)))
        i += size
    return bounds


def report_files(raw_dir: Path) -> list[Path]:
    """Report files of a raw folder, in name order (the manifest, hidden files and symbolic links are not)."""
    return sorted(p for p in Path(raw_dir).iterdir()
                  if p.is_file() and not p.is_symlink() and not p.name.startswith(".") and p.name != "manifest.csv"
                  and p.suffix.lower() not in {".csv", ".json", ".md"})


def raw_symlinks(raw_dir: Path) -> list[Path]:
    """Symbolic links in the raw folder: never followed, since they may point anywhere on the disk."""
    return sorted(p for p in Path(raw_dir).iterdir() if p.is_symlink() and not p.name.startswith("."))


@dataclass
class _Parsed:
    """One parsed report, inside the process that parsed it."""

    file: str
    report_id: str
    sha256: str
    text: str
    tables: dict[str, Rows | pd.DataFrame]  # not yet frames: a chunk's are stacked into one frame per table
    warnings: list[str]


@dataclass
class _Report:
    """What the parent keeps of a parsed report: a few fields, never its tables or text."""

    file: str
    report_id: str
    sha256: str
    warnings: list[str]
    rows: dict[str, int]  # rows per table
    themes: Counter  # sentences per theme


@dataclass
class ChunkResult:
    """What a worker sends back for a chunk of files: its tables are in the parts folder, except the small ones."""

    name: str  # its parts' name; names sort in file order
    reports: list[_Report]
    failed: list[tuple[str, str]]  # (file, message)
    written: list[str]  # tables with a part of this chunk
    memory: dict[str, pd.DataFrame]  # IN_MEMORY tables of the chunk, validated


def _parse_one(path: Path, row: dict | None) -> _Parsed | str:
    """Parse one file; a failure is returned as its message, so one bad report never stops the rest."""
    _test_worker_dies(path)
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        return f"unsupported file type {path.suffix or '(none)'}; supply .txt, .html, .docx or .pdf"
    try:
        parsed, report_warnings = parse_report(path, row)
    except ReportError as exc:
        return f"{exc.reason}" + (f" ({exc.hint})" if exc.hint else "")
    except Exception as exc:  # a bug must not cost the other reports
        return f"internal error while parsing: {type(exc).__name__}: {exc}"
    raw = parsed.raw
    return _Parsed(path.name, raw.report_id, raw.sha256, raw.text, parsed.tables.pieces, report_warnings)


def parse_chunk(name: str, paths: list[Path], rows: dict, folder: Path, say=None) -> ChunkResult:
    """Parse a chunk of files and write their tables and texts as parts (in the worker that parses them)."""
    reports, failed = [], []
    pieces: dict[str, list] = {t: [] for t in REPORT_TABLES}
    for path in paths:
        if say is not None:
            say(path.name)
        outcome = _parse_one(path, rows.get(path.name))
        if isinstance(outcome, str):
            failed.append((path.name, outcome))
            continue
        parts.write_text(folder, outcome.report_id, outcome.text)
        _settle()
        sentences = outcome.tables.get("sentences")
        themes = Counter(r.theme for r in sentences.rows) if sentences is not None else Counter()
        reports.append(_Report(outcome.file, outcome.report_id, outcome.sha256, outcome.warnings,
                               {t: len(piece) for t, piece in outcome.tables.items()}, themes))
        for t, piece in outcome.tables.items():
            if len(piece):
                pieces[t].append(piece)
    written, memory = [], {}
    for t, found in pieces.items():
        if not found:
            continue
        df = schema.validate(t, stack(found))
        if t in IN_MEMORY:
            memory[t] = df
        else:
            parts.write_part(folder, t, name, df, csv=t in CSV_TABLES)
            written.append(t)
    return ChunkResult(name, reports, failed, written, memory)


@functools.cache  # once per process
def _settle() -> None:
    """Once per process, after its first report (when the catalogues, gazetteer and patterns are
    loaded): collect, then freeze what is alive, so that the cyclic garbage collector's full passes
    stop walking those long-lived objects again and again (they cost ~7% of parsing). Frozen
    objects are still freed by reference counting; only cycles among them would stay, and the
    collection just before leaves none."""
    gc.collect()
    gc.freeze()


def _prepare_end() -> None:
    """Load what the end of the build needs while the workers parse: the reference data the derived
    measures divide by, with pandera, which take ~0.5 s the first time. A problem with the file is
    left for ``derive`` to report, as it does in a build of one process."""
    from lib.reference import load_reference

    try:
        load_reference()
    except Exception:  # reported by derive, with the file and line
        pass


def _test_worker_dies(path: Path) -> None:
    """Tests kill the worker process parsing a file (MINZHENG_TEST_WORKER_DIES=name, in workers only;
    with MINZHENG_TEST_DIE_ONCE=flag-file only the first time, as an out-of-memory kill would)."""
    import multiprocessing

    if os.environ.get("MINZHENG_TEST_WORKER_DIES") != path.name or multiprocessing.parent_process() is None:
        return
    flag = os.environ.get("MINZHENG_TEST_DIE_ONCE")
    if flag:
        try:
            os.close(os.open(flag, os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return
    os.kill(os.getpid(), 9)


def _parse_all(files: list[Path], rows: dict, progress: bool, jobs: int | None, folder: Path,
               meanwhile=None) -> list[ChunkResult]:
    """Parse every file in chunks (``chunk_bounds``), in worker processes for a large corpus; chunks in file order.
    ``meanwhile``: work for the parent, idle while its workers parse, run in a thread once they are started.

    A worker that dies (out of memory, killed) takes every chunk still queued down with it. Those
    chunks are parsed again, each in a process of its own; a chunk that kills its process again is
    parsed file by file, each in a process of its own, so only the file that kills its process
    every time is reported as failed.
    """
    chunks = [(f"{k:06d}", files[i:j]) for k, (i, j) in enumerate(chunk_bounds(len(files)))]
    wanted = jobs or os.cpu_count() or 1
    n = len(files)
    done = 0

    def tell(label: str, count: int = 1) -> None:
        nonlocal done
        done += count
        if progress:
            print(f"[{done}/{n}] {label}", file=sys.stderr, flush=True)

    if wanted == 1 or n < PARALLEL_MIN_FILES:
        return [parse_chunk(name, paths, rows, folder, say=tell) for name, paths in chunks]
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    def rows_of(paths):
        return {p.name: rows[p.name] for p in paths if p.name in rows}

    results: dict[str, ChunkResult] = {}
    lost: list[tuple[str, list[Path]]] = []
    helper = None
    with ProcessPoolExecutor(max_workers=min(wanted, len(chunks))) as pool:
        # Freeze what the parent holds while the first submit forks every worker: the workers'
        # collections then never walk (and so copy) the pages of those inherited objects: ~10%
        # fewer page faults, ~2% less time at --jobs 2 on 1,000 reports (six runs each, alternated).
        gc.freeze()
        try:
            futures = {pool.submit(parse_chunk, name, paths, rows_of(paths), folder): (name, paths)
                       for name, paths in chunks}
        finally:
            gc.unfreeze()  # forked: the parent's own objects are collected as before
        if meanwhile is not None:  # the first submit forked every worker: no fork happens while it runs
            import threading

            helper = threading.Thread(target=meanwhile, daemon=True)
            helper.start()
        try:
            for fut in as_completed(futures):
                name, paths = futures[fut]
                try:
                    results[name] = fut.result()
                except BrokenProcessPool:
                    lost.append((name, paths))
                    continue
                tell(paths[-1].name, len(paths))
        except BaseException:  # Ctrl-C, SIGTERM, a failed chunk: the chunks not yet begun are not parsed for nothing
            pool.shutdown(cancel_futures=True)
            raise
    if helper is not None:
        helper.join()  # before any process of its own is forked for a lost chunk below
    if lost and progress:
        print(f"a worker process died; parsing the {sum(len(p) for _, p in lost)} file(s) it left unfinished again, "
              "one process each", file=sys.stderr, flush=True)
    for name, paths in sorted(lost):
        chunk = _alone(name, paths, rows_of(paths), folder)
        if chunk is not None:
            results[name] = chunk
        else:  # the chunk kills its process again: file by file, to find the one that does
            for j, p in enumerate(paths):
                piece = f"{name}-{j:04d}"
                results[piece] = _alone(piece, [p], rows_of([p]), folder) or ChunkResult(
                    piece, [], [(p.name, "the process parsing this file died each time (killed, probably out of "
                                         "memory); rebuild with --jobs 1 to see why, or split the file")], [], {})
        tell(paths[-1].name, len(paths))
    return [results[k] for k in sorted(results)]


def _alone(name: str, paths: list[Path], rows: dict, folder: Path) -> ChunkResult | None:
    """Parse a chunk in a process of its own; None when that process dies."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(max_workers=1) as alone:
        try:
            return alone.submit(parse_chunk, name, paths, rows, folder).result()
        except BrokenProcessPool:
            return None


def _one_file_per_id(files: list[Path], rows: dict, errors: list) -> list[Path]:
    """A report's id is its file name without extension, so quanzhou.txt and quanzhou.html cannot both
    build: the one the manifest lists is kept (else the first by name), the other is an error."""
    by_stem: dict[str, list[Path]] = {}
    for p in files:
        by_stem.setdefault(p.stem, []).append(p)
    keep = []
    for stem, group in by_stem.items():
        group.sort(key=lambda p: (p.name not in rows, p.name))
        keep.append(group[0])
        for other in group[1:]:
            errors.append((other.name, f"has the same name as {group[0].name} without its extension, so both would be "
                                       f"report '{stem}'; {group[0].name} was built and this file skipped — rename one"))
    return sorted(keep)


class Tables(Mapping):
    """The clean tables of a build, by name: the small ones in memory, the others read from the build's
    parts when asked for (tests and notebooks ask; ``write_clean`` streams them part by part instead)."""

    def __init__(self, memory: dict[str, pd.DataFrame], store: parts.Parts):
        self.memory = memory
        self.store = store

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name in self.memory:
            return self.memory[name]
        if name not in TABLES:
            raise KeyError(name)
        return self.store.frame(name)

    def __iter__(self):
        return iter(TABLES)

    def __len__(self) -> int:
        return len(TABLES)

    def pieces(self, name: str):
        """The table as Arrow pieces in the order its Parquet file holds them (lib.parts.combine): file
        order, or theme by theme for schema.THEME_GROUPED; each with its CSV rows when a worker wrote them."""
        if name in self.memory:
            return parts.frame_slices(name, self.memory[name])
        return self.store.pieces(name)


def build_corpus(raw_dir: Path, progress: bool = True, jobs: int | None = 1, near: Path | None = None) -> BuildResult:
    """Parse every report in raw_dir; collect tables, errors and warnings.

    A bad report is named with its reason and left out; every other report builds as it would
    alone. Manifest problems are errors too (the exit status says so), but the report they are
    about still builds, with the faulty fields detected from its text. ``jobs`` > 1 parses a
    large corpus in that many processes (None: one per CPU); the result is the same. Reports are
    parsed in chunks whose tables are written as parts (lib.parts) in a folder beside ``near`` (the
    clean folder it will be written to; default: the system's temporary folder), so memory does not
    grow with the corpus; ``result.close()`` removes them.
    """
    t0 = time.perf_counter()
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise MinzhengError(f"{raw_dir}: raw folder does not exist")
    errors: list[tuple[str, str]] = []
    warnings: list[tuple[str, str]] = []
    try:
        manifest = read_manifest(raw_dir)
    except ManifestError as exc:
        errors.append(("manifest.csv", f"{exc} — the manifest was ignored; fix it and rebuild"))
        manifest = None
    rows = manifest.rows if manifest else {}
    if manifest:
        errors.extend(manifest.problems)
    files = report_files(raw_dir)
    for link in raw_symlinks(raw_dir):
        errors.append((link.name, f"is a symbolic link (to {os.readlink(link)}), which the build does not follow; "
                                  "copy the report itself into the raw folder"))
    if not files:
        raise BadInputError(f"{raw_dir}: the raw folder holds no report files (.txt, .html, .docx, .pdf), so nothing "
                            "was built and the clean folder was left as it was")
    names = {p.name for p in files}
    for name in rows:
        if name not in names:
            errors.append((name, "listed in manifest.csv but the file is not in the raw folder; add the file or remove its row"))
    n_files = len(files)
    files = _one_file_per_id(files, rows, errors)
    store = parts.Parts(near)
    try:
        chunks = _parse_all(files, rows, progress, jobs, store.path, meanwhile=_prepare_end)
    except BaseException:
        store.close()
        raise
    failed = dict(f for c in chunks for f in c.failed)
    parsed_ok = [r for c in chunks for r in c.reports]
    errors.extend((p.name, failed[p.name]) for p in files if p.name in failed)
    n_failed = n_files - len(parsed_ok)
    # the same text under two names: keep the one the manifest lists (else the first by name)
    keep: dict[str, _Report] = {}
    for item in sorted(parsed_ok, key=lambda it: (it.file not in rows, it.file)):
        first = keep.get(item.sha256)
        if first is not None:
            errors.append((item.file, f"same text as {first.file}; the duplicate was skipped (remove one of them)"))
            store.dropped.add(item.report_id)
            continue
        keep[item.sha256] = item
    for c in chunks:
        for t in c.written:
            store.add(t, c.name)
    store.sort()
    counts = Counter()
    themes: Counter = Counter()
    for item in sorted(keep.values(), key=lambda it: it.file):
        warnings.extend((item.file, w) for w in item.warnings)
        counts.update(item.rows)
        themes.update(item.themes)
    tables = {}
    for t in IN_MEMORY:
        frames = [c.memory.pop(t) for c in chunks if t in c.memory]  # the chunks' copies go with the list
        df = pd.concat(frames, ignore_index=True) if frames else schema.empty(t)
        del frames
        if store.dropped:
            df = df[~df["report_id"].isin(store.dropped)]
        tables[t] = schema.validate(t, df)
    tables.update({t: schema.validate(t, df) for t, df in resolve_conflicts(tables["indicators"]).items()})
    tables.update(derive(tables["indicators"], errors))  # derived measures (lib/derived.py)
    counts.update({t: len(df) - counts[t] for t, df in tables.items()})  # the tables as kept
    issues = [{"file": f, "report_id": Path(f).stem, "severity": "error", "message": m} for f, m in errors]
    issues += [{"file": f, "report_id": Path(f).stem, "severity": "warning", "message": m} for f, m in warnings]
    counts["build_issues"] = len(issues) + sum(counts[t] > EXCEL_MAX_ROWS for t in CSV_TABLES)
    csv = [t for t in CSV_TABLES if counts[t] <= EXCEL_MAX_ROWS]
    issues += [{"file": f"{t}.csv", "report_id": "", "severity": "warning",
                "message": f"{t} has {counts[t]:,} rows, more than Excel opens ({EXCEL_MAX_ROWS + 1:,} with the header), "
                           f"so no CSV copy was written; read {t}.parquet"} for t in CSV_TABLES if t not in csv]
    tables["build_issues"] = schema.validate("build_issues", pd.DataFrame(issues, columns=schema.columns("build_issues")))
    return BuildResult(Tables(tables, store), errors, warnings, time.perf_counter() - t0, n_files, n_failed,
                       store, dict(counts), themes, csv)


def write_clean(result: BuildResult, clean_dir: Path, say=None, jobs: int = 1) -> None:
    """Write every table (Parquet, and a CSV copy for CSV_TABLES), the texts and SCHEMA.md aside, then swap in;
    ``jobs`` tables at a time.

    Each table is combined from the build's parts one part at a time (lib.parts). Only a folder the
    tool owns is ever replaced (lib.folders); the write happens under the clean folder's lock, so a
    second build waits for the first and a render never reads half a swap.
    """
    clean_dir = Path(os.path.realpath(clean_dir))  # a symlinked clean folder: its target is what is replaced
    folders.check_owned(clean_dir, "clean", "--clean")
    folders.check_writable(clean_dir, "--clean")
    parent = clean_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    with folders.locked(clean_dir, say=say):
        folders.check_owned(clean_dir, "clean", "--clean")  # again, now that no other build can change it
        folders.recover(clean_dir)
        staging = parent / f".{clean_dir.name}.new-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        staging.mkdir()  # mode from the umask, like any folder the user creates
        try:
            def write(name: str) -> None:
                csv = staging / f"{name}.csv" if name in result.csv else None
                parts.combine(name, result.tables.pieces(name), staging / f"{name}.parquet", csv)

            if jobs > 1:  # tables side by side: Parquet encoding and file copies run outside the GIL
                from concurrent.futures import ThreadPoolExecutor

                # the longest first, so that no thread is left with a long table at the end (a CSV costs most)
                order = sorted(TABLES, key=lambda t: -result.counts.get(t, 0) * (4 if t in result.csv else 1))
                pool = ThreadPoolExecutor(max_workers=jobs)
                try:
                    started = []
                    for n, name in enumerate(order):
                        _test_fault(n)
                        started.append(pool.submit(write, name))
                    for done in started:
                        done.result()
                finally:  # a failed table or Ctrl-C: the tables not yet begun are not written for nothing
                    pool.shutdown(cancel_futures=True)
            else:
                for n, name in enumerate(TABLES):
                    _test_fault(n)
                    write(name)
            texts = staging / "texts"
            texts.mkdir()
            for rid in result.tables["reports"]["report_id"]:
                parts.place_text(result.parts.text(rid), texts / f"{rid}.txt")
            (staging / "SCHEMA.md").write_text(schema.schema_markdown(), encoding="utf-8")
            if (clean_dir / ".gitkeep").exists():
                (staging / ".gitkeep").touch()
            folders.mark(staging, "clean")
            folders.swap_in(staging, clean_dir, _between=_test_fault_between)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise


def _test_fault(n_written: int) -> None:
    """Tests kill the build midway through writing (MINZHENG_TEST_KILL_AFTER=N tables)."""
    limit = os.environ.get("MINZHENG_TEST_KILL_AFTER")
    if limit is not None and n_written >= int(limit):
        os.kill(os.getpid(), 9)


def _test_fault_between() -> None:
    """Tests kill the build between the two renames of a swap (MINZHENG_TEST_KILL_IN_SWAP=1)."""
    if os.environ.get("MINZHENG_TEST_KILL_IN_SWAP"):
        os.kill(os.getpid(), 9)


def kept_previous(result: BuildResult, clean_dir: Path) -> str | None:
    """Why the previous clean set should stay, or None to swap the new one in.

    When most report files failed (a dead disk, a broken environment) and the previous set holds
    more reports than the new one, replacing it would lose good data for nothing.
    """
    if result.n_files == 0 or result.n_failed * 2 <= result.n_files:
        return None
    previous = folders.current(Path(clean_dir)) / "reports.parquet"
    try:
        n_previous = len(pd.read_parquet(previous, columns=["report_id"]))
    except Exception:  # no previous set, or an unreadable one: nothing worth keeping
        return None
    n_new = len(result.tables["reports"])
    if n_new >= n_previous:
        return None
    return (f"{result.n_failed} of {result.n_files} report files failed, so the previous clean set in {clean_dir} "
            f"({n_previous} reports) was kept rather than replaced by {n_new}; fix the errors above and rebuild, "
            "or rebuild with --force to replace it anyway")


def one_line(text: str) -> str:
    """A message stays one line, whatever line breaks a file name or a quoted text holds."""
    return text.replace("\r", "\\r").replace("\n", "\\n").replace("\x85", "\\x85") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def summary(result: BuildResult) -> str:
    """The few lines printed at the end of a build."""
    n = result.counts
    lines = [f"built {n.get('reports', 0)} report(s) in {result.seconds:.2f}s: {n.get('sections', 0)} sections, "
             f"{n.get('sentences', 0)} sentences, {n.get('tables', 0)} tables"]
    for extra in ("mentions", "indicators", "claims"):
        if n.get(extra):
            lines[-1] += f", {n[extra]} {extra}"
    if result.sentence_themes:
        lines.append("sentences per theme: " + ", ".join(f"{k} {v}" for k, v in result.sentence_themes.most_common()))
    for f, m in result.warnings:
        lines.append(f"warning: {one_line(f)}: {one_line(m)}")
    for f, m in result.errors:
        lines.append(f"ERROR: {one_line(f)}: {one_line(m)}")
    if result.errors:
        lines.append(f"{len(result.errors)} error(s): see above or build_issues.csv; the other reports were built")
    return "\n".join(lines)
