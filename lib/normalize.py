"""Decode report bytes and normalise the text, keeping a map back to the raw text.

Every offset the suite publishes is an offset into the *normalised* text; ``NormalText.raw_span``
turns it back into an offset into the decoded raw text, so a value can always be shown in the
file the analyst has.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from itertools import compress

import numpy as np

from lib.errors import ReportError

# Characters folded to one form. Full-width ASCII (U+FF01-FF5E) becomes ASCII so "，" and ","
# or "１２" and "12" read the same; every odd space becomes a plain space. Chinese-only
# punctuation (。、“”《》) has no ASCII twin and is left as it is.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FOLD.update(
    {
        0x3000: 0x20,  # ideographic space
        0x00A0: 0x20,  # no-break space
        0x2002: 0x20, 0x2003: 0x20, 0x2004: 0x20, 0x2005: 0x20, 0x2006: 0x20,
        0x2007: 0x20, 0x2008: 0x20, 0x2009: 0x20, 0x200A: 0x20, 0x202F: 0x20,
        0x205F: 0x20, 0x0009: 0x20,
        0x2212: ord("-"),  # minus sign
        0x2013: ord("-"),  # en dash used in ranges (80–89)
        0x301C: ord("~"),  # wave dash
        0x2028: 0x0A, 0x2029: 0x0A, 0x0085: 0x0A, 0x000B: 0x0A, 0x000C: 0x0A,
    }
)
# Zero-width and BOM characters are dropped.
_DROP = {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD}

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True)
class NormalText:
    """Normalised text plus, for each of its characters, the offset of its source in ``raw``."""

    raw: str
    text: str
    raw_offsets: np.ndarray  # len(text) + 1 entries; last one = len(raw)
    repairs: tuple[str, ...] = ()  # what repair() changed, for the build's warnings

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normalised text to the raw text."""
        if not 0 <= start <= end <= len(self.text):
            raise IndexError(f"span {start}:{end} outside text of length {len(self.text)}")
        if start == end:
            pos = int(self.raw_offsets[start])
            return pos, pos
        return int(self.raw_offsets[start]), int(self.raw_offsets[end - 1]) + 1


def decode(data: bytes, path="<bytes>") -> tuple[str, str]:
    """Decode report bytes; return (text, encoding). Raises ReportError when it is not text.

    Order: BOM, then strict UTF-8, then UTF-16 without BOM (many NULs), then GB18030 (a superset
    of GBK/GB2312). A file that is none of these, or holds control bytes, is refused rather than
    guessed: a wrongly decoded report produces wrong numbers.
    """
    if not data.strip():
        raise ReportError(path, "file is empty", "re-export the report or remove the file")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            if enc.startswith("utf-16") and len(data) % 2:
                raise ReportError(path, f"is UTF-16 text with an odd number of bytes ({len(data):,}), so its last "
                                        "character is cut", "the file looks truncated; download or export it again")
            try:
                return _check_text(data[len(bom):].decode(enc), path), enc + "-bom"
            except UnicodeDecodeError as exc:
                raise ReportError(path, f"has a {enc} byte-order mark but is not valid {enc}: {exc.reason} at byte {exc.start}",
                                  "the file is probably truncated or corrupt") from exc
    try:
        return _check_text(data.decode("utf-8"), path), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    lossy = data.decode("utf-8", errors="replace")
    bad = lossy.count("\ufffd")
    if bad <= 3 and _plausibility(lossy) > 0.85:
        # UTF-8 with a damaged tail (cut mid-character) or a few damaged bytes: refuse, do not guess
        where = "ends in the middle of a UTF-8 character" if len(data) - utf8_error.start <= 3 else \
            f"has {bad} invalid UTF-8 byte sequence(s), the first at byte {utf8_error.start}"
        raise ReportError(path, where, "the file looks truncated or damaged; download or export it again")
    if data.count(b"\x00") > len(data) // 8 and len(data) % 2:
        if _odd_utf16(data[:-1]):
            raise ReportError(path, f"is UTF-16 text with an odd number of bytes ({len(data):,}), so its last character is cut",
                              "the file looks truncated; download or export it again")
        raise ReportError(path, "is binary, not a text report", "supply the report as .txt, .html, .docx or .pdf")
    enc = _detected_encoding(data)
    if enc not in ("gb18030", "utf-16-le", "utf-16-be") and len(data) % 2 and _odd_utf16(data[:-1]):
        raise ReportError(path, f"is UTF-16 text with an odd number of bytes ({len(data):,}), so its last character is cut",
                          "the file looks truncated; download or export it again")
    if enc is None:
        raise ReportError(path, "is binary or in an unknown encoding, not a text report",
                          "supply the report as UTF-8 .txt, or as .html, .docx or .pdf")
    if enc not in ("gb18030", "utf-16-le", "utf-16-be"):
        raise ReportError(path, f"looks like {enc}, an encoding the suite does not read (UTF-8, GB18030/GBK, UTF-16)",
                          "convert it to UTF-8")
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as exc:
        raise ReportError(path, f"is not valid {enc}: {exc.reason} at byte {exc.start}", "convert it to UTF-8") from exc
    if _plausibility(text) < 0.85:
        raise ReportError(path, "is binary, not a text report", "supply the report as .txt, .html, .docx or .pdf")
    return _check_text(text, path), enc


