"""The same report as .html (UTF-8 and GBK), .docx and .pdf gives the same indicators as the .txt.

The files are built here from a seed's text (tests/make_formats.py), so they are real Chinese
reports in each format."""

from __future__ import annotations

import pytest

from conftest import RAW
from lib.build import parse_report
from make_formats import write_html, write_pdf

SEED = "003_0d46cd3eb0266ada"
META = {"city": "中山市", "year": "2024", "period": "2024", "report_type": "work_summary"}
COLS = ["indicator_id", "value", "status", "period", "scope", "scope_detail", "qualifier"]


def _indicators(path):
    parsed, _ = parse_report(path, META)
    ind = parsed.tables["indicators"]
    return {tuple(r) for r in ind[COLS].itertuples(index=False)}


@pytest.fixture(scope="module")
def lines():
    return [ln.strip() for ln in (RAW / f"{SEED}.txt").read_text(encoding="utf-8").splitlines() if ln.strip()]


@pytest.fixture(scope="module")
def from_txt():
    return _indicators(RAW / f"{SEED}.txt")


def _write_docx(path, lines):
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(path)
    return path


@pytest.mark.parametrize("fmt", ["html-utf8", "html-gbk", "docx", "pdf"])
def test_same_indicators_as_the_text(tmp_path, lines, from_txt, fmt):
    assert len(from_txt) >= 15
    if fmt.startswith("html"):
        enc = "utf-8" if fmt.endswith("utf8") else "gbk"
        path = write_html(tmp_path / f"{SEED}.html", "中山市民政局2024年工作总结", lines, enc)
    elif fmt == "docx":
        path = _write_docx(tmp_path / f"{SEED}.docx", lines)
    else:
        path = write_pdf(tmp_path / f"{SEED}.pdf", lines)
    got = _indicators(path)
    assert got == from_txt, f"missing: {sorted(from_txt - got)}; extra: {sorted(got - from_txt)}"
