"""Batch rendering: the jupytext notebooks → executed notebooks + HTML reports (``python -m lib render``).

For the overview, every theme present in the corpus and every city, ``render`` converts the percent
script (``notebooks/*.py``) to .ipynb with jupytext, runs it with papermill on an explicit kernel,
and writes ``reports/<name>.ipynb`` and ``reports/<name>.html`` (nbconvert, code cells hidden —
which also hides papermill's injected-parameters cell), then ``reports/index.html`` linking them all.

- Names: ``overview``, ``theme_<theme_id>``, ``city_<city>`` (e.g. ``city_厦门市.html``).
- Figures: each notebook owns one folder (``figures/<theme_id>/``, ``figures/city/<city>/``,
  ``figures/overview/``), emptied before it runs so no stale figure survives; ``figures/index.csv``
  is rewritten at the end.
- Skipping: a stamp per output (``reports/.stamps/<name>.json``) records the hash of the notebook
  source, the clean tables' content, the ``lib`` code, the parameters and the kernel; a notebook
  whose stamp matches and whose outputs exist is skipped unless ``force``.
- Parameters (``--theme``, ``--city``) are validated before any kernel starts; one failing
  notebook fails alone (the others still run) and makes the exit status non-zero.
- Kernel: ``python3`` by default — jupyter_client's native kernel, which ipykernel provides from
  this very interpreter's environment (``check_kernel`` verifies it runs this Python). Kernels run
  with ``MPLBACKEND=Agg``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import shutil
import sys
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path

from lib import folders, outputs, views
from lib.errors import MinzhengError
from lib.files import atomic_path
from lib.themes import theme_names

NOTEBOOKS = {k.kind: k.source for k in outputs.KINDS.values()}  # kind → percent script (lib.outputs)
DEFAULT_KERNEL = "python3"
KERNEL_ENV = {"MPLBACKEND": "Agg"}


@dataclass
class Job:
    name: str  # output stem: overview, theme_<id>, city_<city>
    kind: str  # overview, theme or city
    title: str
    source: str  # the percent script
    parameters: dict
    figure_dir: str  # the figure folder this notebook owns
    key: str = ""  # hash of everything the output depends on


@dataclass
class Result:
    name: str
    status: str  # ok, skipped or failed
    seconds: float = 0.0
    message: str = ""
    glyph_warnings: int = 0
    outputs: list[str] = field(default_factory=list)


# --- hashing --------------------------------------------------------------------------------------
def _hash_files(paths, root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(str(p.relative_to(root)).encode("utf-8") + b"\0")
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def clean_hash(clean_dir: Path) -> str:
    """Content hash of the clean tables the notebooks read (``views.NOTEBOOK_TABLES``).

    Only those Parquet files: the texts, the text-level tables (sentences, mentions…) and the CSV
    mirrors are never read by a notebook, so they neither cost the hashing nor trigger a render.
    A rebuild that writes the same bytes changes nothing; any change in a table read re-renders.
    """
    files = [clean_dir / f"{t}.parquet" for t in views.NOTEBOOK_TABLES if (clean_dir / f"{t}.parquet").is_file()]
    return _hash_files(files, clean_dir)


def lib_hash() -> str:
    """Hash of the package code and data the notebooks import."""
    root = views.project_root() / "lib"
    files = [p for p in root.rglob("*") if p.is_file() and p.suffix in (".py", ".csv") and "__pycache__" not in p.parts]
    return _hash_files(files, root)


# --- planning -------------------------------------------------------------------------------------
def check_kernel(kernel_name: str) -> str:
    """Fail early, with a fix, unless the kernel exists and (for python3) runs this interpreter."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    ksm = KernelSpecManager()
    try:
        spec = ksm.get_kernel_spec(kernel_name)
    except NoSuchKernel:
        raise MinzhengError(f"no Jupyter kernel named {kernel_name!r} (found: {', '.join(sorted(ksm.find_kernel_specs())) or 'none'}); "
                            "use --kernel python3 (provided by ipykernel in this environment) or install one with `python -m lib kernel`") from None
    argv0 = spec.argv[0] if spec.argv else ""
    native = {"python", f"python{sys.version_info[0]}", f"python{sys.version_info[0]}.{sys.version_info[1]}"}
    if kernel_name == DEFAULT_KERNEL and argv0 not in native:
        try:
            same = Path(argv0).resolve() == Path(sys.executable).resolve() or Path(argv0).samefile(sys.executable)
        except OSError:
            same = False
        if not same:
            raise MinzhengError(f"kernel 'python3' at {spec.resource_dir} runs {argv0}, not this environment's Python "
                                f"({sys.executable}); run `python -m lib kernel` and render with --kernel minzheng")
    return kernel_name


