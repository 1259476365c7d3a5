"""Narrative claims: rankings, firsts, pilots and designations, awards, and plans.

These feed the narrative tables analysts read beside the numbers ("what does each city say it
leads in, pilots, and plans next"). Patterns are about how such claims are worded in Chinese
official prose, not about particular reports.
"""

from __future__ import annotations

import bisect
import re

from lib.rows import Rows
from lib.structure import clause_start, is_forward_looking

_SCOPE = r"(?P<scope>全国|全省|全市|省内|国内|同类城市|副省级城市|计划单列市|全国\d+个同类城市|全国[^,。]{0,8}城市)?"
_ORD = r"(?:第\s*(?P<n>\d{1,3}|[一二三四五六七八九十]{1,3})\s*(?:名|位)?(?![个家批例座所])|首位|首名|前列|前茅|前\s*(?P<top>\d{1,3}|[一二三四五六七八九十]{1,3})(?:名|位)?|最高|最低|唯一|领先|第一方阵)"

PATTERNS: list[tuple[str, re.Pattern]] = [
    ("ranking", re.compile(rf"(?:位居|居于|位于|排名|排在|名列|位列|居|列|获|处于|保持|走在){_SCOPE}(?:的)?{_ORD}")),
    ("ranking", re.compile(rf"{_SCOPE.replace('?P<scope>', '?P<scope2>')}(?:排名|排位)?{_ORD}")),
    ("first", re.compile(r"(?:率先(?:在)?(?P<scope>全国|全省|全市|省内)?|(?P<scope2>全国|全省|全市)(?:率先|第一[个家批例座所])|"
                         r"首创|首个|首家|首例|首批|全国首[创个家例批推]?|全省首[创个家例批推]?|开创先河)")),
    ("pilot", re.compile(r"(?:^|(?<=[,。;、:]))[^,。;、:]{0,30}?(?:试点|示范(?:区|市|县|点|单位|社区|基地|项目|城市|中心)|联系点|先行区|改革实验区)")),
    ("award", re.compile(r"(?:获评|荣获|获得|获|被评为|评为|授予)[^,。;]{0,30}(?:奖|称号|荣誉|表彰|优秀案例|案例|先进|典型|表扬|督查激励)")),
]

# A word every match of the pattern of the same position holds (an ordinal's first character, 率先/首,
# a designation, an award verb): a sentence without it is skipped before the costlier pattern runs.
_GATES = [re.compile("[第首前最唯领]"), re.compile("[第首前最唯领]"), re.compile("率先|首|开创先河|第一"),
          re.compile("试点|示范|联系点|先行区|改革实验区"), re.compile("获|评为|授予")]

CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def _cn_int(s: str | None) -> float | None:
    if not s:
        return None
    if s.isdigit():
        return float(s)
    if s == "十":
        return 10.0
    if s.startswith("十"):
        return 10.0 + CN_DIGITS.get(s[1:], 0)
    if "十" in s:
        tens, _, ones = s.partition("十")
        return float(CN_DIGITS.get(tens, 0) * 10 + CN_DIGITS.get(ones, 0))
    return float(CN_DIGITS.get(s, 0)) or None


def _rank(match: re.Match) -> float | None:
    text = match.group(0)
    gd = match.groupdict()
    if gd.get("n"):
        return _cn_int(gd["n"])
    if re.search(r"首位|首名|最高|唯一", text):
        return 1.0
    return None


def find_claims(sentence: str) -> list[tuple[str, int, int, str | None, float | None]]:
    """(claim_type, start, end, scope, rank) for every claim phrase in a sentence, no overlaps per type."""
    out = []
    for (claim_type, rule), gate in zip(PATTERNS, _GATES):
        if not gate.search(sentence):
            continue
        taken = [(s, e) for t, s, e, *_ in out if t == claim_type]
        for m in rule.finditer(sentence):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            if claim_type == "ranking" and not _is_ranking(m):
                continue
            gd = m.groupdict()
            scope = gd.get("scope") or gd.get("scope2") or _scope_in_clause(sentence, m.start(), claim_type)
            out.append((claim_type, m.start(), m.end(), scope, _rank(m) if claim_type == "ranking" else None))
            taken.append((m.start(), m.end()))
    return out


_SCOPE_WORD = re.compile(r"全国|全省|全市|同类城市|副省级城市")


def _scope_in_clause(sentence: str, start: int, claim_type: str) -> str | None:
    """在全省民政工作考核中排名第一: a ranking's level named earlier in its clause."""
    if claim_type != "ranking":
        return None
    found = _SCOPE_WORD.findall(sentence[clause_start(sentence, start):start])
    return found[-1] if found else None


def _is_ranking(m: re.Match) -> bool:
    """A ranking needs a scope or a ranking verb; bare 第一 (as in 第一次) is not one."""
    gd = m.groupdict()
    text = m.group(0)
    if gd.get("scope") or gd.get("scope2"):
        return True
    return bool(re.match(r"(位居|居于|排名|排在|名列|位列)", text))


def extract_claims(sentences: list, sections: list, city: str) -> Rows:
    """Claims of one report from its sentence and section rows (lib.rows.records: with part and theme)."""
    rows = []
    for s in sentences:
        for claim_type, start, end, scope, rank in find_claims(s.text):
            rows.append({"report_id": s.report_id, "city": city, "theme": s.theme, "claim_type": claim_type,
                         "status": _status(s.text, start, end, s.part), "scope": scope or "", "rank": rank,
                         "phrase": s.text[start:end], "section_id": s.section_id, "sentence_id": s.sentence_id,
                         "source_text": s.text, "char_start": s.char_start + start, "char_end": s.char_start + end})
    # plan items: the headings and 一是… items of the plan part, one claim each
    starts = [s.char_start for s in sentences]
    for sec in sections:
        if sec.part != "plan" or sec.kind not in ("heading", "item") or not sec.title:
            continue
        sent = _sentence_at(sentences, starts, sec.heading_start)
        rows.append({"report_id": sec.report_id, "city": city, "theme": sec.theme, "claim_type": "plan",
                     "status": "planned", "scope": "", "rank": None, "phrase": sec.title, "section_id": sec.section_id,
                     "sentence_id": sent.sentence_id if sent is not None else "",
                     "source_text": sent.text if sent is not None else sec.title,
                     "char_start": sec.heading_start, "char_end": sec.heading_end})
    return Rows(None, rows)


_STANDING = re.compile(r"持续|保持|已经|已|被|获|位居|居于|继续保持|一直")
_AIM = re.compile(r"争创|力争|争取|努力|打造|创建|申报|争当|推动|积极")


def _status(sentence: str, start: int, end: int, part: str) -> str:
    """Planned when the clause aims at it (争创…示范区) or it sits in a plan part without stating a
    standing already held (持续位居全省第一 in a plan section is still a fact)."""
    clause = sentence[clause_start(sentence, start):end]
    if _AIM.search(clause) or is_forward_looking(clause):
        return "planned"
    if part == "plan" and not _STANDING.search(clause):
        return "planned"
    return "actual"


def _sentence_at(sentences: list, starts: list[int], pos: int):
    """The sentence covering pos (sentences are in text order and do not overlap)."""
    i = bisect.bisect_right(starts, pos) - 1
    if i < 0:
        return None
    row = sentences[i]
    return row if row.char_start <= pos < row.char_end else None
