"""A 16:9 PowerPoint deck with one chart per slide, written atomically.

python-pptx cannot place SVG, so each slide takes the 1920x1080 PNG from ``style.save_figure``.
New python-pptx decks default to 4:3, and the template's placeholders are laid out for that
width, so the size is set explicitly and the title placeholder is repositioned.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from lib.files import atomic_path

SLIDE_WIDTH = Inches(13.333)
SLIDE_HEIGHT = Inches(7.5)
_MARGIN = Inches(0.4)
_TITLE_TOP = Inches(0.25)
_TITLE_HEIGHT = Inches(0.8)
_SOURCE_HEIGHT = Inches(0.45)
_TITLE_ONLY_LAYOUT = 5  # "Title Only" in python-pptx's default template


def _fit(img_w: int, img_h: int, box_w: int, box_h: int) -> tuple[int, int]:
    """Largest (w, h) with the image's aspect ratio inside the box."""
    scale = min(box_w / img_w, box_h / img_h)
    return int(img_w * scale), int(img_h * scale)


_TITLE_LAYOUT = 0  # "Title Slide"
_SECTION_LAYOUT = 2  # "Section Header"


def _add_text_slide(prs, layout: int, title: str, subtitle: str = "", notes: str = "") -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[layout])
    slide.shapes.title.text = title
    body = [p for p in slide.placeholders if p.placeholder_format.idx == 1]
    if body:
        body[0].text = subtitle
    if notes:
        slide.notes_slide.notes_text_frame.text = notes


def _add_slide(prs, png: Path, title: str, source: str, note: str = "") -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[_TITLE_ONLY_LAYOUT])
    content_w = SLIDE_WIDTH - 2 * _MARGIN

    title_shape = slide.shapes.title
    title_shape.left, title_shape.top = _MARGIN, _TITLE_TOP
    title_shape.width, title_shape.height = content_w, _TITLE_HEIGHT
    title_shape.text = title or ""
    for para in title_shape.text_frame.paragraphs:
        for run in para.runs:
            run.font.size = Pt(28)
            run.font.bold = True

    # Picture: fill the band between title and source note, keeping the aspect ratio, centred.
    band_top = _TITLE_TOP + _TITLE_HEIGHT + Inches(0.05)
    band_h = SLIDE_HEIGHT - band_top - _SOURCE_HEIGHT - Inches(0.1)
    with Image.open(png) as im:
        img_w, img_h = im.size
    w, h = _fit(img_w, img_h, content_w, band_h)
    left = int((SLIDE_WIDTH - w) / 2)
    slide.shapes.add_picture(str(png), Emu(left), Emu(band_top), width=Emu(w), height=Emu(h))

    notes = "\n".join(t for t in (note, source) if t)
    if notes:
        slide.notes_slide.notes_text_frame.text = notes
    if source:
        box = slide.shapes.add_textbox(
            _MARGIN, SLIDE_HEIGHT - _SOURCE_HEIGHT - Inches(0.05), content_w, _SOURCE_HEIGHT
        )
        box.name = "Source"
        tf = box.text_frame
        tf.word_wrap = True
        tf.text = source
        for para in tf.paragraphs:
            for run in para.runs:
                run.font.size = Pt(10)
                run.font.color.rgb = RGBColor(0x66, 0x66, 0x66)


def write_deck(path, figures: list[dict], title: str = "", subtitle: str = "") -> Path:
    """Write a 16:9 .pptx, one slide per ``{"png": Path, "title": str, "source": str}``.

    With ``title``, a title slide comes first; a figure with a ``section`` that differs from the
    previous one is preceded by a section slide. Each figure slide's notes hold its ``note`` (注)
    and its source.

    The PNG is scaled to fit below the title; the source note goes in a small text box at the
    bottom so every number on a slide can be traced to its report. Written to a temp file and
    moved into place, so a crash never leaves a half-written deck. Returns the path.
    """
    path = Path(path)
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    for i, fig in enumerate(figures):
        if not Path(fig["png"]).is_file():
            raise FileNotFoundError(f"slide {i + 1}: figure image not found: {fig['png']}")
    if title:
        _add_text_slide(prs, _TITLE_LAYOUT, title, subtitle)
    section = None
    for fig in figures:
        if fig.get("section") and fig["section"] != section:
            section = fig["section"]
            n = sum(1 for f in figures if f.get("section") == section)
            _add_text_slide(prs, _SECTION_LAYOUT, section, f"{n} 张图")
        _add_slide(prs, Path(fig["png"]), str(fig.get("title", "")), str(fig.get("source", "") or ""),
                   str(fig.get("note", "") or ""))

    with atomic_path(path) as tmp:
        prs.save(tmp)
    return path


__all__ = ["SLIDE_HEIGHT", "SLIDE_WIDTH", "write_deck"]
