"""Build real report files (HTML page, DOCX, PDF) from the seed reports' text, for format tests."""

from __future__ import annotations

import html
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = [ROOT / "data" / "raw", ROOT.parent / "shared" / "seeds"]

# A real table from seed 000 (社会救助一览表), as header + rows.
RELIEF_TABLE = [
    ["类别", "人数(人次)", "当年资金(万元)"],
    ["城乡低保", "14657", "19392.95"],
    ["特困人员供养", "1635", "4988.28"],
]
# The page metadata table of seed 004.
META_TABLE = [
    ["索引号", "001008003015009/2025-00104", "", ""],
    ["组配分类", "计划总结", "发布机构", "温州市民政局"],
    ["成文日期", "2025-06-21", "公开方式", "主动公开"],
]
NAV_TEXT = ["首页", "政务公开", "政务服务", "互动交流", "走进民政"]
FOOTER_TEXT = "扫一扫在手机上查看当前页面"
SCRIPT_TEXT = "var _hmt = _hmt || []; console.log('统计代码');"


def seed_lines(prefix: str) -> list[str]:
    """Non-empty lines of the seed whose file name starts with prefix (e.g. '003')."""
    for folder in SEEDS:
        found = sorted(folder.glob(f"{prefix}_*.txt"))
        if found:
            text = found[0].read_text(encoding="utf-8-sig")
            return [ln.strip() for ln in text.splitlines() if ln.strip()]
    raise FileNotFoundError(f"seed {prefix} not found in {SEEDS}")


def _html_table(rows: list[list[str]], attrs: str = "") -> str:
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>\n" for row in rows
    )
    return f"<table {attrs}>\n<tbody>\n{body}</tbody>\n</table>"


def _wrap_source_line(text: str) -> str:
    """Insert a source line break between two Chinese characters near the middle."""
    for i in range(len(text) // 2, len(text) - 1):
        if "\u4e00" <= text[i] <= "\u9fff" and "\u4e00" <= text[i + 1] <= "\u9fff":
            return text[: i + 1] + "\n        " + text[i + 1:]
    return text


def government_page(title: str, paragraphs: list[str], charset: str, table=None, meta=None) -> str:
    """A page shaped like a city government site: nav, breadcrumb, script, body, footer."""
    escaped = [html.escape(p) for p in paragraphs]
    if len(escaped) > 1:
        escaped[1] = _wrap_source_line(escaped[1])  # CMS editors wrap long source lines
    paras = "\n".join(f"<p style=\"text-indent:2em\">{p}</p>" for p in escaped)
    nav = "".join(f'<li><a href="/{i}">{t}</a></li>' for i, t in enumerate(NAV_TEXT))
    table_html = _html_table(table, 'border="1" class="MsoTable"') if table else ""
    meta_html = _html_table(meta, 'class="xxgk-table"') if meta else ""
    return f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta charset="{charset}">
<title>{html.escape(title)}_民政局</title>
<style>.nav {{ color: red; }} body {{ font-family: 宋体; }}</style>
<script>{SCRIPT_TEXT}</script>
</head>
<body>
<div class="header"><div class="logo">市民政局门户网站</div>
  <div class="nav"><ul>{nav}</ul></div></div>
<div class="main-wrap">
  <div class="crumb">当前位置: <a href="/">首页</a> &gt; <a href="/xxgk">信息公开</a></div>
  {meta_html}
  <div class="article">
    <h1 class="title">{html.escape(title)}</h1>
    <div class="info">时间:2025-01-15 来源:市民政局</div>
    <div class="TRS_Editor" id="zoom">
{paras}
{table_html}
    </div>
    <div class="share">分享到: 微信 微博</div>
  </div>
  <div class="sidebar"><h3>相关链接</h3><ul><li>民政部</li><li>省民政厅</li></ul></div>
</div>
<div class="footer"><p>主办单位:市民政局 地址:人民路1号</p>
  <p>{FOOTER_TEXT}</p></div>
<script type="text/javascript">document.write('<span>访问量统计</span>');</script>
</body>
</html>
"""


def write_html(path: Path, title: str, paragraphs: list[str], encoding: str, **kw) -> Path:
    charset = {"gbk": "gbk", "gb18030": "gb18030", "gb2312": "gb2312"}.get(encoding, "utf-8")
    path.write_bytes(government_page(title, paragraphs, charset, **kw).encode(encoding))
    return path


def write_docx(path: Path, paragraphs: list[str], table: list[list[str]], after: int = 2) -> Path:
    """A Word report: a heading, paragraphs, the table after paragraph `after`, more paragraphs."""
    import docx

    document = docx.Document()
    document.add_heading(paragraphs[0], level=1)
    for i, para in enumerate(paragraphs[1:], start=1):
        document.add_paragraph(para)
        if i == after:
            t = document.add_table(rows=len(table), cols=len(table[0]))
            for r, row in enumerate(table):
                for c, value in enumerate(row):
                    t.cell(r, c).text = value
    document.save(path)
    return path


def cjk_font() -> Path:
    """SimHei.ttf from mplfonts: a TrueType CJK font fpdf2 embeds with an extractable text layer.

    (The bundled Noto/SourceHan .otf fonts are CFF: fpdf2 embeds them but pdfminer then finds
    no characters, so they are useless for an extraction test.)
    """
    import mplfonts

    return Path(mplfonts.__file__).parent / "fonts" / "SimHei.ttf"


def write_pdf(path: Path, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    """A text PDF of the paragraphs (wrapped by fpdf2), optionally with a ruled table."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("simhei", fname=str(cjk_font()))
    pdf.set_font("simhei", size=11)
    pdf.add_page()
    for para in paragraphs:
        pdf.multi_cell(0, 7, para, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    if table:
        with pdf.table(first_row_as_headings=False) as t:
            for row in table:
                r = t.row()
                for value in row:
                    r.cell(value)
        pdf.ln(2)
        pdf.multi_cell(0, 7, "以上数据截至2024年12月。", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def write_blank_pdf(path: Path) -> Path:
    """A PDF with only a drawn rectangle: what a scanned page without OCR looks like to a parser."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="D")
    pdf.output(str(path))
    return path
