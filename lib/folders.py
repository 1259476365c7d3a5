"""Output folders the tool owns: which folders it may replace, locks, and the atomic swap.

The tool only ever replaces, empties or writes into a folder it recognises as its own, because
a mistyped ``--clean .`` must never delete a user's work:

- a folder holding the marker file ``.minzheng-output`` that the tool wrote (its first line names
  the kind of folder: clean, reports, figures or exports);
- a missing or empty folder (a lone ``.gitkeep`` counts as empty);
- a folder written before the marker existed, when it holds nothing but that kind's outputs
  (``OUTPUTS`` below: for a clean folder only ``*.parquet``, ``*.csv``, ``SCHEMA.md``,
  ``.gitkeep`` and ``texts/*.txt``). The marker is added the next time the tool writes it.

Anything else is a ``FolderError`` (exit status 2) raised before anything is touched.

The clean folder is replaced in one atomic step: the new set is written to a staging folder beside
it and exchanged with the old one by ``renameat2(RENAME_EXCHANGE)`` where the platform has it
(Linux). Elsewhere it takes two renames; a reader that finds the folder missing between them
(or after a kill there) reads the previous set from ``.<name>.old`` (``current``).

A build's parts (lib.parts) wait beside the clean folder in ``.<name>.parts-*``, locked while the
build runs; ``recover`` removes those whose build was killed.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fnmatch
import os
import shutil
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path

from lib.errors import FolderError

MARKER = ".minzheng-output"
_TMP = ".*.tmp"  # lib.files.atomic_path's temporary files, left by a kill
_FIGS = {"files": ["*.png", "*.svg", "*.json", "*.csv", _TMP]}


def _outputs(kind: str) -> dict:
    """What a folder of this kind may hold when it predates the marker: file patterns and sub-folders."""
    if kind == "clean":
        return {"files": ["*.parquet", "*.csv", "SCHEMA.md", ".gitkeep"], "dirs": {"texts": {"files": ["*.txt"]}}}
    if kind == "reports":
        return {"files": ["*.html", "*.ipynb", ".gitkeep", _TMP],
                "dirs": {".stamps": {"files": ["*.json", _TMP]}, ".src": {"files": ["*.ipynb", _TMP]}}}
    if kind == "figures":
        from lib.themes import theme_ids

        dirs = {t: _FIGS for t in [*theme_ids(), "overview"]}
        dirs["city"] = {"dirs": {"*": _FIGS}}
        return {"files": ["index.csv", ".gitkeep", _TMP], "dirs": dirs}
    if kind == "exports":
        return {"files": ["minzheng.xlsx", "minzheng.pptx", ".gitkeep", _TMP]}
    raise ValueError(kind)


KINDS = ("clean", "reports", "figures", "exports")


def _foreign(folder: Path, spec: dict, depth: int = 0) -> Path | None:
    """The first entry of folder that is not one of spec's outputs (None when all are)."""
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        path = Path(entry.path)
        if (entry.name == MARKER and depth == 0) or entry.name.startswith(_PROBE):
            continue
        if entry.is_symlink():
            return path
        if entry.is_dir():
            sub = next((s for pat, s in spec.get("dirs", {}).items() if fnmatch.fnmatchcase(entry.name, pat)), None)
            if sub is None:
                return path
            found = _foreign(path, sub, depth + 1)
            if found is not None:
                return found
        elif not (entry.is_file() and any(fnmatch.fnmatchcase(entry.name, p) for p in spec.get("files", []))):
            return path
    return None


def marker_kind(folder: Path) -> str | None:
    """The kind of folder the marker names, or None when there is no marker."""
    try:
        first = (Path(folder) / MARKER).read_text(encoding="utf-8").split("\n", 1)[0].split()
    except (OSError, UnicodeDecodeError):
        return None
    return first[1] if len(first) >= 2 and first[0] == "minzheng-compare" else ""


def check_owned(folder: Path, kind: str, option: str) -> None:
    """Raise FolderError unless the tool may replace or write into folder (see the module doc)."""
    folder = Path(folder)
    if not os.path.lexists(folder):
        return
    if not folder.is_dir():
        raise FolderError(f"{folder}: {option} must be a folder, and this is a file; choose another {option}")
    found = marker_kind(folder)
    if found == kind:
        return
    if found:
        raise FolderError(f"{folder}: this is the tool's {found} folder, not a {kind} folder; choose another {option}")
    try:
        foreign = _foreign(folder, _outputs(kind))
    except OSError as exc:
        raise FolderError(f"{folder}: cannot be read ({exc.strerror}); choose another {option}") from None
    if foreign is not None:
        raise FolderError(f"{folder}: not a {kind} folder written by minzheng-compare ({foreign.relative_to(folder)} "
                          f"is not one of its outputs), so nothing in it was touched; give {option} a new or empty "
                          "folder, or one the tool wrote")


def mark(folder: Path, kind: str) -> None:
    """Write the marker that makes folder recognisably the tool's own."""
    (Path(folder) / MARKER).write_text(
        f"minzheng-compare {kind}\nThis folder is written by `python -m lib` and may be replaced by it as a whole.\n"
        "Do not keep your own files here.\n", encoding="utf-8")


def check_writable(folder: Path, option: str) -> None:
    """Raise FolderError, up front, when folder (or the folder it would be created in) cannot be written."""
    folder = Path(folder)
    probe = folder
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if probe == folder:
        dirs = [folder.parent, folder] + [Path(d) for d, _, _ in os.walk(folder) if Path(d) != folder]
    else:
        dirs = [probe]
    for d in dirs:
        if not _writable(d):
            raise FolderError(f"{d}: is read-only, so {option} {folder} cannot be written or replaced; "
                              f"make it writable (chmod -R u+w {d}) or choose another {option}")


