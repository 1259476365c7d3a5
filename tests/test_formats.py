"""HTML pages, Word files and PDFs built from the seed reports come out as the text the pipeline reads."""

from __future__ import annotations

import os
import re

import pytest

import make_formats as mk
from lib.errors import ReportError
from lib.formats import extract_text
from lib.tables import find_tables

KEY_SENTENCE = "2024年我市低保标准提高至1225元"
TABLE_ROWS = ["类别 | 人数(人次) | 当年资金(万元) |", "城乡低保 | 14657 | 19392.95 |",
              "特困人员供养 | 1635 | 4988.28 |"]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def seed003() -> list[str]:
    return mk.seed_lines("003")


def _line_spans(text: str):
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line), line))
        pos += len(line) + 1
    return out


# --- HTML --------------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_government_page_keeps_body_and_table_only(tmp_path, seed003, encoding):
    page = mk.write_html(tmp_path / f"report_{encoding}.html", seed003[0], seed003[1:6], encoding,
                         table=mk.RELIEF_TABLE)
    if encoding == "gbk":
        with pytest.raises(UnicodeDecodeError):
            page.read_bytes().decode("utf-8")  # really a GBK file
    text = extract_text(page)
    lines = text.splitlines()
    for para in seed003[1:6]:
        assert para in lines, para[:30]  # every paragraph on its own line, wrapped source rejoined
    assert KEY_SENTENCE in text
    for junk in ["当前位置", "信息公开", "扫一扫在手机上查看当前页面", "console.log", "_hmt", "访问量统计",
                 "政务服务", "走进民政", "主办单位", "分享到", "相关链接", "font-family"]:
        assert junk not in text, junk
    assert lines[-3:] == TABLE_ROWS
    assert lines.index(seed003[5]) < lines.index(TABLE_ROWS[0])


def test_html_table_is_found_by_the_table_parser(tmp_path, seed003):
    text = extract_text(mk.write_html(tmp_path / "t.htm", seed003[0], seed003[1:3], "utf-8",
                                      table=mk.RELIEF_TABLE))
    tables = find_tables(_line_spans(text))
    assert len(tables) == 1
    assert [c.text for c in tables[0].header] == mk.RELIEF_TABLE[0]
    assert [[c.text for c in row] for row in tables[0].rows] == mk.RELIEF_TABLE[1:]


def test_html_metadata_table_outside_body_is_kept_first(tmp_path, seed003):
    text = extract_text(mk.write_html(tmp_path / "m.html", seed003[0], seed003[1:3], "gb2312",
                                      meta=mk.META_TABLE))
    lines = text.splitlines()
    assert lines[:3] == ["索引号 | 001008003015009/2025-00104 |",
                         "组配分类 | 计划总结 | 发布机构 | 温州市民政局 |",
                         "成文日期 | 2025-06-21 | 公开方式 | 主动公开 |"]
    assert seed003[1] in lines


def test_gbk_page_with_stale_label_and_no_meta(tmp_path, seed003):
    """A GBK page whose <meta> is missing is still decoded (charset guess)."""
    html = mk.government_page(seed003[0], seed003[1:4], "gbk").replace('charset=gbk', '')
    html = html.replace('<meta charset="gbk">', "")
    path = tmp_path / "nometa.html"
    path.write_bytes(html.encode("gb18030"))
    assert KEY_SENTENCE in extract_text(path)


def test_br_lines_and_layout_table(tmp_path, seed003):
    """Old CMS pages: paragraphs split by <br>, the article inside a one-cell layout table."""
    body = "<br>".join(seed003[1:4])
    page = ("<html><body><table width='100%'>"
            "<tr><td><div class='nav'>首页 | 机构概况</div></td></tr>"
            f"<tr><td>{body}</td></tr></table></body></html>")
    path = tmp_path / "old.htm"
    path.write_text(page, encoding="utf-8")
    assert extract_text(path).splitlines() == seed003[1:4]


