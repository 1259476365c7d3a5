"""Turn a non-.txt report (saved HTML page, DOCX, PDF) into plain text for the text pipeline.

The text pipeline (``lib.ingest``/``lib.tables``) already understands reports copied from web
pages, so every format is rendered into that shape:

- one paragraph / heading / list item per line;
- a table as one line per row, cells joined by ``" | "`` with a trailing ``" |"``
  (``类别 | 人数 | 资金 |``), the ``pipe_rows`` form ``lib.tables`` rebuilds, so tables stay tables.

Every file that cannot be read raises :class:`lib.errors.ReportError` naming the reason and a fix.
"""

from __future__ import annotations

import codecs
import itertools
import re
from pathlib import Path

from lib.errors import ReportError

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def extract_text(path: Path) -> str:
    """Plain text of a .html/.htm, .docx or .pdf report; ReportError for anything else."""
    path = Path(path)
    suffix = path.suffix.lower()
    readers = {".html": html_text, ".htm": html_text, ".docx": docx_text, ".pdf": pdf_text}
    if suffix not in readers:
        raise ReportError(path, f"unsupported document type {suffix or '(none)'}",
                          "supply .html, .htm, .docx or .pdf (or the report as .txt)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReportError(path, f"cannot be read: {exc.strerror}") from exc
    if not data.strip():
        raise ReportError(path, "file is empty", "re-save or re-download the report")
    try:
        return readers[suffix](path, data)
    except RecursionError:  # a library walking a pathologically nested document recursively
        raise ReportError(path, "is nested too deeply to read (thousands of elements inside each other)",
                          "save the report as .txt") from None


# --- shared helpers --------------------------------------------------------------------------

def clean_cell(text: str) -> str:
    """One table cell on one line; a literal '|' would split the cell, so it becomes '/'."""
    return re.sub(r"\s+", " ", (text or "").replace("|", "/")).strip()


def table_row(cells: list[str]) -> str:
    """A row in the form the text parser reads: 'a | b | c |' (empty cells kept as gaps)."""
    cells = [clean_cell(c) for c in cells]
    while cells and not cells[-1]:
        cells.pop()  # trailing empties are layout padding, not data
    return " | ".join(cells) + " |" if cells else ""


def join_lines(lines: list[str]) -> str:
    """Non-empty stripped lines joined by newlines, with a final newline."""
    kept = [ln.strip() for ln in lines if ln and ln.strip()]
    return "\n".join(kept) + ("\n" if kept else "")


# --- HTML ------------------------------------------------------------------------------------

# Elements that are never report text.
_DROP_TAGS = ["script", "style", "noscript", "nav", "header", "footer", "iframe", "form",
              "button", "select", "input", "textarea", "svg", "canvas", "template", "object"]
# id/class tokens of page furniture on Chinese government sites (匹配 id/class 的片段).
_FURNITURE_ATTR = re.compile(
    r"nav|crumb|footer|share|header|menu|sidebar|banner|copyright|position|location|"
    r"toolbar|bdshare|fenxiang|dqwz|wzdh|qrcode", re.I)
# id/class tokens of the container that holds the article body.
_CONTENT_ATTR = re.compile(r"trs_editor|zoom|article|content|detail|^main|^zw|^text|^con$", re.I)
# Block elements: each starts and ends a line.
_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
               "section", "article", "main", "aside", "blockquote", "pre", "address", "center",
               "figure", "figcaption", "caption", "hr", "tr", "tbody", "thead", "tfoot", "body"}