def _writable(d: Path) -> bool:
    """Can files be created and removed in d? Asks the file system itself (root ignores mode bits)."""
    if not os.access(d, os.W_OK | os.X_OK):
        return False
    try:
        fd, name = _probe(d)
    except OSError as exc:
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return False
        raise
    os.close(fd)
    os.unlink(name)
    return True


_PROBE = ".minzheng-probe-"  # check_writable's test file (a kill may leave one)


def _probe(d: Path) -> tuple[int, str]:
    name = os.path.join(d, f"{_PROBE}{os.getpid()}")
    return os.open(name, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600), name


# --- locks ------------------------------------------------------------------------------------------
def lock_path(folder: Path) -> Path:
    folder = Path(folder)
    return folder.with_name(f".{folder.name}.lock")


@contextlib.contextmanager
def locked(folder: Path, shared: bool = False, say=None) -> Iterator[None]:
    """Hold the lock of folder: exclusive for a writer (a build), shared for readers (render, export).

    A second writer, or a writer while a reader is reading, waits for it and says so. Where the
    lock file cannot be created (a read-only parent) a reader goes on without it.
    """
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks
        yield
        return
    path = lock_path(folder)
    try:
        if not shared:  # a writer creates the folder anyway: its parent too, as mkdir -p would
            path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        if shared:
            yield
            return
        raise FolderError(f"{path}: cannot create the lock file beside {folder} ({exc.strerror or exc}); "
                          "is its parent folder read-only?") from None
    try:
        mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            if say is not None:
                who = "a build is writing" if shared else "another build or a render is using"
                say(f"waiting: {who} {folder} …")
            fcntl.flock(fd, mode)
        yield
    finally:
        os.close(fd)


# --- the swap ---------------------------------------------------------------------------------------
def previous_path(folder: Path) -> Path:
    folder = Path(folder)
    return folder.with_name(f".{folder.name}.old")


def staging_glob(folder: Path) -> str:
    return f".{Path(folder).name}.new-*"


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two existing paths (Linux renameat2); False where the system cannot."""
    if os.environ.get("MINZHENG_TEST_NO_EXCHANGE"):  # tests take the two-rename path a platform without it takes
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(err, os.strerror(err), str(b))


def swap_in(staging: Path, folder: Path, _between=None) -> None:
    """Make staging the folder in one step; the previous set is removed afterwards.

    With renameat2 the folder name always points at a complete set. Without it, the previous set
    sits at ``.<name>.old`` for the instant between two renames, where ``current`` finds it.
    """
    staging, folder = Path(staging), Path(folder)
    if not os.path.lexists(folder):
        os.replace(staging, folder)
        return
    if exchange(staging, folder):  # staging now holds the previous set
        shutil.rmtree(staging, ignore_errors=True)
        return
    old = previous_path(folder)
    if os.path.lexists(old):
        shutil.rmtree(old)
    os.replace(folder, old)
    if _between is not None:
        _between()
    os.replace(staging, folder)
    shutil.rmtree(old, ignore_errors=True)


def recover(folder: Path) -> None:
    """A writer's clean-up, under the lock: put back a previous set a kill left aside, drop stale staging
    and the parts of builds that were killed."""
    folder = Path(folder)
    old = previous_path(folder)
    if not os.path.lexists(folder) and old.is_dir():
        os.replace(old, folder)
    elif old.is_dir():
        shutil.rmtree(old, ignore_errors=True)
    for stale in folder.parent.glob(staging_glob(folder)):
        shutil.rmtree(stale, ignore_errors=True)
    for parts in folder.parent.glob(parts_glob(folder)):
        if not _in_use(parts):
            shutil.rmtree(parts, ignore_errors=True)


# --- a build's parts ----------------------------------------------------------------------------------
def parts_glob(folder: Path) -> str:
    return f".{Path(folder).name}.parts-*"


def make_parts(folder: Path) -> tuple[Path, int | None]:
    """A folder beside ``folder`` for a running build's parts (lib.parts), and the descriptor that holds
    its lock: a build holds it while it runs, so ``recover`` removes only the parts of a killed build."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    name = f"{folder.name}.parts-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    path = folder.with_name(f".{name}")
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; a killed build's parts stay until removed by hand
        path.mkdir()
        return path, None
    making = folder.with_name(f"..{name}")  # locked before it takes a name recover looks at
    making.mkdir()
    fd = os.open(making / ".lock", os.O_RDWR | os.O_CREAT, 0o666)
    fcntl.flock(fd, fcntl.LOCK_EX)
    os.replace(making, path)
    return path, fd


def _in_use(parts: Path) -> bool:
    try:
        import fcntl
    except ImportError:
        return True
    try:
        fd = os.open(parts / ".lock", os.O_RDWR)
    except OSError:
        return False  # no lock file: a build killed before it made one
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def current(folder: Path) -> Path:
    """The folder a reader should read: itself, or the previous set when a swap was cut between renames."""
    folder = Path(folder)
    old = previous_path(folder)
    if not folder.exists() and old.is_dir():
        return old
    return folder


def new_dir_mode() -> int:
    """Mode for a new folder under the current umask (mkdtemp would force 0700)."""
    mask = os.umask(0)
    os.umask(mask)
    return (stat.S_IRWXU | stat.S_IRWXG | stat.S_IRWXO) & ~mask