def test_page_without_chinese_text_is_refused(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><body><div class='nav'>Home</div><p>Page not found</p></body></html>")
    with pytest.raises(ReportError, match="no Chinese report text"):
        extract_text(path)


# --- DOCX --------------------------------------------------------------------------------------

def test_docx_paragraphs_and_table_in_body_order(tmp_path, seed003):
    paras = seed003[:6]
    path = mk.write_docx(tmp_path / "report.docx", paras, mk.RELIEF_TABLE, after=2)
    lines = extract_text(path).splitlines()
    assert lines == paras[:3] + TABLE_ROWS + paras[3:]
    assert KEY_SENTENCE in "\n".join(lines)


def test_docx_merged_cell_counts_once(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("2024年民政事业统计")
    t = document.add_table(rows=3, cols=3)
    t.cell(0, 0).merge(t.cell(0, 2)).text = "社会救助情况"
    for r, row in enumerate(mk.RELIEF_TABLE[1:], start=1):
        for c, value in enumerate(row):
            t.cell(r, c).text = value
    document.save(tmp_path / "merged.docx")
    lines = extract_text(tmp_path / "merged.docx").splitlines()
    assert lines == ["2024年民政事业统计", "社会救助情况 |", TABLE_ROWS[1], TABLE_ROWS[2]]


# --- PDF ---------------------------------------------------------------------------------------

def test_pdf_text_and_ruled_table(tmp_path, seed003):
    paras = seed003[:5]
    text = extract_text(mk.write_pdf(tmp_path / "report.pdf", paras, mk.RELIEF_TABLE))
    flat = squash(text)
    for para in paras:
        assert squash(para) in flat, para[:30]
    lines = text.splitlines()
    # Typesetting line breaks are undone: paragraphs come back whole, numbers stay with units.
    assert seed003[3] in lines
    # The table comes out once, as rows, after the body text.
    assert lines[-4:-1] == TABLE_ROWS
    assert text.count("19392.95") == 1
    assert lines[-1] == "以上数据截至2024年12月。"


def test_pdf_two_pages(tmp_path, seed003):
    text = extract_text(mk.write_pdf(tmp_path / "long.pdf", seed003[:12]))
    flat = squash(text)
    assert squash(seed003[11]) in flat and KEY_SENTENCE in flat


def test_pdf_without_text_layer_is_refused(tmp_path):
    path = mk.write_blank_pdf(tmp_path / "scanned.pdf")
    with pytest.raises(ReportError, match="no text layer") as err:
        extract_text(path)
    assert "scanned.pdf" in str(err.value) and "OCR" in err.value.hint


# --- unreadable files --------------------------------------------------------------------------

def test_corrupt_docx_names_the_file(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(os.urandom(2048))
    with pytest.raises(ReportError, match="docx") as err:
        extract_text(path)
    assert err.value.path.endswith("broken.docx")


def test_truncated_docx_zip(tmp_path, seed003):
    good = mk.write_docx(tmp_path / "good.docx", seed003[:3], mk.RELIEF_TABLE)
    path = tmp_path / "truncated.docx"
    path.write_bytes(good.read_bytes()[:1500])
    with pytest.raises(ReportError, match="corrupt .docx") as err:
        extract_text(path)
    assert "truncated.docx" in str(err.value)


def test_encrypted_or_legacy_word_file(tmp_path):
    path = tmp_path / "locked.docx"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + os.urandom(512))
    with pytest.raises(ReportError, match="encrypted Word file or an old binary .doc"):
        extract_text(path)


@pytest.mark.parametrize("content", [os.urandom(4096), b"%PDF-1.7\n" + os.urandom(4096)])
def test_corrupt_pdf_names_the_file(tmp_path, content):
    path = tmp_path / "broken.pdf"
    path.write_bytes(content)
    with pytest.raises(ReportError, match="PDF") as err:
        extract_text(path)
    assert err.value.path.endswith("broken.pdf")


def test_encrypted_pdf(tmp_path, seed003):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("simhei", fname=str(mk.cjk_font()))
    pdf.set_font("simhei", size=11)
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.multi_cell(0, 7, seed003[1])
    pdf.output(str(tmp_path / "locked.pdf"))
    with pytest.raises(ReportError, match="encrypted PDF"):
        extract_text(tmp_path / "locked.pdf")


@pytest.mark.parametrize("name", ["report.doc", "report.xlsx", "report"])
def test_unsupported_suffix(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"x")
    with pytest.raises(ReportError, match="unsupported document type"):
        extract_text(path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(ReportError, match="empty"):
        extract_text(path)
