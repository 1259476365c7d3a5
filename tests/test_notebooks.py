"""Notebooks render end to end on the seeds: executed notebooks, HTML without code, figures, exports."""

from __future__ import annotations

import json
import shutil
import urllib.parse
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from lib import cli
from lib import render as render_mod
from lib.errors import MinzhengError

ROOT = render_mod.views.project_root()
THEME, CITY = "social_assistance", "厦门市"


@pytest.fixture(scope="module")
def rendered(built, tmp_path_factory):
    """Render overview + one theme + one city from the seed build into temporary folders."""
    _, clean = built
    base = tmp_path_factory.mktemp("render")
    dirs = {"clean_dir": str(clean), "figures_dir": str(base / "figures"), "reports_dir": str(base / "reports")}
    lines: list[str] = []
    status, results = render_mod.render(**dirs, themes=[THEME], cities=[CITY], overview=True, jobs=3, out=lines.append)
    return {"status": status, "results": results, "lines": lines, "base": base, **dirs}


def test_render_runs_every_notebook(rendered):
    assert rendered["status"] == 0, "\n".join(rendered["lines"])
    assert sorted(r.name for r in rendered["results"]) == sorted(["overview", f"theme_{THEME}", f"city_{CITY}"])
    assert all(r.status == "ok" for r in rendered["results"]), rendered["lines"]
    reports = rendered["base"] / "reports"
    for name in ("overview", f"theme_{THEME}", f"city_{CITY}"):
        nb = json.loads((reports / f"{name}.ipynb").read_text(encoding="utf-8"))
        assert any(c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")
        assert (reports / ".stamps" / f"{name}.json").is_file()
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert "theme_social_assistance.html" in index and "city_%E5%8E%A6%E9%97%A8%E5%B8%82.html" in index


def test_html_has_no_code(rendered):
    reports = rendered["base"] / "reports"
    for name in ("overview", f"theme_{THEME}", f"city_{CITY}"):
        page = (reports / f"{name}.html").read_text(encoding="utf-8")
        assert "<img" in page  # the figures are there
        for code in ("load_clean(", "import pandas", "clean_dir =", "figures_dir = ", "hl-ipython3"):
            assert code not in page, f"{name}.html shows code: {code!r}"
    assert "社会救助" in (reports / f"theme_{THEME}.html").read_text(encoding="utf-8")


def test_theme_figures_png_and_svg_without_missing_glyphs(rendered):
    figs = rendered["base"] / "figures" / THEME
    pngs = sorted(figs.glob("*.png"))
    assert len(pngs) >= 2, "the theme notebook saved too few figures"
    for png in pngs:
        assert png.with_suffix(".svg").is_file()
        with Image.open(png) as im:
            assert im.size == (1920, 1080)
        side = json.loads(png.with_suffix(".json").read_text(encoding="utf-8"))
        assert side["title"] and side["source"].startswith("来源")
        assert side["glyph_warnings"] == [], side["glyph_warnings"]
    assert all(r.glyph_warnings == 0 for r in rendered["results"])
    assert (rendered["base"] / "figures" / "city" / CITY).is_dir()
    index = pd.read_csv(rendered["base"] / "figures" / "index.csv")
    assert len(index) >= len(pngs)


def test_unknown_theme_or_city_rejected_before_any_kernel(built, monkeypatch, capsys, tmp_path):
    _, clean = built

    def no_kernel(*a, **k):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(render_mod, "run_job", no_kernel)
    monkeypatch.setattr(render_mod, "check_kernel", no_kernel)
    rc = cli.main(["render", "--clean", str(clean), "--reports", str(tmp_path / "r"), "--theme", "no_such_theme"])
    err = capsys.readouterr().err
    assert rc == 2 and "unknown theme 'no_such_theme'" in err and "social_assistance" in err
    rc = cli.main(["render", "--clean", str(clean), "--reports", str(tmp_path / "r"), "--city", "北京市"])
    err = capsys.readouterr().err
    assert rc == 2 and "北京市" in err and "厦门市" in err
    assert not (tmp_path / "r").exists()


def test_dry_run_prints_papermill_lines(built, capsys, tmp_path):
    _, clean = built
    rc = cli.main(["render", "--dry-run", "--clean", str(clean), "--reports", str(tmp_path / "r"),
                   "--theme", THEME, "--city", CITY])
    out = capsys.readouterr().out.splitlines()
    assert rc == 0
    pm = [line for line in out if " papermill " in f" {line}"]
    assert len(pm) == 2
    assert any("-p theme social_assistance" in line for line in pm)
    assert any("-p city" in line and CITY in line for line in pm)
    assert all("-k python3" in line for line in pm)
    assert not (tmp_path / "r").exists()


def test_kernel_is_this_environment():
    assert render_mod.check_kernel("python3") == "python3"
    with pytest.raises(MinzhengError, match="no Jupyter kernel"):
        render_mod.check_kernel("no-such-kernel-xyz")


def test_workbook_has_the_indicator_rows(built, rendered, tmp_path):
    from lib.export import export

    _, clean = built
    paths = export(clean_dir=clean, figures_dir=rendered["figures_dir"], out_dir=tmp_path)
    xlsx = tmp_path / "minzheng.xlsx"
    assert xlsx in paths and (tmp_path / "minzheng.pptx") in paths
    sheet = pd.read_excel(xlsx, sheet_name="indicators", dtype={"报告编号 report_id": str})
    sheet.columns = [c.split()[-1] for c in sheet.columns]  # Chinese header with the English id: 报告编号 report_id
    csv = pd.read_csv(clean / "indicators.csv", encoding="utf-8-sig", dtype={"report_id": str})
    assert len(sheet) == len(csv)
    if len(csv):
        cols = ["report_id", "indicator_id", "status", "period"]
        status_zh = {"actual": "实际", "planned": "计划/目标", "baseline": "基数(对比用)"}
        pd.testing.assert_frame_equal(sheet[cols].astype(str).reset_index(drop=True),
                                      csv[cols].assign(status=csv["status"].map(status_zh)).astype(str).reset_index(drop=True))
        assert (sheet["value"].round(4) == csv["value"].round(4)).all()
    from pptx import Presentation

    pngs = list((rendered["base"] / "figures").rglob("*.png"))
    sections = {p.parent for p in pngs}  # one section slide per figure folder (overview, theme, city)
    deck = Presentation(tmp_path / "minzheng.pptx")
    assert len(deck.slides) == 1 + len(sections) + len(pngs)
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles[0] == "民政工作报告比较" and "社会救助" in titles and "城市概况：厦门市" in titles
    figure_slides = [s for s in deck.slides if any(sh.shape_type == 13 for sh in s.shapes)]
    assert len(figure_slides) == len(pngs)
    assert all("来源" in s.notes_slide.notes_text_frame.text for s in figure_slides)
    # the latest sheet holds numbers, units in the headers, number formats set
    from openpyxl import load_workbook

    ws = load_workbook(xlsx)["latest"]
    head = [c.value for c in ws[1]]
    assert head[0] == "城市 city" and any("[元/人/月] dibao_standard" in str(h) for h in head)
    col = next(i for i, h in enumerate(head) if "dibao_standard" in str(h))
    xm = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "厦门市")
    assert xm[col].value == 1120 and xm[col].number_format == "#,##0.00"
    book = pd.ExcelFile(xlsx)
    assert {"definitions", "conflicts", "latest_detail", "sources"} <= set(book.sheet_names)
    conflicts = pd.read_excel(xlsx, sheet_name="conflicts")
    assert {"采用值 kept_value", "舍弃值 dropped_value", "理由 reason"} <= set(conflicts.columns) and len(conflicts) >= 1


