"""Property and fuzz tests: arbitrary input never raises anything but the project's own errors,
offsets always map back to the raw text, and the segmenter's spans are exact."""

from __future__ import annotations

import tempfile
import unicodedata
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from lib.build import parse_report
from lib.errors import MinzhengError, ReportError
from lib.ingest import RawReport, find_furniture
from lib.normalize import decode, normalise, to_simplified
from lib.structure import segment


def scaled(n: int) -> int:
    """Per-test example counts, multiplied under the stress profile."""
    return n * 10 if settings().max_examples >= 3000 else n


FOLDS = {0x3000: " ", 0x00A0: " ", 0x2212: "-", 0x2013: "-", 0x301C: "~"}

# Text that looks like reports: headings, enumerations, numbers with units, punctuation of both widths.
PIECES = st.sampled_from([
    "一、", "(二)", "（三）", "1.", "(4)", "①", "一是", "二是", "2024年工作总结", "下半年工作思路", "\n", "\r\n", "。", "，",
    ",", "；", ":", "低保标准", "提高至", "1120元/人/月", "每人每月", "２５１５元", "5.68亿元", "近40个", "超1.4万元",
    "养老机构床位", "3133张", "80-89周岁", "第6", "全省首位", "|", " | ", "  ", "\u3000", "▲", "当前位置: 首页",
    "扫一扫在手机上查看当前页面", "截至2024年12月", "新增", "其中", "分别", "和", "、", "十三五", "“", "”", "全市共有",
])
REPORTISH = st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=60).map("".join)


@settings(max_examples=scaled(300))
@given(st.text())
def test_normalise_never_raises_and_maps_every_character_back(raw):
    nt = normalise(raw)
    assert len(nt.raw_offsets) == len(nt.text) + 1 and nt.raw_offsets[-1] == len(raw)
    assert all(a < b for a, b in zip(nt.raw_offsets[:-1], nt.raw_offsets[1:]))
    for i, ch in enumerate(nt.text):
        src = raw[nt.raw_offsets[i]]
        folded = chr(ord(src) - 0xFEE0) if 0xFF01 <= ord(src) <= 0xFF5E else FOLDS.get(ord(src), src)
        repaired = unicodedata.normalize("NFKC", src) == ch or (nt.repairs and to_simplified(folded) == ch)
        assert ch == folded or repaired or (src == "\r" and ch == "\n") or (ch == " " and src.isspace()) \
            or (ch == "\n" and src.isspace())


@settings(max_examples=scaled(300))
@given(st.text(), st.integers(0, 50), st.integers(0, 50))
def test_raw_span_round_trips(raw, a, b):
    nt = normalise(raw)
    start, end = sorted((min(a, len(nt.text)), min(b, len(nt.text))))
    rs, re_ = nt.raw_span(start, end)
    assert 0 <= rs <= re_ <= len(raw)
    assert normalise(raw[rs:re_]).text == nt.text[start:end] or "\r" in raw[rs:re_]


@settings(max_examples=scaled(300))
@given(st.binary(max_size=400))
def test_decode_raises_only_report_errors(data):
    try:
        text, enc = decode(data, "fuzz.txt")
    except ReportError as exc:
        assert "fuzz.txt" in str(exc)
    else:
        assert isinstance(text, str) and enc


@settings(max_examples=scaled(200))
@given(REPORTISH)
@example("一、一、一、一、一、一、一、一、一、1120元/人/月5.68亿元\r0")  # a run-in title over a joined line break
def test_segmenter_spans_are_exact(raw):
    nt = normalise(raw)
    furniture, meta = find_furniture(nt.text)
    report = RawReport("fuzz", Path("fuzz.txt"), "utf-8", "", nt, furniture, meta)
    st_ = segment(report)
    for s in st_.sentences:
        assert nt.text[s.start:s.end] == s.text and s.text.strip()
    for sec in st_.sections:
        assert 0 <= sec.start <= sec.end <= len(nt.text)
        assert nt.text[sec.heading_start:sec.heading_end] == sec.title or sec.kind == "preamble"
    for t in st_.tables:
        for row in t.rows:
            for c in row:
                assert nt.text[c.start:c.end] == c.text


@settings(max_examples=scaled(60))
@given(REPORTISH)
def test_whole_report_parse_raises_only_project_errors(raw):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "fuzz.txt"
        path.write_text("厦门市民政局2024年工作总结\n" + raw, encoding="utf-8")
        try:
            parsed, _ = parse_report(path, {"city": "厦门市", "year": "2024", "period": "2024", "report_type": "work_summary"})
        except MinzhengError:
            return
        text = parsed.raw.text
        for table in ("mentions", "indicators", "claims"):
            df = parsed.tables[table]
            for row in df.itertuples():
                assert 0 <= row.char_start <= row.char_end <= len(text)
        for row in parsed.tables["indicators"].itertuples():
            assert text[row.char_start:row.char_end] == row.raw_text


# Theme keywords, some of which contain others (低保/低保标准), run together with filler.
KEYWORD_TEXT = st.lists(st.sampled_from(["低保", "低保标准", "最低生活保障", "养老", "养老服务", "居家养老服务", "社会组织",
                                         "殡葬", "婚姻登记", "儿童", "孤儿", "退役军人", "，", "。", "和", "的", "\n", "工作"]),
                        max_size=40).map("".join)


@settings(max_examples=scaled(300))
@given(KEYWORD_TEXT, st.integers(0, 200), st.integers(0, 200))
def test_keyword_index_classifies_a_span_as_a_scan_of_it_alone(text, a, b):
    """Themes found once per report (KeywordIndex) give every span what scanning the span alone gives,
    including spans whose edges cut a keyword."""
    from lib.themes import KeywordIndex, classify

    a, b = sorted((min(a, len(text)), min(b, len(text))))
    assert KeywordIndex(text).classify(a, b) == classify(text[a:b])
