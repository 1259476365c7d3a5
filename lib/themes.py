"""The civil-affairs thematic areas, kept as data (``lib/data/themes.csv``), and the classifier.

A text span gets the theme whose keywords it matches most (longer keywords weigh more, since
they are more specific); the reason records what matched so an analyst can see why.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pandas as pd

FALLBACK = "general"


@dataclass(frozen=True)
class ThemeHit:
    theme: str
    score: float
    reason: str
    total: float = 0.0  # all themes' scores together: how dominant the winner is


@lru_cache(maxsize=1)
def load_themes() -> pd.DataFrame:
    """The taxonomy table: theme_id, name_zh, name_en, keywords (``|``-separated)."""
    with resources.files("lib.data").joinpath("themes.csv").open(encoding="utf-8") as fh:
        df = pd.read_csv(fh, dtype=str, keep_default_na=False)
    if df["theme_id"].duplicated().any():
        raise ValueError("themes.csv: duplicate theme_id")
    return df


@lru_cache(maxsize=1)
def _matcher() -> tuple[re.Pattern, dict[str, list[str]]]:
    """One alternation of every keyword, longest first, and which themes each keyword names."""
    owners: dict[str, list[str]] = {}
    for row in load_themes().itertuples():
        for kw in filter(None, row.keywords.split("|")):
            owners.setdefault(kw, []).append(row.theme_id)
    pattern = re.compile("|".join(re.escape(k) for k in sorted(owners, key=len, reverse=True)))
    return pattern, owners


@lru_cache(maxsize=1)
def _order() -> dict[str, int]:
    return {t: i for i, t in enumerate(load_themes()["theme_id"])}


def theme_ids() -> list[str]:
    return list(_order())


def theme_names() -> dict[str, str]:
    return dict(zip(load_themes()["theme_id"], load_themes()["name_zh"]))


def score(text: str) -> dict[str, tuple[float, dict[str, int]]]:
    """Per theme: (score, {keyword: count}) for the keywords found in text."""
    pattern, owners = _matcher()
    out: dict[str, tuple[float, dict[str, int]]] = {}
    for m in pattern.finditer(text):
        kw = m.group(0)
        for theme in owners[kw]:
            total, counts = out.get(theme, (0.0, {}))
            counts[kw] = counts.get(kw, 0) + 1
            out[theme] = (total + min(len(kw), 4), counts)
    return out


def classify(text: str, heading: str = "", heading_weight: float = 3.0) -> ThemeHit | None:
    """Best theme for a span; matches in its heading count ``heading_weight`` times.

    Scores as ``score`` does, from each keyword's count rather than match by match (the build
    classifies every sentence): the sums are of small integers, so they are exact either way."""
    pattern, _ = _matcher()
    return _best(tuple(pattern.findall(heading)) if heading else (), tuple(pattern.findall(text)) if text else (),
                 heading_weight)


class KeywordIndex:
    """Every keyword match of one text, found in one pass, so that its sections and sentences are
    classified without scanning the same characters again (a report's text is read once, not once
    per level of nesting). ``classify(start, end)`` equals ``classify(text[start:end])``: where a
    match straddles either edge of the span, the span is scanned on its own."""

    def __init__(self, text: str):
        pattern, _ = _matcher()
        self.text = text
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.words: list[str] = []
        canonical = _canonical()  # one string per keyword, not one per match
        for m in pattern.finditer(text):
            self.starts.append(m.start())
            self.ends.append(m.end())
            self.words.append(canonical[m.group()])

    def words_in(self, start: int, end: int) -> tuple[str, ...]:
        """The keywords a scan of text[start:end] alone would find."""
        i, j = bisect_left(self.starts, start), bisect_left(self.starts, end)
        straddles = (i > 0 and self.ends[i - 1] > start) or (j > i and self.ends[j - 1] > end)
        if straddles:
            return tuple(_matcher()[0].findall(self.text, start, end))
        return tuple(self.words[i:j])

    def classify(self, start: int, end: int) -> ThemeHit | None:
        return _best((), self.words_in(start, end), 3.0)


@lru_cache(maxsize=1)
def _canonical() -> dict[str, str]:
    return {k: k for k in _matcher()[1]}


REMEMBERED_WORDS = 12  # spans with at most this many keyword matches (most sentences) are scored once


def _best(heading_words: tuple[str, ...], text_words: tuple[str, ...], heading_weight: float) -> ThemeHit | None:
    """The theme of a span from the keywords found in it, in order. A pure function of them, so
    remembered for short spans (many sentences match the same few keywords); the memory is
    bounded in entries and in their size, whatever the corpus."""
    if len(heading_words) + len(text_words) <= REMEMBERED_WORDS:
        return _best_remembered(heading_words, text_words, heading_weight)
    return _score(heading_words, text_words, heading_weight)


@lru_cache(maxsize=1 << 14)
def _best_remembered(heading_words: tuple[str, ...], text_words: tuple[str, ...], heading_weight: float) -> ThemeHit | None:
    return _score(heading_words, text_words, heading_weight)


def _score(heading_words: tuple[str, ...], text_words: tuple[str, ...], heading_weight: float) -> ThemeHit | None:
    _, owners = _matcher()
    scores: dict[str, list] = {}
    for words, weight in ((heading_words, heading_weight), (text_words, 1.0)):
        if not words:
            continue
        found: dict[str, int] = {}  # keyword -> count, in order of first occurrence
        for kw in words:
            found[kw] = found.get(kw, 0) + 1
        per_theme: dict[str, float] = {}
        for kw, n in found.items():
            for theme in owners[kw]:
                per_theme[theme] = per_theme.get(theme, 0.0) + n * min(len(kw), 4)
                entry = scores.get(theme)
                if entry is None:
                    entry = scores[theme] = [0.0, {}]
                entry[1][kw] = entry[1].get(kw, 0) + n
        for theme, sc in per_theme.items():
            scores[theme][0] += sc * weight
    if not scores:
        return None
    order = _order()
    best = max(scores, key=lambda t: (scores[t][0], t != FALLBACK, -order[t]))
    s, counts = scores[best]
    top = sorted(counts.items(), key=lambda kv: (-kv[1], -len(kv[0])))[:4]
    total = sum(entry[0] for entry in scores.values())
    return ThemeHit(best, round(s, 2), "matched " + ", ".join(f"{k}×{n}" for k, n in top), total)
