"""Mentions: every figure in a report, one row per quantity in a sentence or value in a table cell.

A mention points at its sentence (``sentence_id``) or table cell (``table_id`` + labels) rather
than copying its text: a sentence with n figures would otherwise be stored n times (quadratic).

Kept apart from the indicator rules because a mention is recorded whether or not any catalogue
indicator claims it; the table-label unit helpers live here and are shared with table indicators.
"""

from __future__ import annotations

from lib.numbers import Quantity
from lib.wording import label_unit


def mention_row(s, q: Quantity, n: int) -> dict:
    return {"report_id": s.report_id, "mention_id": f"{s.sentence_id}.m{n}", "section_id": s.section_id,
            "sentence_id": s.sentence_id, "table_id": "", "theme": s.theme, "part": s.part, "kind": q.kind,
            "raw_text": q.text, "value": q.value if q.kind not in ("year", "date") else None, "low": q.low, "high": q.high,
            "unit": q.unit, "unit_raw": q.unit_raw, "qualifier": q.qualifier, "row_label": "", "col_label": "",
            "char_start": s.char_start + q.start, "char_end": s.char_start + q.end}


def cell_mention(c, table, section_info: dict[str, tuple[str, str]]) -> dict:
    unit, mult = label_unit(c.col_label)
    if not unit:
        unit, mult = label_unit(c.row_label)
    theme, part = section_info.get(table.section_id, ("general", "review"))
    return {"report_id": c.report_id, "mention_id": f"{c.table_id}.r{c.row}c{c.col}", "section_id": table.section_id,
            "sentence_id": "", "table_id": c.table_id, "theme": theme, "part": part,
            "kind": "percent" if unit == "%" else "permille" if unit == "‰" else "quantity",
            "raw_text": c.text, "value": c.value * mult, "low": None, "high": None, "unit": unit, "unit_raw": unit,
            "qualifier": "exact", "row_label": c.row_label, "col_label": c.col_label,
            "char_start": c.char_start, "char_end": c.char_end}
