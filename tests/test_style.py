"""The figure style renders Chinese without tofu, at exactly 1920x1080, with stable city colours."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib
import pytest
from PIL import Image

from lib import style

CITIES = ["厦门市", "中山市", "温州市"]
REPO = Path(__file__).resolve().parents[1]


def _bar_chart(out_dir: Path, stem: str = "dibao"):
    fig, ax = style.new_figure()
    values = [1020.0, 960.0, -35.5]  # a negative value puts a minus sign on the y axis
    ax.bar(CITIES, values, color=[style.city_color(c) for c in CITIES], label="最低生活保障标准")
    ax.set_ylim(-200, 1200)
    ax.legend()
    style.finish(
        fig,
        ax,
        title="最低生活保障标准（2024年）",
        unit="元/人/月",
        source="000_b35a1c2d 厦门市 2024; 001_9f00aa11 中山市 2024; 002_69bfed1f 温州市 2024",
    )
    with style.missing_glyph_warnings() as found:
        paths = style.save_figure(fig, out_dir, stem)
    return paths, found


def test_chart_renders_chinese_without_missing_glyphs(tmp_path):
    paths, found = _bar_chart(tmp_path / "figs")
    assert found == []
    png, svg = paths
    assert png == tmp_path / "figs" / "dibao.png" and svg.suffix == ".svg"
    with Image.open(png) as im:
        assert im.size == (1920, 1080)
    text = svg.read_text(encoding="utf-8")
    for s in ["最低生活保障标准", "厦门市", "中山市", "温州市", "元/人/月", "来源"]:
        assert s in text, s  # kept as text, not glyph paths
    assert style.use_style() in text  # the CJK family is named in the SVG
    assert "Noto Sans CJK SC" in text
    assert "-200" in text  # ASCII minus, not U+2212
    assert not list((tmp_path / "figs").glob(".*.tmp"))  # no temp files left behind


def test_missing_glyph_helper_catches_a_real_miss(tmp_path):
    style.use_style()
    fig, ax = style.new_figure()
    ax.set_title("\U000f0000")  # private-use plane: no font has it
    with style.missing_glyph_warnings() as found:
        style.save_figure(fig, tmp_path, "miss")
    assert found and "missing from font" in found[0]


def test_missing_glyph_helper_reemits_other_warnings():
    with pytest.warns(DeprecationWarning, match="unrelated"):
        with style.missing_glyph_warnings() as found:
            warnings.warn("unrelated", DeprecationWarning)
    assert found == []


def test_use_style_is_idempotent():
    a = style.use_style()
    before = dict(matplotlib.rcParams)
    b = style.use_style()
    assert a == b
    assert dict(matplotlib.rcParams) == before
    rc = matplotlib.rcParams
    assert rc["font.sans-serif"][0] == a
    assert rc["axes.unicode_minus"] is False
    assert rc["svg.fonttype"] == "none"
    assert (style.font_dir() / "NotoSansCJKsc-Regular.otf").is_file()  # shipped by mplfonts


def test_city_colors_fixed_distinct_and_stable_across_processes():
    colors = [style.city_color(c) for c in CITIES]
    assert len(set(colors)) == 3
    assert all(re.fullmatch(r"#[0-9A-Fa-f]{6}", c) for c in colors)
    assert style.city_color("厦门") == style.city_color("厦门市")
    assert style.city_color(" 厦门市 ") == colors[0]
    other = style.city_color("某某市")
    assert re.fullmatch(r"#[0-9A-F]{6}", other)
    assert other not in colors
    # A fresh interpreter with a different hash seed gives the same colour.
    code = "from lib import style; print(style.city_color('某某市'), style.city_color('厦门市'))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env={**os.environ, "PYTHONHASHSEED": "12345", "MPLBACKEND": "Agg"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == [other, colors[0]]


def test_long_source_note_wraps_and_keeps_size(tmp_path):
    fig, ax = style.new_figure()
    ax.plot([2019, 2020, 2021], [1, -2, 3], color=style.city_color("温州市"))
    source = "; ".join(f"00{i}_b35a1c2d9e 厦门市民政局工作报告 2024" for i in range(30))
    style.finish(fig, ax, "很长的来源说明", "人", source)
    with style.missing_glyph_warnings() as found:
        png, _ = style.save_figure(fig, tmp_path / "a" / "b", "long")
    assert found == []
    with Image.open(png) as im:
        assert im.size == (1920, 1080)


def test_a_long_note_of_quotes_and_arrows_stays_inside_the_slide(tmp_path):
    """— “” → are drawn full width by the CJK font: a note full of them must still wrap inside 1920 px."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig, ax = style.new_figure()
    ax.plot([2018, 2024], [1, 2])
    note = "注：" + "各期措辞不同：" + "→".join(f"截至{y}年{m}月“特困供养人员”" for y in (2018, 2024) for m in range(1, 13))
    style.finish(fig, ax, "措辞", "人", "来源: 000_b35a1c2d 厦门市 2024", note=note)
    style.save_figure(fig, tmp_path, "note")
    renderer = FigureCanvasAgg(fig).get_renderer()
    (text,) = [t for t in fig.texts if t.get_text().startswith("注")]
    box = text.get_window_extent(renderer)
    assert box.x0 >= 0 and box.x1 <= 1920, box
    assert text.get_text().split("\n")[2].endswith("…")  # cut at three lines, and says so