def plan(clean_dir="data/clean", figures_dir="figures", notebooks_dir="notebooks", themes=None, cities=None,
         overview: bool | None = None, reports_dir="reports") -> tuple[list[Job], dict]:
    """The notebooks to run, with parameters validated (no kernel involved).

    No filter → overview + every theme present in the corpus + every city. With ``themes`` and/or
    ``cities`` → only those (and the overview only if ``overview`` is true). Names, sources and
    figure folders come from ``lib.outputs.KINDS``.
    """
    clean = views.resolve(clean_dir)
    figs = views.resolve(figures_dir)
    nb_dir = views.resolve(notebooks_dir)
    tables = views.load_index(clean)  # the few columns planning needs, not the tables
    themes = [views.check_theme(t) for t in themes or []]
    cities = [views.check_city(c, tables) for c in cities or []]
    for kind in outputs.KINDS.values():
        if not (nb_dir / kind.source).is_file():
            raise MinzhengError(f"{nb_dir / kind.source}: notebook source not found")
    filtered = bool(themes or cities)
    if not filtered:
        # no profile of a report whose city is unknown: it is one report of no known place (the
        # overview and theme pages show it, as 城市未知（its id）)
        themes, cities = views.themes_present(tables), [c for c in views.cities(tables) if not views.is_unknown_city(c)]
    if overview is None:
        overview = not filtered
    common = {"clean_dir": str(clean), "figures_dir": str(figs), "reports_dir": str(views.resolve(reports_dir))}
    names = theme_names()
    wanted = {"overview": [""] if overview else [], "theme": themes, "city": cities}
    titles = {"overview": lambda k: "总览 Overview", "theme": lambda k: f"{names[k]} ({k})", "city": lambda k: k}
    jobs = []
    for kind in outputs.KINDS.values():
        for key in wanted.get(kind.kind, []):
            params = {kind.parameter: key, **common} if kind.parameter else dict(common)
            jobs.append(Job(kind.stem(key), kind.kind, titles[kind.kind](key), str(nb_dir / kind.source), params,
                            str(kind.figure_dir(figs, key))))
    return jobs, tables


def stale_outputs(jobs: list[Job], reports_dir: Path) -> list[Path]:
    """Outputs render made earlier (they have a stamp) for a theme or city no longer planned in a
    full run: their pages, executed notebooks, figure folders and stamps. Nothing else."""
    names = {j.name for j in jobs}
    out = []
    for stamp in sorted((Path(reports_dir) / ".stamps").glob("*.json")):
        if stamp.stem in names or outputs.kind_of_stem(stamp.stem) is None:
            continue
        try:
            job = json.loads(stamp.read_text(encoding="utf-8")).get("job", {})
        except (OSError, ValueError):
            job = {}
        out += [p for p in (Path(reports_dir) / f"{stamp.stem}.html", Path(reports_dir) / f"{stamp.stem}.ipynb") if p.exists()]
        fig = Path(job.get("figure_dir", "")) if job.get("figure_dir") else None
        if fig is not None and fig.is_dir() and fig.resolve() != Path(reports_dir).resolve():
            out.append(fig)
        out.append(stamp)
    return out


def _within(path: Path, folder: Path) -> bool:
    return Path(os.path.abspath(path)).is_relative_to(Path(os.path.abspath(folder)))


def remove_stale(paths: list[Path], out=print) -> None:
    for p in paths:
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)
        if p.suffix != ".json" or p.parent.name != ".stamps":
            out(f"removed {p} (no longer in the corpus)")


def _keys(jobs: list[Job], clean: Path, kernel_name: str) -> None:
    base = {"clean": clean_hash(clean), "lib": lib_hash(), "kernel": kernel_name}
    src_hash = {}
    for job in jobs:
        if job.source not in src_hash:
            src_hash[job.source] = hashlib.sha256(Path(job.source).read_bytes()).hexdigest()
        payload = json.dumps({**base, "source": src_hash[job.source], "parameters": job.parameters}, sort_keys=True,
                             ensure_ascii=False)
        job.key = hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _stamp_path(reports_dir: Path, name: str) -> Path:
    return reports_dir / ".stamps" / f"{name}.json"


def up_to_date(job: Job, reports_dir: Path) -> bool:
    stamp = _stamp_path(reports_dir, job.name)
    try:
        data = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    outputs = [reports_dir / f"{job.name}.ipynb", reports_dir / f"{job.name}.html"] + [Path(p) for p in data.get("figures", [])]
    return data.get("key") == job.key and all(p.is_file() for p in outputs)


