"""Analyst workbook keeps numbers numeric and report text literal; the deck is 16:9 with charts."""

from __future__ import annotations

import math

import numpy as np
import openpyxl
import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Inches

from lib import style
from lib.excel import csv_safe, sanitize_sheet_name, write_workbook
from lib.files import csv_safe_arrow, write_excel_csv
from lib.slides import write_deck

RISKY = ["=SUM(A1)", "+86", "-5元", "@x"]


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "城市": ["厦门市", "中山市", "温州市", "某某市"],
            "指标": ["最低生活保障标准", "特困人员供养", "城市低保人数", "说明"],
            "数值": [1020, 960, -35, 7],
            "比例": [0.5, np.nan, -1.25, 3.0],
            "证据": RISKY,
            "原文": ["城市低保享受人数(万人) 1.03" * 10, "短", None, "第一行\n第二行"],
        }
    )


def test_workbook_types_formula_safety_freeze_widths(tmp_path):
    df = _frame()
    path = write_workbook(tmp_path / "out" / "analyst.xlsx", {"indicators": df, "短表": df[["城市"]]})
    assert path.is_file()
    assert not list(path.parent.glob(".*.tmp"))

    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["indicators", "短表"]
    ws = wb["indicators"]

    header = [c.value for c in ws[1]]
    assert header == list(df.columns)
    assert all(c.font.b for c in ws[1])
    assert ws["A1"].fill.fgColor.rgb.endswith("1F4E79")
    assert ws.freeze_panes == "B2"  # header row + first column (wide table)
    assert wb["短表"].freeze_panes == "A2"  # narrow table: header row only

    # Numbers are numeric cells, NaN/None are empty.
    assert [ws.cell(r, 3).value for r in range(2, 6)] == [1020, 960, -35, 7]
    assert all(ws.cell(r, 3).data_type == "n" for r in range(2, 6))
    assert ws["D2"].value == 0.5 and ws["D2"].data_type == "n"
    assert ws["D3"].value is None
    assert ws["D4"].value == -1.25
    assert ws["F4"].value is None

    # Formula-like report text stays a literal string, quote-prefixed.
    for r, text in enumerate(RISKY, start=2):
        cell = ws.cell(r, 5)
        assert cell.data_type == "s", text
        assert cell.value == text
        assert cell.quotePrefix is True
    assert ws["A2"].quotePrefix is False  # ordinary text untouched

    # Widths: CJK counts double, capped at 60; long text wraps.
    width = lambda col: ws.column_dimensions[col].width  # noqa: E731
    assert width("B") >= 2 * len("最低生活保障标准")
    assert width("F") == 60
    assert ws["F2"].alignment.wrap_text is True
    assert ws["F5"].alignment.wrap_text is True  # multi-line
    assert all(6 <= width(c) <= 60 for c in "ABCDEF")

    # pandas sees the same values and dtypes.
    back = pd.read_excel(path, sheet_name="indicators", engine="openpyxl")
    assert back["数值"].tolist() == [1020, 960, -35, 7]
    assert pd.api.types.is_integer_dtype(back["数值"])
    assert pd.api.types.is_float_dtype(back["比例"]) and math.isnan(back["比例"][1])
    assert back["证据"].tolist() == RISKY
    assert back["城市"].tolist() == df["城市"].tolist()


def test_sheet_names_sanitised_and_unique(tmp_path):
    df = pd.DataFrame({"a": [1]})
    names = {"a/b:c*d?[e]\\f": df, "x" * 40: df, "X" * 40: df, "": df, "'引号'": df}
    wb = openpyxl.load_workbook(write_workbook(tmp_path / "n.xlsx", names))
    got = wb.sheetnames
    assert got[0] == "a_b_c_d__e__f"
    assert all(len(n) <= 31 for n in got)
    assert len({n.lower() for n in got}) == len(got)
    assert got[3] == "Sheet" and got[4] == "引号"
    taken: set[str] = set()
    assert [sanitize_sheet_name("s", taken) for _ in range(3)] == ["s", "s~2", "s~3"]


def test_empty_frames_and_odd_values(tmp_path):
    odd = pd.DataFrame(
        {
            "when": [pd.Timestamp("2024-01-02", tz="Asia/Shanghai"), pd.NaT],
            "flag": [True, False],
            "ctrl": ["bad\x01char", "ok"],
        }
    )
    sheets = {"empty": pd.DataFrame(), "cols": pd.DataFrame(columns=["a"]), "odd": odd}
    path = write_workbook(tmp_path / "e.xlsx", sheets)
    wb = openpyxl.load_workbook(path)
    assert wb["cols"]["A1"].value == "a"
    ws = wb["odd"]
    assert ws["A2"].is_date and ws["A3"].value is None
    assert ws["B2"].value is True
    assert ws["C2"].value == "badchar"


