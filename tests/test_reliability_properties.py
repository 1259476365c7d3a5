"""Property tests for issue 9: the manifest reader and the clean folder's swap.

- Manifest: whatever the rows hold (commas, quotes, Chinese, spaces), every well-formed row is read
  exactly, every row broken by an unclosed quote is an error naming its line and file, the rows after
  it are still read, and arbitrary text never raises anything but ManifestError.
- Swap: whatever the old and new sets hold, a reader (``folders.current``) sees exactly the new set
  after a swap, and exactly the old set when the swap is cut between its two renames; the next
  writer's ``recover`` then restores the old set and leaves no staging folder behind.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from lib import folders
from lib.errors import ManifestError
from lib.manifest import COLUMNS, read_manifest

FIELD = st.text(alphabet=st.sampled_from(list("厦门市民政局工作总结abc2 ,\"'-|=;，“”")), max_size=12)


def _line(values: list[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(values)
    return buf.getvalue()


@settings(max_examples=150)
@given(st.lists(st.tuples(st.lists(FIELD, min_size=len(COLUMNS) - 1, max_size=len(COLUMNS) - 1), st.booleans()),
                min_size=1, max_size=12))
def test_manifest_reads_every_good_row_and_names_every_broken_line(rows):
    lines = [",".join(COLUMNS)]
    good, broken = {}, {}
    for i, (fields, is_broken) in enumerate(rows):
        name = f"f{i}.txt"
        if is_broken:  # an unclosed quote: the rest of the line holds no other quote
            rest = [f.replace('"', "") for f in fields]
            lines.append(f'{name},"' + ",".join(rest))
            broken[name] = len(lines)
        else:
            lines.append(_line([name, *fields]))
            good[name] = dict(zip(COLUMNS, [name, *(f.strip() for f in fields)]))
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "manifest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        m = read_manifest(Path(tmp))
    assert m.rows == good
    named = {f: msg for f, msg in m.problems if "never closed" in msg}
    assert set(named) == set(broken)
    for name, n in broken.items():
        assert f"manifest.csv line {n} " in named[name]


@settings(max_examples=200)
@given(st.text(max_size=300))
def test_manifest_never_raises_anything_but_its_own_error(text):
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "manifest.csv").write_text("file,city\n" + text, encoding="utf-8")
        try:
            read_manifest(Path(tmp))
        except ManifestError:
            pass


FILES = st.dictionaries(st.sampled_from(["a.parquet", "b.csv", "SCHEMA.md", "texts/x.txt", "texts/y.txt"]),
                        st.binary(max_size=20), max_size=5)


def _write(folder: Path, files: dict) -> None:
    folder.mkdir()
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)


def _read(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


class Killed(Exception):
    pass


@settings(max_examples=100)
@given(FILES, FILES, st.booleans(), st.booleans(), st.booleans())
def test_a_reader_always_sees_a_whole_set(old, new, had_old, exchange, cut):
    saved = os.environ.get("MINZHENG_TEST_NO_EXCHANGE")
    if not exchange:
        os.environ["MINZHENG_TEST_NO_EXCHANGE"] = "1"
    tmp = Path(tempfile.mkdtemp())
    try:
        clean, staging = tmp / "clean", tmp / ".clean.new-1"
        if had_old:
            _write(clean, old)
        _write(staging, new)

        def kill():
            raise Killed

        try:
            folders.swap_in(staging, clean, _between=kill if cut else None)
        except Killed:
            pass
        killed_midway = cut and had_old and not (exchange and _has_exchange(tmp))
        seen = _read(folders.current(clean))
        if killed_midway:
            assert seen == old and not clean.exists()
        else:
            assert seen == new
        folders.recover(clean)  # the next build's first step, under the lock
        assert _read(clean) == (old if killed_midway else new)
        assert sorted(p.name for p in tmp.iterdir()) == ["clean"]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if saved is None:
            os.environ.pop("MINZHENG_TEST_NO_EXCHANGE", None)
        else:
            os.environ["MINZHENG_TEST_NO_EXCHANGE"] = saved


_EXCHANGE: dict[str, bool] = {}


def _has_exchange(tmp: Path) -> bool:
    """Does this file system support renameat2 exchange (cached)?"""
    if "ok" not in _EXCHANGE:
        saved = os.environ.pop("MINZHENG_TEST_NO_EXCHANGE", None)
        a, b = tmp / ".probe-a", tmp / ".probe-b"
        a.mkdir()
        b.mkdir()
        try:
            _EXCHANGE["ok"] = folders.exchange(a, b)
        finally:
            a.rmdir()
            b.rmdir()
            if saved is not None:
                os.environ["MINZHENG_TEST_NO_EXCHANGE"] = saved
    return _EXCHANGE["ok"]