# --- running ------------------------------------------------------------------------------------
def _src_ipynb(job: Job, reports_dir: Path) -> Path:
    return reports_dir / ".src" / (Path(job.source).stem + ".ipynb")


def convert_sources(jobs: list[Job], reports_dir: Path) -> None:
    """jupytext: percent script → .ipynb (input of papermill), once per source."""
    import jupytext

    for src in dict.fromkeys(j.source for j in jobs):
        out = reports_dir / ".src" / (Path(src).stem + ".ipynb")
        out.parent.mkdir(parents=True, exist_ok=True)
        try:
            text = jupytext.writes(jupytext.read(src), fmt="ipynb")
        except Exception as exc:
            raise MinzhengError(f"{src}: cannot read the notebook source: {exc}") from exc
        with atomic_path(out) as tmp:
            tmp.write_text(text, encoding="utf-8")


def _glyph_count(nb) -> int:
    n = 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            text = out.get("text", "") if out.get("output_type") == "stream" else ""
            n += text.count("missing from font") + text.count("missing-glyph warning")
    return n


def _write_html(nb, path: Path, title: str) -> None:
    from lib import pages

    pages.write_html(nb, path, title)


def _figure_backup(job: Job) -> Path:
    """Where a notebook's previous figures wait while it runs: beside the figures folder, same file system."""
    root = Path(job.parameters["figures_dir"])
    return root.parent / f".{root.name}.prev" / Path(job.figure_dir).relative_to(root)