def test_report_text_in_markdown_cells_is_escaped():
    from lib import views

    assert views.safe('<script>alert("x")</script>厦门市') == "&lt;script&gt;alert&#40;&quot;x&quot;&#41;&lt;/script&gt;厦门市"
    for name in ("theme_comparison.py", "city_profile.py"):
        src = (views.project_root() / "notebooks" / name).read_text(encoding="utf-8")
        for line in src.splitlines():
            if "Markdown(f" in line and "{" in line.split("Markdown(f", 1)[1]:
                assert "views.safe(" in line or "len(" in line, line


def test_a_report_whose_city_is_unknown_still_charts(tmp_path):
    import shutil

    from lib import charts, views
    from lib.build import build_corpus, write_clean

    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "styles" / "mdtable.txt", raw / "mdtable.txt")  # names no city
    write_clean(build_corpus(raw, progress=False), tmp_path / "clean")
    tables = views.load_clean(tmp_path / "clean")
    assert views.cities(tables) == [f"{views.UNKNOWN_CITY}（mdtable）"]  # a place of its own, named by its report
    fig = charts.indicator_bars(tables, "dibao_standard", tmp_path / "figs")
    assert fig is not None and Path(fig["png"]).is_file() and not fig["glyph_warnings"]


# --- pages an analyst can use (issue 10) ----------------------------------------------------------
def _pages(rendered):
    reports = rendered["base"] / "reports"
    return {p.stem: p.read_text(encoding="utf-8") for p in reports.glob("*.html")}


