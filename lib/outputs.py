"""Output conventions, in one place: folders, notebook kinds, safe file names and the path rule.

- **Path rule:** in Python a relative path is taken from the project root (the folder holding
  ``lib/``), so ``render``, ``export``, ``views`` and a notebook running in ``notebooks/`` all mean
  the same folder by ``figures``. The command line (``lib.cli``) first makes every path it is
  given absolute from the current folder, as a command-line user expects.
- **Folders:** ``FOLDERS`` gives each output's default. A notebook opened by hand (JupyterLab,
  papermill without ``figures_dir``) writes its figures to ``scratch/figures``, so it never
  overwrites what ``render`` and ``export`` publish.
- **Notebook kinds:** ``KINDS`` says, per kind, its source, how its outputs are named, which
  figure folder it owns and which parameter selects it. Adding a kind is one entry here.
- **Names:** ``safe_name`` is the one cleaner for a city or theme in a file name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FOLDERS = {
    "raw": "data/raw",
    "clean": "data/clean",
    "notebooks": "notebooks",
    "reports": "reports",
    "figures": "figures",
    "exports": "exports",
    "scratch": "scratch",  # interactive runs: never published
}


def project_root() -> Path:
    return ROOT


def resolve(path: str | Path | None, default: str = "") -> Path:
    """An absolute path: relative paths are taken from the project root; None → the default folder."""
    if path is None or str(path) == "":
        path = FOLDERS.get(default, default)
    p = Path(path).expanduser()
    return p if p.is_absolute() else ROOT / p


def safe_name(name: str) -> str:
    """A city or theme as a file or folder name: path separators, Windows-reserved characters and
    whitespace become ``_`` (``厦门市`` stays ``厦门市``)."""
    return re.sub(r'[\\/:*?"<>|\s]+', "_", str(name)).strip("._") or "_"


def figures_for_notebook(figures_dir: str | Path | None) -> Path:
    """Where a notebook writes figures: the folder render gives it, else ``scratch/figures``."""
    return resolve(figures_dir) if figures_dir else resolve(FOLDERS["scratch"]) / "figures"


@dataclass(frozen=True)
class Kind:
    """One kind of notebook: its source and how its outputs are named."""

    kind: str
    source: str  # file in notebooks/
    prefix: str  # output stem prefix ('' for a single notebook such as the overview)
    parameter: str  # the parameter that selects one notebook of this kind ('' for none)
    figure_subdir: str  # folder under figures/ ('{key}' is replaced by the safe key)
    heading: str  # section of the index page

    def stem(self, key: str = "") -> str:
        return f"{self.prefix}{safe_name(key)}" if self.parameter else self.prefix.rstrip("_")

    def figure_dir(self, figures_root: Path, key: str = "") -> Path:
        return Path(figures_root) / self.figure_subdir.format(key=safe_name(key) if key else "")


KINDS: dict[str, Kind] = {
    "overview": Kind("overview", "overview.py", "overview", "", "overview", "总览"),
    "theme": Kind("theme", "theme_comparison.py", "theme_", "theme", "{key}", "专题比较"),
    "city": Kind("city", "city_profile.py", "city_", "city", "city/{key}", "城市概况"),
}


def figure_owner(rel: tuple[str, ...] | list[str]) -> tuple[str, str]:
    """(kind, key) of the notebook that owns a figure, from its path under the figures folder split
    in parts (``city/厦门市/x.png`` → (city, 厦门市)): the inverse of ``Kind.figure_dir``."""
    rel = tuple(rel)
    generic = ""
    for k in KINDS.values():
        fixed = tuple(k.figure_subdir.split("/"))
        n = len(fixed)
        if fixed == ("{key}",):  # a folder per key at the top (themes): whatever no other kind owns
            generic = k.kind
        elif fixed[-1] == "{key}":
            if rel[:n - 1] == fixed[:-1] and len(rel) > n:
                return k.kind, rel[n - 1]
        elif rel[:n] == fixed:
            return k.kind, ""
    return generic, rel[0]


def kind_of_stem(stem: str) -> tuple[str, str] | None:
    """(kind, key) of an output stem (``theme_social_assistance`` → (theme, social_assistance)); None if not ours."""
    for k in KINDS.values():
        if not k.parameter and stem == k.stem():
            return k.kind, ""
        if k.parameter and stem.startswith(k.prefix) and len(stem) > len(k.prefix):
            return k.kind, stem[len(k.prefix):]
    return None


def rel_link(target: str | Path, page_dir: str | Path) -> str:
    """A link from a page in ``page_dir`` to ``target`` (relative, with forward slashes)."""
    import os

    return Path(os.path.relpath(Path(target).resolve(), Path(page_dir).resolve())).as_posix()