def restore_figures(figures_dir: Path) -> None:
    """Put back the previous figures of notebooks a kill stopped midway (their new set is incomplete)."""
    prev = figures_dir.parent / f".{figures_dir.name}.prev"
    if not prev.is_dir():
        return
    backups = [d for top in prev.iterdir() if top.is_dir()
               for d in (sorted(top.iterdir()) if top.name == "city" else [top]) if d.is_dir()]
    for backup in backups:
        target = figures_dir / backup.relative_to(prev)
        shutil.rmtree(target, ignore_errors=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(backup, target)
    shutil.rmtree(prev, ignore_errors=True)


# One kernel pool per process that runs notebooks (the render process, or each worker of --jobs N).
_POOL: dict = {"pool": None, "left": None}


def _pool(kernel_name: str, cwd: str):
    from lib.kernels import KernelPool

    pool = _POOL["pool"]
    if pool is None or (pool.kernel_name, pool.cwd) != (kernel_name, cwd):
        close_pool()
        pool = _POOL["pool"] = KernelPool(kernel_name, cwd, KERNEL_ENV)
    return pool


def close_pool() -> None:
    """Kill the kernels this process started ahead for notebooks that never came."""
    if _POOL["pool"] is not None:
        _POOL["pool"].close()
        _POOL["pool"] = None


def _worker_init(left) -> None:
    """In a worker of --jobs N: the shared count of notebooks not yet taken; its pool closes at exit."""
    from multiprocessing import util

    _POOL["left"] = left
    util.Finalize(None, close_pool, exitpriority=10)


def _more_to_come() -> bool:
    """Take one notebook from the shared count; true when others remain (worth a kernel started ahead)."""
    left = _POOL["left"]
    if left is None:
        return False
    if isinstance(left, list):  # one process: a plain counter
        left[0] -= 1
        return left[0] > 0
    with left.get_lock():
        left.value -= 1
        return left.value > 0


def run_job(job: Job, reports_dir: str, kernel_name: str, cwd: str) -> Result:
    """Execute one notebook and export it; never raises (a failure is a Result).

    The notebook runs on a kernel of this process's ``KernelPool`` (lib.kernels: started ahead,
    imports preloaded, used for this notebook only). The previous good HTML, notebook and figures
    stay until the new set is complete: the notebook is written to a hidden file first, the old
    figures wait aside and come back if the run fails.
    """
    import nbformat

    from lib import kernels

    t0 = time.perf_counter()
    reports = Path(reports_dir)
    out_nb = reports / f"{job.name}.ipynb"
    out_html = reports / f"{job.name}.html"
    run_nb = reports / f".{job.name}.run.ipynb"
    failed_nb = reports / f"{job.name}.failed.ipynb"
    stamp = _stamp_path(reports, job.name)
    for k, v in KERNEL_ENV.items():
        os.environ[k] = v
    fig_dir, backup = Path(job.figure_dir), _figure_backup(job)
    more = _more_to_come()
    if fig_dir.exists():  # the notebook owns this folder: it starts empty, so no stale figure survives
        shutil.rmtree(backup, ignore_errors=True)
        backup.parent.mkdir(parents=True, exist_ok=True)
        os.replace(fig_dir, backup)
    nb = None
    try:
        nb = nbformat.read(_src_ipynb(job, reports), as_version=4)
        kernels.inject_parameters(nb, job.parameters)
        _pool(kernel_name, cwd).run(nb, more=more)
        with atomic_path(run_nb) as tmp:
            nbformat.write(nb, str(tmp))
        _write_html(nb, out_html, job.title)
        os.replace(run_nb, out_nb)
    except BaseException as exc:  # one notebook failing must not stop the others, nor cost its last good output
        shutil.rmtree(fig_dir, ignore_errors=True)
        if backup.is_dir():
            os.replace(backup, fig_dir)
        if not isinstance(exc, Exception):  # Ctrl-C or SIGTERM: the previous figures are back; stop
            run_nb.unlink(missing_ok=True)
            raise
        if nb is not None:
            try:
                with atomic_path(failed_nb) as tmp:
                    nbformat.write(nb, str(tmp))
            except Exception:  # the notebook itself is broken: nothing to keep
                pass
        run_nb.unlink(missing_ok=True)
        ename = getattr(exc, "ename", type(exc).__name__)
        evalue = getattr(exc, "evalue", str(exc))
        cell = kernels.failed_cell(nb) if nb is not None else None
        where = f" in cell [{cell}]" if cell else ""
        detail = f"{ename}: {evalue}".strip().splitlines()[0] if f"{ename}{evalue}" else traceback.format_exc(limit=1)
        msg = f"{job.name} ({Path(job.source).name}, parameters {json.dumps(_short(job.parameters), ensure_ascii=False)}) failed{where}: {detail}"
        if failed_nb.is_file():
            msg += f" — see {failed_nb}"
        if out_html.is_file():
            msg += "; the previous report and figures were kept"
        return Result(job.name, "failed", time.perf_counter() - t0, msg)
    shutil.rmtree(backup, ignore_errors=True)
    failed_nb.unlink(missing_ok=True)
    figs = sorted(str(p) for p in Path(job.figure_dir).rglob("*") if p.is_file()) if Path(job.figure_dir).is_dir() else []
    glyphs = _glyph_count(nb)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(stamp) as tmp:
        tmp.write_text(json.dumps({"key": job.key, "job": asdict(job), "figures": figs}, ensure_ascii=False, indent=1),
                       encoding="utf-8")
    return Result(job.name, "ok", time.perf_counter() - t0, glyph_warnings=glyphs,
                  outputs=[str(out_nb), str(out_html)] + figs)


def _short(params: dict) -> dict:
    return {k: v for k, v in params.items() if k not in ("clean_dir", "figures_dir")}


# --- commands -----------------------------------------------------------------------------------
def dry_run_lines(jobs: list[Job], reports_dir: Path, kernel_name: str, cwd: Path) -> list[str]:
    """The plain jupytext / papermill / HTML command lines equivalent to a render.

    They run as printed from a fresh shell in any folder: every path is absolute and every tool
    is run by this environment's Python (``python -m papermill``), so no venv needs activating.
    """
    q = shlex.quote
    py = q(sys.executable)
    lines = [f"mkdir -p {q(str(reports_dir / '.src'))}"]
    for src in dict.fromkeys(j.source for j in jobs):
        lines.append(f"{py} -m jupytext --to ipynb -o {q(str(reports_dir / '.src' / (Path(src).stem + '.ipynb')))} {q(src)}")
    env = " ".join(f"{k}={v}" for k, v in KERNEL_ENV.items())
    for j in jobs:
        params = " ".join(f"-p {q(k)} {q(str(v))}" for k, v in j.parameters.items())
        out = reports_dir / f"{j.name}.ipynb"
        lines.append(f"{env} {py} -m papermill {q(str(_src_ipynb(j, reports_dir)))} {q(str(out))} -k {q(kernel_name)} "
                     f"--cwd {q(str(cwd))} --no-progress-bar {params}")
        lines.append(f"{py} -m lib html {q(str(out))} --title {q(j.title)}")
    return lines


def write_index(reports_dir: Path, tables: dict) -> Path:
    """reports/index.html (``lib.pages.write_index``)."""
    from lib import pages

    return pages.write_index(reports_dir, tables)


def render(clean_dir="data/clean", figures_dir="figures", reports_dir="reports", notebooks_dir="notebooks", themes=None,
           cities=None, overview: bool | None = None, jobs: int | None = None, force: bool = False, dry_run: bool = False,
           kernel_name: str = DEFAULT_KERNEL, out=print) -> tuple[int, list[Result]]:
    """Render the notebooks; returns (exit status, results). Raises MinzhengError for bad parameters.

    The output folders must be the tool's own (lib.folders). The clean folder is read under its
    shared lock for the whole render, so every notebook reads the one snapshot the skip keys hash,
    and a build waits to swap in a new set until the render is done.
    """
    if dry_run:
        planned, _ = plan(clean_dir, figures_dir, notebooks_dir, themes, cities, overview, reports_dir)
        for line in dry_run_lines(planned, views.resolve(reports_dir), kernel_name, views.resolve(notebooks_dir)):
            out(line)
        return 0, []
    reports, figs, clean = views.resolve(reports_dir), views.resolve(figures_dir), views.resolve(clean_dir)
    for folder, kind, option in ((reports, "reports", "--reports"), (figs, "figures", "--figures")):
        folders.check_owned(folder, kind, option)
        folders.check_writable(folder, option)
    with folders.locked(clean, shared=True, say=out), folders.locked(reports, say=out):
        return _render_locked(clean, figs, reports, notebooks_dir, themes, cities, overview, jobs, force, kernel_name, out)


def _render_locked(clean, figs, reports, notebooks_dir, themes, cities, overview, jobs, force, kernel_name, out):
    planned, tables = plan(clean, figs, notebooks_dir, themes, cities, overview, reports)
    cwd = views.resolve(notebooks_dir)
    check_kernel(kernel_name)
    for folder, kind in ((reports, "reports"), (figs, "figures")):
        folder.mkdir(parents=True, exist_ok=True)
        folders.mark(folder, kind)
    restore_figures(figs)
    _keys(planned, folders.current(clean), kernel_name)
    todo = [j for j in planned if force or not up_to_date(j, reports)]
    results = [Result(j.name, "skipped", message="unchanged") for j in planned if j not in todo]
    for r in results:
        out(f"skip  {r.name} (unchanged)")
    n_jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    if todo:
        convert_sources(todo, reports)
        out(f"rendering {len(todo)} notebook(s) with {n_jobs} job(s), kernel {kernel_name}")
        for k, v in KERNEL_ENV.items():
            os.environ[k] = v
        done = 0
        if n_jobs == 1:
            _POOL["left"] = [len(todo)]
            it = (run_job(j, str(reports), kernel_name, str(cwd)) for j in todo)
            results_iter = it
        else:
            import multiprocessing

            left = multiprocessing.Value("i", len(todo))
            pool = ProcessPoolExecutor(max_workers=n_jobs, initializer=_worker_init, initargs=(left,))
            futures = [pool.submit(run_job, j, str(reports), kernel_name, str(cwd)) for j in todo]
            results_iter = (f.result() for f in as_completed(futures))
        try:
            for r in results_iter:
                done += 1
                results.append(r)
                tag = "ok   " if r.status == "ok" else "FAIL "
                extra = f" — {r.glyph_warnings} missing-glyph warning(s)" if r.glyph_warnings else ""
                out(f"[{done}/{len(todo)}] {tag}{r.name} ({r.seconds:.1f}s){extra}")
                if r.status == "failed":
                    out(f"error: {r.message}")
        finally:
            if n_jobs > 1:  # interrupted: the notebooks not yet begun are not run for nothing
                pool.shutdown(cancel_futures=True)
            else:
                close_pool()
                _POOL["left"] = None
    if not (themes or cities):  # a full run knows the whole corpus: drop what no longer belongs to it
        # only inside the two folders this render owns, whatever an old stamp says
        remove_stale([p for p in stale_outputs(planned, reports) if _within(p, reports) or _within(p, figs)], out)
    from lib import charts

    charts.write_index(figs)
    index = write_index(reports, tables)
    failed = [r for r in results if r.status == "failed"]
    ok = sum(r.status == "ok" for r in results)
    out(f"{ok} rendered, {len(results) - ok - len(failed)} unchanged, {len(failed)} failed; index: {index}")
    return (1 if failed else 0), results


def install_kernel(name: str = "minzheng", display_name: str = "Python (minzheng-compare)", user: bool = False) -> str:
    """Install a kernelspec running this interpreter (``--sys-prefix`` by default) for JupyterLab users."""
    from ipykernel.kernelspec import install

    kwargs = {"user": True} if user else {"prefix": sys.prefix}
    return install(kernel_name=name, display_name=display_name, **kwargs)