def test_no_page_requests_a_remote_url(rendered):
    from lib.pages import remote_requests

    pages = _pages(rendered)
    assert {"index", "overview", f"theme_{THEME}", f"city_{CITY}"} <= set(pages)
    for name, page in pages.items():
        assert remote_requests(page) == [], name
    # the scanner itself finds what nbconvert's stock template would load
    assert remote_requests('<script src="https://cdnjs.cloudflare.com/require.js"></script>') != []
    assert remote_requests("<style>@import 'https://fonts.example/x.css';</style>") != []


def test_tables_are_complete_interactive_and_in_chinese(rendered, tables):
    from lib import views
    from lib.pages import table_rows

    page = _pages(rendered)[f"theme_{THEME}"]
    assert "window._itables_" in page  # the DataTables bundle is inside the page (offline mode)
    cells = {c for r in table_rows(page) for c in r if isinstance(c, str)}
    claims = views.narrative(views.load_clean(rendered["clean_dir"]), THEME)
    long_ones = [t for t in claims["source_text"] if len(t) > 80]
    assert long_ones and all(t in cells for t in claims["source_text"])  # every claim, whole sentences
    latest = views.latest(views.load_clean(rendered["clean_dir"]), THEME)
    assert all(t in cells for t in latest["source_text"])
    assert "计划/目标" in cells and "actual" not in cells and "planned" not in cells
    assert "<th>原文</th>" in page or "原文" in page


def test_every_page_has_contents_a_way_back_alt_text_and_chart_data(rendered):
    import re

    from lib import outputs

    reports = rendered["base"] / "reports"
    for name, page in _pages(rendered).items():
        if name == "index":
            continue
        assert 'href="index.html"' in page and "目录" in page, name
        imgs = re.findall(r"<img\b[^>]*>", page)
        assert imgs, name
        assert all(re.search(r'alt="[^"]{4,}"', i) for i in imgs), name
        for href in re.findall(r'href="([^"]+\.csv)"', page):
            assert (reports / urllib.parse.unquote(href)).resolve().is_file(), href
        assert "资料来源" in page and "指标解释" in page
    theme_page = _pages(rendered)[f"theme_{THEME}"]
    assert len(re.findall(r'href="[^"]+\.csv"', theme_page)) >= 5
    assert "注：各市数据期间不同" in theme_page  # the 注 under a comparison of unlike periods
    assert outputs.safe_name("a/b c") == "a_b_c"


def test_index_groups_pages_and_says_what_each_holds(rendered):
    index = _pages(rendered)["index"]
    for heading in ("总览", "专题比较", "城市概况", "资料来源"):
        assert f"<h2>{heading}" in index
    assert "社会救助" in index and "3 份报告" in index and "厦门市民政局2024年工作总结和2025年工作思路" in index


def test_overview_shows_the_conflicts(rendered):
    from lib.pages import table_rows

    cells = {c for r in table_rows(_pages(rendered)["overview"]) for c in r if isinstance(c, str)}
    assert "老年福利机构床位" in cells and any("更贴近指标目录定义" in c for c in cells)


def test_a_notebook_opened_by_hand_never_writes_the_published_figures():
    from lib import charts, outputs

    assert charts.figure_dir(None, theme=THEME) == outputs.ROOT / "scratch" / "figures" / THEME
    for name in ("theme_comparison.py", "city_profile.py", "overview.py"):
        src = (ROOT / "notebooks" / name).read_text(encoding="utf-8")
        assert "\nfigures_dir = None" in src, name


