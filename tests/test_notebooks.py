"""Notebooks render end to end on the seeds: executed notebooks, HTML without code, figures, exports."""

from __future__ import annotations

import json
import shutil
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
    sheet = pd.read_excel(xlsx, sheet_name="indicators", dtype={"report_id": str})
    csv = pd.read_csv(clean / "indicators.csv", encoding="utf-8-sig", dtype={"report_id": str})
    assert len(sheet) == len(csv)
    if len(csv):
        cols = ["report_id", "indicator_id", "status", "period"]
        pd.testing.assert_frame_equal(sheet[cols].astype(str).reset_index(drop=True), csv[cols].astype(str).reset_index(drop=True))
        assert (sheet["value"].round(4) == csv["value"].round(4)).all()
    from pptx import Presentation

    n_png = len(list((rendered["base"] / "figures").rglob("*.png")))
    assert len(Presentation(tmp_path / "minzheng.pptx").slides) == n_png


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
    assert views.cities(tables) == [views.UNKNOWN_CITY]
    fig = charts.indicator_bars(tables, "dibao_standard", tmp_path / "figs")
    assert fig is not None and Path(fig["png"]).is_file() and not fig["glyph_warnings"]
