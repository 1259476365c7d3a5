"""Ctrl-C and SIGTERM stop a build or a render soon and cleanly (README, "Exit status").

- with --jobs N the work not yet begun is cancelled, not run for nothing while the user waits;
- a render stopped in a notebook puts back that notebook's previous figures at once;
- SIGTERM ends the command line like Ctrl-C, with status 143, its staging folder and parts removed.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import RAW, ROOT
from lib import build, render


def _fake_chunk(name, paths, rows, folder, say=None):
    """A chunk that logs that it ran; the first one stops as Ctrl-C would."""
    with open(Path(folder) / "ran.log", "a", encoding="utf-8") as fh:
        fh.write(name + "\n")
    if name == "000000":
        raise KeyboardInterrupt
    import time

    time.sleep(0.2)
    return build.ChunkResult(name, [], [], [], {})


def test_an_interrupted_parallel_parse_cancels_the_chunks_not_begun(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "parse_chunk", _fake_chunk)  # the workers are forked after this
    files = [tmp_path / f"r{i:04d}.txt" for i in range(400)]
    n_chunks = len(build.chunk_bounds(len(files)))
    with pytest.raises(KeyboardInterrupt):
        build._parse_all(files, {}, progress=False, jobs=2, folder=tmp_path)
    ran = (tmp_path / "ran.log").read_text(encoding="utf-8").split()
    # the two running chunks and the few already handed to the workers' queue, not all of them
    assert n_chunks == 16 and len(ran) <= 6, ran


def test_a_render_stopped_in_a_notebook_puts_its_previous_figures_back(tmp_path, monkeypatch):
    figs = tmp_path / "figures" / "social_assistance"
    figs.mkdir(parents=True)
    (figs / "old.png").write_bytes(b"previous figure")
    job = render.Job(name="theme_social_assistance", kind="theme", title="t",
                     source=str(ROOT / "notebooks" / "theme_comparison.py"),
                     parameters={"figures_dir": str(tmp_path / "figures")}, figure_dir=str(figs))
    src = render._src_ipynb(job, tmp_path / "reports")
    src.parent.mkdir(parents=True)
    shutil.copy(_tiny_notebook(tmp_path), src)

    class Stopped:
        def run(self, nb, more=False):
            figs.mkdir(parents=True, exist_ok=True)  # the notebook has begun its new set
            (figs / "half.png").write_bytes(b"half of a new set")
            raise KeyboardInterrupt

    monkeypatch.setattr(render, "_pool", lambda *a: Stopped())
    with pytest.raises(KeyboardInterrupt):
        render.run_job(job, str(tmp_path / "reports"), "python3", str(tmp_path))
    assert sorted(p.name for p in figs.iterdir()) == ["old.png"]
    assert not list((tmp_path / "reports").glob(".*.run.ipynb"))


def _tiny_notebook(tmp_path: Path) -> Path:
    import nbformat

    path = tmp_path / "tiny.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]), str(path))
    return path


def test_sigterm_ends_a_build_like_ctrl_c_and_leaves_nothing_behind(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    seeds = sorted(p for p in RAW.iterdir() if p.suffix == ".txt")
    for k in range(40):  # enough work that the signal comes while the reports are parsed
        for p in seeds:
            (raw / f"{k:02d}_{p.name}").write_text(p.read_text(encoding="utf-8") + f"\n附{k}\n", encoding="utf-8")
    clean = tmp_path / "out" / "clean"
    proc = subprocess.Popen([sys.executable, "-m", "lib", "build", "--raw", str(raw), "--clean", str(clean),
                             "--jobs", "1"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = proc.stderr.readline()  # the first progress line: parsing has begun
    assert first.startswith("[1/"), first
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 143, err[-2000:]
    assert "terminated" in err and "Traceback" not in err
    leftovers = [p.name for p in (tmp_path / "out").iterdir()] if (tmp_path / "out").exists() else []
    assert not clean.exists() and all(n.endswith(".lock") for n in leftovers), leftovers