def test_render_removes_pages_and_figures_of_a_city_no_longer_in_the_corpus(built, tmp_path, monkeypatch):
    """A full render deletes what it made for a city that left the corpus, and nothing else."""
    _, clean = built
    reports, figures = tmp_path / "reports", tmp_path / "figures"
    gone = figures / "city" / "北京市"
    gone.mkdir(parents=True)
    (gone / "trend_x.png").write_bytes(b"png")
    (reports / ".stamps").mkdir(parents=True)
    for suffix in ("html", "ipynb"):
        (reports / f"city_北京市.{suffix}").write_text("old", encoding="utf-8")
    (reports / ".stamps" / "city_北京市.json").write_text(json.dumps({"key": "k", "job": {"figure_dir": str(gone)}}),
                                                        encoding="utf-8")
    (reports / "my_notes.html").write_text("mine", encoding="utf-8")  # not render's: stays
    (figures / "mine").mkdir()
    from lib import folders

    folders.mark(reports, "reports")  # folders an earlier render wrote (lib.folders refuses a user's own folder)
    folders.mark(figures, "figures")

    def fake_run(job, reports_dir, kernel_name, cwd):
        return render_mod.Result(job.name, "ok")

    monkeypatch.setattr(render_mod, "run_job", fake_run)
    lines: list[str] = []
    status, _ = render_mod.render(str(clean), str(figures), str(reports), jobs=1, out=lines.append)
    assert status == 0
    assert not (reports / "city_北京市.html").exists() and not (reports / "city_北京市.ipynb").exists()
    assert not gone.exists() and not (reports / ".stamps" / "city_北京市.json").exists()
    assert (reports / "my_notes.html").exists() and (figures / "mine").is_dir()
    assert any("removed" in line and "北京市" in line for line in lines)


def test_dry_run_commands_run_as_printed_from_a_fresh_shell(built, tmp_path):
    import subprocess

    _, clean = built
    lines: list[str] = []
    render_mod.render(str(clean), str(tmp_path / "figures"), str(tmp_path / "reports"), cities=[CITY], dry_run=True,
                      out=lines.append)
    script = "set -e\n" + "\n".join(lines) + "\n"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}  # no venv on PATH, no project folder as cwd
    proc = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    page = (tmp_path / "reports" / f"city_{CITY}.html").read_text(encoding="utf-8")
    assert "目录" in page and 'href="index.html"' in page
    assert (tmp_path / "figures" / "city" / CITY).is_dir()
    assert "KeyboardInterrupt" not in proc.stdout + proc.stderr


def test_output_folders_from_before_the_marker_are_recognised(rendered, tmp_path):
    """Issue 9 migration: reports/ and figures/ a render wrote before the marker existed hold only
    render's outputs, so the next render may write them; one user file makes them foreign."""
    from lib import folders
    from lib.errors import FolderError

    for kind in ("reports", "figures"):
        copy = tmp_path / kind
        shutil.copytree(rendered["base"] / kind, copy)
        assert folders.marker_kind(copy) == kind
        (copy / folders.MARKER).unlink()
        folders.check_owned(copy, kind, f"--{kind}")
        (copy / "notes.docx").write_bytes(b"mine")
        with pytest.raises(FolderError, match="notes.docx is not one of its outputs"):
            folders.check_owned(copy, kind, f"--{kind}")


def test_broken_notebook_fails_alone(rendered, tmp_path):
    """Last: a notebook that raises fails with a clear message; the unchanged ones are skipped; its
    previous good HTML, notebook and figures are kept byte for byte (issue 9, item 2)."""
    base = rendered["base"]
    city_figs = base / "figures" / "city" / CITY
    kept = [base / "reports" / f"city_{CITY}.html", base / "reports" / f"city_{CITY}.ipynb",
            *sorted(p for p in city_figs.rglob("*") if p.is_file())]
    assert len(kept) > 3
    before = {p: p.read_bytes() for p in kept}
    nb_dir = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", nb_dir)
    with open(nb_dir / "city_profile.py", "a", encoding="utf-8") as fh:
        fh.write('\n# %%\nraise RuntimeError("deliberately broken")\n')
    lines: list[str] = []
    status, results = render_mod.render(rendered["clean_dir"], rendered["figures_dir"], rendered["reports_dir"],
                                        notebooks_dir=nb_dir, themes=[THEME], cities=[CITY], overview=True, jobs=2,
                                        out=lines.append)
    by = {r.name: r for r in results}
    assert status == 1
    assert by[f"city_{CITY}"].status == "failed"
    assert "RuntimeError: deliberately broken" in by[f"city_{CITY}"].message
    assert any(line.startswith("error: city_") for line in lines)
    assert by["overview"].status == "skipped" and by[f"theme_{THEME}"].status == "skipped"
    assert {p: p.read_bytes() for p in kept} == before
    assert sorted(p for p in city_figs.rglob("*") if p.is_file()) == kept[2:]  # no half-written new figure either
    failed_nb = base / "reports" / f"city_{CITY}.failed.ipynb"
    assert failed_nb.is_file() and str(failed_nb) in by[f"city_{CITY}"].message
    assert "previous report and figures were kept" in by[f"city_{CITY}"].message