def _odd_utf16(even: bytes) -> bool:
    """Do these bytes (a file minus its odd last byte) read as Chinese UTF-16 text?"""
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = even.decode(enc)
            if _plausibility(text) >= 0.85 and len(re.findall(r"[\u4e00-\u9fff]", text[:5000])) * 3 >= len(text[:5000]):
                return True
        except UnicodeDecodeError:
            continue
    return False


_GB = {"gb18030", "gbk", "gb2312", "hz", "cp936", "hz_gb_2312"}


def _detected_encoding(data: bytes) -> str | None:
    """The encoding of non-UTF-8 bytes, by charset-normalizer: GB family → gb18030 (its superset),
    UTF-16 as is, anything else by its own name so the message can say what the file is."""
    from charset_normalizer import from_bytes

    results = list(from_bytes(data[:200_000]))
    if not results:
        return None
    best_chaos = min(r.chaos for r in results)
    # near-ties are common on short texts: prefer what Chinese reports use, if it reads as Chinese
    tied = [r.encoding.lower().replace("-", "_") for r in results if r.chaos <= best_chaos + 0.02]
    for name in tied:
        enc = "gb18030" if name in _GB else ("utf-16-be" if name.endswith("be") else "utf-16-le") \
            if name.startswith("utf_16") else None
        if enc is None:
            continue
        try:
            if _plausibility(data.decode(enc)) >= 0.85 and re.search(r"[\u4e00-\u9fff]", data.decode(enc)):
                return enc
        except UnicodeDecodeError:
            continue
    return min(results, key=lambda r: r.chaos).encoding


_PLAUSIBLE = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u2018-\u201d\u2460-\u2473\x20-\x7e\n\r\t\x85\u2028\u2029·…—]")


def _plausibility(text: str) -> float:
    """Share of characters that a Chinese report is made of (CJK, CJK punctuation, ASCII)."""
    sample = text[:5000]
    if not sample:
        return 0.0
    return len(_PLAUSIBLE.findall(sample)) / len(sample)


# Unicode category Cc (U+0000-001F, U+007F-009F) but the line and page breaks, tab and NEL (\x85):
# one regex scan rather than a unicodedata call per character.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