def test_csv_safe_prefixes_only_risky_strings():
    df = _frame()
    safe = csv_safe(df)
    assert safe["证据"].tolist() == ["'=SUM(A1)", "'+86", "'-5元", "'@x"]
    assert safe["数值"].tolist() == [1020, 960, -35, 7]  # negative numbers untouched
    assert safe["城市"].tolist() == df["城市"].tolist()
    assert safe["原文"].isna().tolist() == df["原文"].isna().tolist()
    assert df["证据"].tolist() == RISKY  # input not modified
    assert list(csv_safe(pd.DataFrame({"=x": ["\tcmd"]})).columns) == ["'=x"]


def test_csv_safe_arrow_quotes_what_csv_safe_quotes():
    """The Arrow twin the CSV writer uses prefixes the same cells and names, and keeps missing values missing."""
    import pyarrow as pa

    df = pd.concat([_frame(), pd.DataFrame({"证据": ["\tcmd", "\rx", "a=b", ""]})], ignore_index=True)
    df["=列"] = "x"
    arrow = csv_safe_arrow(pa.Table.from_pandas(df, preserve_index=False)).to_pandas()
    expected = csv_safe(df)
    assert list(arrow.columns) == list(expected.columns)
    for col in expected.columns:
        assert arrow[col].isna().tolist() == expected[col].isna().tolist(), col
        assert arrow[col].dropna().tolist() == expected[col].dropna().tolist(), col


def test_excel_csv_reads_back_safe_and_whole(tmp_path):
    """The CSVs a page and a figure give the analyst: BOM for Excel, formula-like text quoted, every
    row and value back; a column Arrow cannot type (numbers and text mixed) is still written."""
    df = _frame()
    write_excel_csv(df, tmp_path / "a.csv")
    raw = (tmp_path / "a.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(tmp_path / "a.csv", encoding="utf-8-sig")
    assert list(back.columns) == list(df.columns)
    assert back["证据"].tolist() == ["'=SUM(A1)", "'+86", "'-5元", "'@x"]
    assert back["数值"].tolist() == df["数值"].tolist()
    assert back["原文"].isna().tolist() == df["原文"].isna().tolist()
    mixed = pd.DataFrame({"值": pd.Series([1, "=2", None], dtype=object), "=列": ["a", "b", "c"]})
    write_excel_csv(mixed, tmp_path / "m.csv")
    back = pd.read_csv(tmp_path / "m.csv", encoding="utf-8-sig", dtype=str)
    assert list(back.columns) == ["值", "'=列"] and back["值"].tolist()[:2] == ["1", "'=2"]


def _pngs(tmp_path):
    out = []
    for i, city in enumerate(["厦门市", "中山市"]):
        fig, ax = style.new_figure()
        ax.bar([city], [1000 + i], color=style.city_color(city))
        style.finish(fig, ax, f"{city} 低保标准", "元/人/月", f"来源: 00{i}_b35a {city} 2024")
        png, _svg = style.save_figure(fig, tmp_path / "figs", f"fig{i}")
        out.append(dict(png=png, title=f"{city} 低保标准", source=f"来源: 00{i}_b35a {city} 2024"))
    return out


def test_deck_is_16_9_with_titles_pictures_sources(tmp_path):
    figures = _pngs(tmp_path)
    path = write_deck(tmp_path / "deck" / "compare.pptx", figures)
    assert not list(path.parent.glob(".*.tmp"))
    prs = Presentation(str(path))
    assert len(prs.slides) == 2
    assert prs.slide_width == Inches(13.333) and prs.slide_height == Inches(7.5)
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.01
    for slide, fig in zip(prs.slides, figures):
        assert slide.shapes.title.text == fig["title"]
        pics = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pics) == 1
        pic = pics[0]
        assert pic.left >= 0 and pic.top >= 0
        assert pic.left + pic.width <= prs.slide_width
        assert pic.top + pic.height <= prs.slide_height
        assert abs(pic.width / pic.height - 16 / 9) < 0.01  # not distorted
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        assert fig["source"] in texts


def test_deck_missing_png_names_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.png"):
        write_deck(tmp_path / "d.pptx", [dict(png=tmp_path / "nope.png", title="t", source="s")])
    assert not (tmp_path / "d.pptx").exists()


def test_the_deck_knows_each_figure_folder_by_the_kind_that_owns_it(tmp_path):
    """figure_owner is the inverse of each kind's figure folder, so the deck's sections and order
    follow lib.outputs.KINDS rather than folder names written again in the export."""
    from lib import outputs

    for kind, key in (("overview", ""), ("theme", "social_assistance"), ("theme", "city_like"), ("city", "厦门市")):
        folder = outputs.KINDS[kind].figure_dir(tmp_path, key)
        assert outputs.figure_owner((folder / "x.png").relative_to(tmp_path).parts) == (kind, key)
