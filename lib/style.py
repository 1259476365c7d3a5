"""The one style module for every figure: CJK font, fixed city colours, 16:9 slide-sized output.

Machines that build the figures have no system CJK fonts and no internet, so the font comes from
the ``mplfonts`` PyPI package, which ships Noto Sans CJK / Source Han files as package data. We
register those files with matplotlib directly (no ``mplfonts init``, no download).

seaborn is deliberately not used: ``sns.set_theme()`` resets ``font.family`` unless ``font=`` is
passed, which silently brings back the tofu boxes.
"""

from __future__ import annotations

import colorsys
import contextlib
import hashlib
import logging
import sys
import unicodedata
import warnings
from pathlib import Path

import matplotlib
import matplotlib.font_manager as font_manager
from matplotlib.figure import (
    Figure,  # pyplot-free: no backend choice, no global figure registry
)

from lib.files import atomic_path

# Preference order: the first file found is the main family; the others are fallbacks.
_FONT_FILES = (
    ("NotoSansCJKsc-Regular.otf", "Noto Sans CJK SC"),
    ("SourceHanSansSC-Regular.otf", "Source Han Sans SC"),
    ("SimHei.ttf", "SimHei"),
)

# 1920x1080 PNG: 19.2 x 10.8 inches at 100 dpi. Never use bbox_inches="tight" (changes the size).
FIG_SIZE = (19.2, 10.8)
DPI = 100

# Fixed, colour-blind-safe (Okabe-Ito) colours for the cities we know, so a city looks the same
# on every slide. Any other city gets a stable hash-derived colour from ``city_color``.
CITY_COLORS: dict[str, str] = {
    "厦门市": "#0072B2",  # blue
    "中山市": "#D55E00",  # vermillion
    "温州市": "#009E73",  # bluish green
    "深圳市": "#CC79A7",  # reddish purple
    "杭州市": "#E69F00",  # orange
    "宁波市": "#56B4E9",  # sky blue
}

_TEXT_COLOR = "#222222"
_MUTED = "#666666"

_state: dict[str, object] = {"family": None}


def font_dir() -> Path:
    """Directory of the CJK fonts bundled in the installed ``mplfonts`` package."""
    import mplfonts  # a runtime dependency; imported lazily so importing lib.style stays cheap

    return Path(mplfonts.__file__).resolve().parent / "fonts"


def _register_fonts() -> list[str]:
    """addfont() every bundled CJK face we know; return their family names, preferred first."""
    folder = font_dir()
    families = []
    for filename, family in _FONT_FILES:
        path = folder / filename
        if path.is_file():
            font_manager.fontManager.addfont(str(path))
            name = font_manager.FontProperties(fname=str(path)).get_name() or family
            if name not in families:
                families.append(name)
    if not families:
        raise RuntimeError(
            f"no CJK font found in {folder}; install the 'mplfonts' package "
            "(it bundles Noto Sans CJK SC) — Chinese text would render as boxes"
        )
    return families