def _check_text(text: str, path) -> str:
    """Refuse decoded text full of control characters: a binary file that happened to decode."""
    sample = text[:20000]
    bad = len(_CONTROL.findall(sample))
    if sample and bad > max(2, len(sample) // 200):
        raise ReportError(path, f"is binary, not a text report ({bad} control characters in the first {len(sample)})",
                          "supply the report as .txt, .html, .docx or .pdf")
    return text


_NEEDS_SLOW_PATH = re.compile("[\r" + "".join(chr(c) for c in sorted(_DROP)) + "]")


def normalise(raw: str) -> NormalText:
    """Fold widths and spaces, unify line endings, drop zero-width characters; then repair what
    converters and copy sites do to Chinese text (see ``repair``). Keeps the offset map."""
    return repair(_fold(raw))


# str.translate looks every character up in _FOLD (slow for CJK text); a regex finds the few to fold
_FOLDABLE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_FOLD)) + "]")
_FOLD_CHAR = {chr(k): chr(v) for k, v in _FOLD.items()}


def _folded(m: re.Match) -> str:
    return _FOLD_CHAR[m.group()]


def _fold(raw: str) -> NormalText:
    if not _NEEDS_SLOW_PATH.search(raw):  # one char in, one char out: the map is the identity
        offsets = np.arange(len(raw) + 1, dtype=np.int64)
        return NormalText(raw=raw, text=_FOLDABLE.sub(_folded, raw), raw_offsets=offsets)
    out: list[str] = []
    offsets: list[int] = []
    i, n = 0, len(raw)
    fold, drop = _FOLD, _DROP
    while i < n:
        ch = raw[i]
        cp = ord(ch)
        if cp == 0x0D:  # CR or CRLF -> LF
            out.append("\n")
            offsets.append(i)
            i += 2 if i + 1 < n and raw[i + 1] == "\n" else 1
            continue
        if cp in drop:
            i += 1
            continue
        mapped = fold.get(cp)
        out.append(chr(mapped) if mapped is not None else ch)
        offsets.append(i)
        i += 1
    offsets.append(n)
    return NormalText(raw=raw, text="".join(out), raw_offsets=np.asarray(offsets, dtype=np.int64))


# --- repairs of damaged Chinese text ------------------------------------------------------------
# A pinyin gloss after a character, as copy sites print traditional texts: 鄉(xiāng), 標(biāo).
# A tone mark is required, so an ordinary bracket such as (a) or (人) is never taken for one.
_PINYIN_GLOSS = re.compile(r"(?<=[\u3400-\u9fff])\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]{1,6}\)")
# Letter-spaced words (索 引 号, 低 保 人 数): three or more single CJK characters, one space apart.
_LETTER_SPACED = re.compile(r"(?<![\u3400-\u9fff])[\u3400-\u9fff](?: [\u3400-\u9fff]){2,}(?![\u3400-\u9fff])")
# A hard line-wrap space inside a word of running prose: one space between two CJK characters.
_WRAP_SPACE = re.compile(r"(?<=[\u3400-\u9fff]) (?=[\u3400-\u9fff\d])|(?<=\d) (?=[\u3400-\u9fff])")
# A space between a figure and its 万/亿 (2.8 万人, 1.2 亿元), on a line of any length: never two words.
_MAGNITUDE_SPACE = re.compile(r"(?<=\d) (?=[万亿])")
# A table line holds two pipes or more; a prose line one of 。,; (tested line by line: a regex such as
# [^\n|]*\|… retried at every position of a line without a pipe is quadratic in the line's length).
_PROSE_MARK = re.compile(r"[。,;]")
# PDF glyph damage: Kangxi radicals and compatibility ideographs standing for ordinary characters.
_GLYPH_DAMAGE = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf\uf900-\ufaff]")
TRADITIONAL_SHARE = 0.05  # convert when this share of the CJK characters is traditional