# Whitespace that in HTML means nothing: a source line break between two CJK characters is
# dropped (the writer's editor wrapped the line); other runs become one space.
_CJK_WRAP = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])[ \t\r\xa0]*\n\s*(?=[\u3000-\u9fff\uff00-\uffef])")
_SPACES = re.compile(r"[ \t\r\n\f\xa0]+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def html_text(path: Path, data: bytes) -> str:
    """Main-content text of a saved government web page, tables as ' | ' rows."""
    from bs4 import BeautifulSoup

    m = _META_CHARSET.search(data[:4096])
    declared = m.group(1).decode("ascii", "ignore").lower() if m else ""
    if declared.replace("-", "").replace("_", "") in ("utf7", "unicode11utf7", "csunicode11utf7"):
        raise ReportError(path, f"declares charset={declared}, which the suite does not read (browsers refuse it too: "
                                "it can hide markup)", "open it and save it again as UTF-8")
    soup = BeautifulSoup(decode_html(data), "lxml")
    body = soup.body or soup
    meta_lines = _take_metadata_tables(body)
    _drop_furniture(body)
    main = main_content(body)
    lines = meta_lines + render_html(main)
    if not any(CJK.search(ln) for ln in lines):
        raise ReportError(path, "web page holds no Chinese report text",
                          "save the report page itself (not a frame or index page), or supply .txt")
    return join_lines(lines)


def decode_html(data: bytes) -> str:
    """Decode page bytes: BOM, then strict UTF-8, then the <meta> charset, then a guess.

    Strict UTF-8 is tried before the declared charset because pages re-saved as UTF-8 often keep
    a stale ``charset=gb2312`` and valid UTF-8 is almost never accidental. GB2312/GBK are read
    as GB18030 (their superset), since pages labelled gb2312 routinely use GBK-only characters.
    """
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    m = _META_CHARSET.search(data[:4096])
    declared = m.group(1).decode("ascii", "ignore").lower() if m else ""
    if declared in {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"}:
        declared = "gb18030"
    if declared:
        try:
            codecs.lookup(declared)
            return data.decode(declared, errors="replace")
        except LookupError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding:
        return str(best)
    return data.decode("gb18030", errors="replace")


def _take_metadata_tables(body) -> list[str]:
    """Keep the 索引号/发布机构 table that sits outside the article body (ingest reads it).

    The tables are removed from the tree so they are not emitted twice.
    """
    lines: list[str] = []
    for table in body.find_all("table"):
        if table.find("table") or not re.search(r"索引号|发布机构|成文日期", table.get_text()):
            continue
        lines += _html_table_rows(table)
        table.decompose()
    return lines


def _attr_text(tag) -> str:
    if getattr(tag, "attrs", None) is None:
        return ""
    classes = tag.get("class") or []
    if isinstance(classes, str):
        classes = classes.split()
    return " ".join([tag.get("id") or ""] + list(classes))


def _cjk_count(tag) -> int:
    return len(CJK.findall(tag.get_text()))


def _drop_furniture(body) -> None:
    """Remove scripts, navigation, breadcrumbs, share bars and footers.

    An element is dropped by tag name, or because a token of its id/class looks like furniture;
    it is kept anyway if it holds more than half of the page's Chinese text (a whole-page
    wrapper with a careless class name).
    """
    from bs4 import Comment

    for comment in body.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in body.find_all(_DROP_TAGS):
        if not tag.decomposed:
            tag.decompose()
    total = _cjk_count(body)
    for tag in list(body.find_all(True)):
        if tag.decomposed or not _FURNITURE_ATTR.search(_attr_text(tag)):
            continue
        if _cjk_count(tag) * 2 > total:
            continue  # a whole-page wrapper with a careless class name, not furniture
        tag.decompose()


def _is_content(tag) -> bool:
    return any(_CONTENT_ATTR.search(tok) for tok in _attr_text(tag).split())


def main_content(body):
    """The element holding the report body.

    1. Among elements whose id/class token looks like an article container (TRS_Editor, zoom,
       article, content, detail, main…), take the one with the most Chinese text; a wrapper
       with no more text than its inner container loses to the inner one. It is used if it holds
       at least 40% of the page's Chinese text.
    2. Otherwise, the element whose <p> children hold the most Chinese text.
    3. Otherwise the whole body.
    """
    total = _cjk_count(body)
    if not total:
        return body
    best, best_n = None, 0
    for tag in body.find_all(_is_content):
        n = _cjk_count(tag)
        if n >= best_n:  # find_all is in document order: a descendant comes later and wins ties
            best, best_n = tag, n
    if best is not None and best_n * 10 >= total * 4:
        return best
    scores: dict[int, tuple[int, object]] = {}
    for p in body.find_all("p"):
        parent = p.parent
        n, _ = scores.get(id(parent), (0, parent))
        scores[id(parent)] = (n + _cjk_count(p), parent)
    if scores:
        n, parent = max(scores.values(), key=lambda v: v[0])
        if n * 10 >= total * 4:
            return parent
    return body


_END_BLOCK = object()  # marks the end of a block element's children in render_html's walk


class _Block:
    """A node to walk as a block of its own (a layout table's cell)."""

    def __init__(self, node):
        self.node = node


def render_html(root) -> list[str]:
    """Lines of text: block elements and <br> end lines; tables become ' | ' rows.

    The walk keeps its own stack rather than recursing, so a page nested thousands of elements
    (or layout tables) deep is read like any other.
    """
    from bs4 import NavigableString

    lines: list[str] = []
    buf: list[str] = []

    def flush():
        text = _SPACES.sub(" ", _CJK_WRAP.sub("", "".join(buf))).strip()
        buf.clear()
        if text:
            lines.append(text)

    stack = [_table_items(root)] if getattr(root, "name", None) == "table" else [iter(root.children)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        if child is _END_BLOCK:
            flush()
            continue
        if isinstance(child, _Block):
            flush()
            stack.append(itertools.chain(child.node.children, [_END_BLOCK]))
            continue
        if isinstance(child, str) and not isinstance(child, NavigableString):  # a table row, already joined
            flush()
            lines.append(child)
            continue
        if isinstance(child, NavigableString):
            if type(child) is NavigableString or child.__class__.__name__ == "CData":
                buf.append(str(child))
            continue
        name = child.name
        if name == "br":
            flush()
        elif name == "table":
            flush()
            stack.append(_table_items(child))
        elif name in _BLOCK_TAGS:
            flush()
            stack.append(itertools.chain(child.children, [_END_BLOCK]))
        else:
            stack.append(iter(child.children))
    flush()
    return lines


def _table_items(table):
    """A table for render_html's walk: one ' | ' line per <tr> (not of nested tables).

    Layout tables (a single cell per row, or cells holding tables) yield their cells as blocks
    instead, since pages often wrap the whole article in one.
    """
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    for tr in rows:
        cells = [c for c in tr.find_all(["td", "th"]) if c.find_parent("tr") is tr]
        if len(cells) == 1 or any(c.find("table") for c in cells):
            for c in cells:
                yield _Block(c)
            continue
        row = table_row([_cell_text(c) for c in cells])
        if row:
            yield row


def _html_table_rows(table) -> list[str]:
    """One ' | ' line per <tr> of this table; layout tables as plain lines."""
    return render_html(table)


def _cell_text(cell) -> str:
    return _SPACES.sub(" ", _CJK_WRAP.sub("", cell.get_text(" "))).strip()


# --- DOCX ------------------------------------------------------------------------------------

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def docx_text(path: Path, data: bytes) -> str:
    """Paragraphs and tables of a Word file in body order, tables as ' | ' rows."""
    if data.startswith(_OLE_MAGIC):
        raise ReportError(path, "not a .docx: an encrypted Word file or an old binary .doc",
                          "remove the password / open in Word and save as .docx")
    if not data.startswith(_ZIP_MAGIC):
        raise ReportError(path, "not a .docx (not a Word zip package; corrupt or misnamed)",
                          "re-save the report from Word as .docx, or supply .txt")
    import io

    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        lines = _docx_body_lines(document)
    except ReportError:
        raise
    except Exception as exc:  # zipfile.BadZipFile, KeyError, lxml errors, PackageNotFoundError
        raise ReportError(path, f"corrupt .docx ({type(exc).__name__}: {exc})",
                          "re-save the report from Word as .docx, or supply .txt") from exc
    if not any(ln.strip() for ln in lines):
        raise ReportError(path, ".docx holds no text", "check the file; text in images needs OCR")
    return join_lines(lines)


def _docx_body_lines(document) -> list[str]:
    """Walk the body XML children in order so tables stay where they are among paragraphs."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            lines.extend(_docx_table_rows(Table(child, document)))
    return lines


def _docx_table_rows(table) -> list[str]:
    """One ' | ' row per table row; a horizontally merged cell counts once (its <w:tc>)."""
    from docx.table import _Cell

    out = []
    for tr in table._tbl.tr_lst:
        cells = [_Cell(tc, table).text for tc in tr.tc_lst]
        row = table_row(cells)
        if row:
            out.append(row)
    return out


# --- PDF -------------------------------------------------------------------------------------

def pdf_text(path: Path, data: bytes) -> str:
    """Page text in reading order; ruled tables as ' | ' rows instead of loose text.

    Tables are found with pdfplumber's default (ruling-line) strategy, so only tables drawn
    with borders count. Characters inside a table's box are cropped out of the page text, and
    the table rows are placed among the text lines by their vertical position, so no table
    text appears twice. Lines the typesetter wrapped are joined back (see ``_unwrap``) so a
    number is never split from its unit ("2732万" / "元").
    """
    import io

    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            items = [item for page in pdf.pages for item in _pdf_page_items(page)]
    except ReportError:
        raise
    except Exception as exc:
        raise _pdf_error(path, exc) from exc
    if not any(text.strip() for text, _ in items):
        raise ReportError(path, "no text layer (scanned PDF?)",
                          hint="run OCR first or supply the text/HTML version")
    return join_lines(_unwrap(items))


def _pdf_error(path: Path, exc: Exception) -> ReportError:
    """Name the real pdfminer error (pdfplumber wraps it in PdfminerException)."""
    if type(exc).__name__ == "PdfminerException" and exc.args and isinstance(exc.args[0], Exception):
        exc = exc.args[0]
    name = type(exc).__name__
    if "Password" in name or "Encrypt" in name:
        return ReportError(path, f"encrypted PDF ({name})",
                           "supply an unprotected copy, or the text/HTML version")
    detail = f"{name}: {exc}" if str(exc) else name
    return ReportError(path, f"corrupt or unreadable PDF ({detail})",
                       "re-download the file, or supply the text/HTML version")


def _pdf_page_items(page) -> list[tuple[str, bool]]:
    """(line, wraps) pairs for one page, top to bottom: text lines outside tables, table rows.

    ``wraps`` is True for a text line that reaches the right edge of the page's text block
    (within 1.5 characters), i.e. the paragraph continues on the next line. The edge only
    counts if it lies beyond 60% of the page width, so a page of short lines is left alone.
    """
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside(obj):
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    text_lines = (page.filter(outside) if boxes else page).extract_text_lines()
    right = max((ln["x1"] for ln in text_lines), default=0)
    if right < 0.6 * float(page.width):
        right = float("inf")  # no full-width text block on this page: nothing wraps
    placed = []
    for ln in text_lines:
        size = max((c.get("size", 0) for c in ln.get("chars", [])), default=10)
        placed.append((ln["top"], [(ln["text"], ln["x1"] >= right - 1.5 * size)]))
    for table in tables:
        rows = [table_row([c or "" for c in row]) for row in table.extract()]
        placed.append((table.bbox[1], [(r, False) for r in rows if r]))
    placed.sort(key=lambda item: item[0])
    return [item for _, group in placed for item in group]


def _unwrap(items: list[tuple[str, bool]]) -> list[str]:
    """Join each wrapped line to the next one (no space between Chinese, one between Latin)."""
    lines: list[str] = []
    carry = ""
    for text, wraps in items:
        text = text.strip()
        if carry:
            a, b = carry[-1:], text[:1]
            # a wrapped English word needs its space back; a wrapped number (约1|30万) must not get one
            ascii_join = a.isascii() and a.isalpha() and b.isascii() and b.isalpha()
            text = carry + (" " if ascii_join else "") + text
        if wraps:
            carry = text
        else:
            lines.append(text)
            carry = ""
    if carry:
        lines.append(carry)
    return lines