def use_style() -> str:
    """Register the bundled CJK font and set the slide look; safe to call many times.

    Returns the main font family name (e.g. "Noto Sans CJK SC") so callers/tests can check it.
    """
    if _state["family"] is None:
        _state["families"] = _register_fonts()
        _state["family"] = _state["families"][0]
    families = list(_state["families"])  # type: ignore[arg-type]
    rc = matplotlib.rcParams
    rc.update(
        {
            # Font: CJK face first, DejaVu Sans as fallback for any glyph the CJK face lacks.
            "font.family": "sans-serif",
            "font.sans-serif": families + ["DejaVu Sans"],
            "axes.unicode_minus": False,  # ASCII hyphen-minus: always present, never a box
            "svg.fonttype": "none",  # SVG keeps text as text, naming the font family
            "svg.hashsalt": "minzheng-compare",  # deterministic SVG ids across runs
            "pdf.fonttype": 42,
            # Size: legible on a 1920x1080 slide viewed from the back of the room.
            "figure.figsize": FIG_SIZE,
            "figure.dpi": DPI,
            "savefig.dpi": DPI,
            "savefig.bbox": "standard",
            "savefig.facecolor": "white",
            "figure.facecolor": "white",
            "font.size": 20,
            "axes.titlesize": 34,
            # The bundled CJK faces are Regular only; asking for bold just logs a fallback.
            "axes.titleweight": "normal",
            "figure.titleweight": "normal",
            "axes.titlelocation": "left",
            "axes.titlepad": 20,
            "axes.labelsize": 22,
            "axes.labelcolor": _TEXT_COLOR,
            "xtick.labelsize": 20,
            "ytick.labelsize": 20,
            "xtick.color": _TEXT_COLOR,
            "ytick.color": _TEXT_COLOR,
            "legend.fontsize": 20,
            "legend.frameon": False,
            "text.color": _TEXT_COLOR,
            # Clean look: no box, light horizontal grid behind the data.
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.edgecolor": "#888888",
            "axes.linewidth": 1.2,
            "axes.grid": True,
            "axes.grid.axis": "y",
            "axes.axisbelow": True,
            "grid.color": "#DDDDDD",
            "grid.linewidth": 1.0,
            "lines.linewidth": 3.0,
            "lines.markersize": 9,
            "axes.prop_cycle": matplotlib.cycler(color=list(CITY_COLORS.values())),
        }
    )
    return str(_state["family"])


def city_color(city: str) -> str:
    """Fixed hex colour for a city: palette for known cities, else a stable hash-derived colour.

    Uses sha256 of the UTF-8 name (not Python's salted ``hash()``), so the colour is the same
    in every run and process. "厦门" and "厦门市" share a colour.
    """
    name = unicodedata.normalize("NFKC", str(city)).strip()
    if name in CITY_COLORS:
        return CITY_COLORS[name]
    if name + "市" in CITY_COLORS:
        return CITY_COLORS[name + "市"]
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    hue = int.from_bytes(digest[:2], "big") / 65536.0
    lightness = 0.38 + (digest[2] / 255.0) * 0.14  # 0.38-0.52: readable on white
    saturation = 0.55 + (digest[3] / 255.0) * 0.25  # 0.55-0.80
    r, g, b = colorsys.hls_to_rgb(hue, lightness, saturation)
    return "#{:02X}{:02X}{:02X}".format(round(r * 255), round(g * 255), round(b * 255))


def new_figure():
    """A 16:9 figure (1920x1080 px when saved) and one axes, with the style applied.

    Built with ``Figure`` rather than pyplot so nothing accumulates in pyplot's global registry.
    Constrained layout keeps long Chinese tick labels inside the canvas; the bottom strip is left
    free for the source note that ``finish`` adds.
    """
    use_style()
    fig = Figure(figsize=FIG_SIZE, dpi=DPI, layout="constrained")
    fig.get_layout_engine().set(rect=(0.0, 0.05, 1.0, 0.95))
    ax = fig.add_subplot()
    return fig, ax


def display_width(text: str, ambiguous: int = 1) -> int:
    """Width in half-width units: CJK / full-width characters count 2; East Asian ambiguous ones
    (— “ ” …) count ``ambiguous`` (2 where a CJK font draws them)."""
    return sum(2 if (w := unicodedata.east_asian_width(ch)) in "WF" else ambiguous if w == "A" else 1 for ch in text)


def _wrap_display(text: str, width: int, max_lines: int) -> list[str]:
    """Wrap by display width (CJK counts 2, and — “” → too: the CJK font draws them full width), at most
    ``max_lines`` lines, "…" if cut."""
    lines: list[str] = []
    for para in text.splitlines() or [""]:
        line, w = "", 0
        for ch in para:
            cw = display_width(ch, ambiguous=2)
            if w + cw > width and line:
                cut = line.rfind(" ")  # prefer breaking between words ("2024;" stays whole)
                if ch == " " or cut < len(line) // 2:
                    lines.append(line)
                    line = ""
                else:
                    lines.append(line[:cut])
                    line = line[cut + 1 :]
                w = display_width(line, ambiguous=2)
                if ch == " ":
                    continue
            line += ch
            w += cw
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(0, len(lines[-1]) - 1)] + "…"
    return lines