def repair(nt: NormalText) -> NormalText:
    """Repairs that keep every offset meaningful: pinyin glosses and stray spaces inside words are
    dropped (the offset map keeps pointing at the raw text), damaged glyphs and traditional
    characters are replaced one for one (OpenCC t2s), so a figure's span still covers its figure."""
    text = nt.text
    drops: list[int] = []
    notes: list[str] = []
    glosses = list(_PINYIN_GLOSS.finditer(text))
    for m in glosses:
        drops.extend(range(m.start(), m.end()))
    if glosses:
        notes.append(f"{len(glosses)} inline pinyin gloss(es) such as {glosses[0].group(0)} removed")
    for m in _LETTER_SPACED.finditer(text):
        drops.extend(m.start() + i for i, ch in enumerate(m.group(0)) if ch == " ")
    for start, line in _lines(text):
        if " " not in line:
            continue  # every repair below drops a space
        drops.extend(start + m.start() for m in _MAGNITUDE_SPACE.finditer(line))
        if line.count("|") >= 2:  # 指 标 | 单 位 | 数 量: spaced-out words in table cells
            drops.extend(start + m.start() for m in _WRAP_SPACE.finditer(line))
        if len(line) >= 40 and "  " not in line and _PROSE_MARK.search(line):
            drops.extend(start + m.start() for m in _WRAP_SPACE.finditer(line))
    if drops:
        drops = sorted(set(drops))
        keep = np.ones(len(text), dtype=bool)
        keep[sorted(set(drops))] = False
        offsets = np.concatenate([nt.raw_offsets[:-1][keep], nt.raw_offsets[-1:]])
        nt = NormalText(raw=nt.raw, text="".join(compress(text, keep.tolist())), raw_offsets=offsets)
    text = nt.text
    if _GLYPH_DAMAGE.search(text):
        text = _GLYPH_DAMAGE.sub(_undamaged, text)
        if text != nt.text:
            notes.append("radical or compatibility glyphs (PDF damage) replaced by the ordinary characters")
    if is_traditional(text):
        text = to_simplified(text)
        notes.append("written in traditional characters: converted to simplified (OpenCC t2s) for reading")
    return NormalText(raw=nt.raw, text=text, raw_offsets=nt.raw_offsets, repairs=tuple(notes))


def _lines(text: str):
    """(start, line) of every line of text, split at \\n only."""
    start = 0
    for line in text.split("\n"):
        yield start, line
        start += len(line) + 1


def _undamaged(m: re.Match) -> str:
    ch = unicodedata.normalize("NFKC", m.group(0))
    return ch if len(ch) == 1 else m.group(0)


_T2S = None


def _converter():
    global _T2S
    if _T2S is None:
        import opencc  # a C++ converter with its own dictionaries; loaded only for traditional texts

        _T2S = opencc.OpenCC("t2s")
    return _T2S


_CJK = re.compile(r"[\u4e00-\u9fff]")
# Characters whose traditional form is common in reports; a cheap gate before OpenCC is loaded.
_TRADITIONAL_HINT = re.compile("[們個這來時會為與發據數統計說經對關實業標準農鄉縣區員護養機構報]")


def is_traditional(text: str) -> bool:
    """Is the text written in traditional characters (a share of its CJK characters change under t2s)?"""
    sample = text[:20000]
    if not _TRADITIONAL_HINT.search(sample):
        return False
    n = len(_CJK.findall(sample))
    if not n:
        return False
    converted = _converter().convert(sample)
    changed = sum(a != b for a, b in zip(sample, converted)) if len(converted) == len(sample) else n
    return changed / n >= TRADITIONAL_SHARE


def to_simplified(text: str) -> str:
    """Traditional → simplified, one character for one, so offsets stay valid (OpenCC t2s; a line
    whose phrase conversion changes its length is converted character by character)."""
    cc = _converter()
    out = []
    for line in text.split("\n"):
        conv = cc.convert(line)
        if len(conv) != len(line):
            conv = "".join(c if len(c := cc.convert(ch)) == 1 else ch for ch in line)
        out.append(conv)
    return "\n".join(out)