def finish(fig, ax, title: str, unit: str, source: str, note: str = "") -> None:
    """Add the title, y-axis unit label, the 注 (what differs between the figures compared) and a
    source note at the bottom of the figure.

    The source note is where a slide says which report (id, city, year) each number came from;
    the 注 comes first (up to 3 lines, never cut short of its meaning on a slide: the full text is
    also under the figure in the HTML), then the source (up to 3 lines); the bottom strip grows to fit.
    """
    ax.set_title(title)
    if unit:
        ax.set_ylabel(unit)
    src = (source or "").strip()
    if src and not src.startswith(("来源", "Source", "source")):
        src = "来源: " + src
    lines = _wrap_display(note.strip(), width=170, max_lines=3) if note and note.strip() else []
    if src:
        lines += _wrap_display(src, width=170, max_lines=3)
    if lines:
        bottom = 0.02 + 0.025 * len(lines)
        engine = fig.get_layout_engine()
        if engine is not None and hasattr(engine, "set") and "rect" in engine.get():
            engine.set(rect=(0.0, bottom + 0.01, 1.0, 1.0 - bottom - 0.01))
        fig.text(
            0.01,
            0.015,
            "\n".join(lines),
            ha="left",
            va="bottom",
            fontsize=15,
            color=_MUTED,
            linespacing=1.3,
        )


def _atomic_savefig(fig, path: Path, fmt: str) -> None:
    """savefig to a temp file in the same directory, then os.replace: no half-written files."""
    with atomic_path(path) as tmp, open(tmp, "xb") as fh:
        metadata = {"Date": None} if fmt == "svg" else None  # reproducible SVG bytes
        extra = {"pil_kwargs": {"compress_level": 3}} if fmt == "png" else {}  # zlib 6 costs 2x for ~10% bytes
        fig.savefig(fh, format=fmt, dpi=DPI, metadata=metadata, **extra)


def save_figure(fig, out_dir, stem: str) -> list[Path]:
    """Write ``<stem>.png`` (1920x1080) and ``<stem>.svg`` atomically, close the figure.

    Returns ``[png_path, svg_path]``. The size is fixed at 19.2x10.8 in @ 100 dpi so every
    slide image is exactly 1920x1080 whatever the caller did to the figure size.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    fig.set_size_inches(*FIG_SIZE)
    paths = []
    try:
        for fmt in ("png", "svg"):
            path = out / f"{stem}.{fmt}"
            _atomic_savefig(fig, path, fmt)
            paths.append(path)
            # the layout is settled by the first draw: keep it, rather than solve it again per format
            fig.set_layout_engine(None)
    finally:
        pyplot = sys.modules.get("matplotlib.pyplot")
        if pyplot is not None:
            pyplot.close(fig)  # harmless for figures not created through pyplot
    return paths


class _GlyphLogHandler(logging.Handler):
    def __init__(self, sink: list[str]):
        super().__init__(level=logging.WARNING)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        msg = record.getMessage()
        if _is_glyph_message(msg):
            self.sink.append(msg)


def _is_glyph_message(msg: str) -> bool:
    return "Glyph" in msg and "missing from" in msg


@contextlib.contextmanager
def missing_glyph_warnings():
    """Collect matplotlib "Glyph … missing from font(s)" messages raised inside the block.

    Yields a list that fills with the messages, whether they arrive as ``warnings`` (UserWarning
    in current matplotlib, RuntimeWarning in older ones) or as log records. Other warnings are
    re-emitted unchanged. Use it in tests and the render step: ``assert not found``.

        with missing_glyph_warnings() as found:
            fig.savefig(...)
        assert not found, found
    """
    found: list[str] = []
    handler = _GlyphLogHandler(found)
    logger = logging.getLogger("matplotlib")
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield found
    finally:
        logger.removeHandler(handler)
    for w in caught:
        msg = str(w.message)
        if _is_glyph_message(msg):
            found.append(msg)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno, source=w.source)


__all__ = [
    "CITY_COLORS",
    "DPI",
    "FIG_SIZE",
    "city_color",
    "finish",
    "font_dir",
    "missing_glyph_warnings",
    "new_figure",
    "save_figure",
    "use_style",
]
