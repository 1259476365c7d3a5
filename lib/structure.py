"""Segment a report body into blocks, paragraphs, sentences and a section tree with parts.

Headings are recognised by their numbering (一、 / (一) / 1. / (1) / ①), by being a short
unpunctuated line (newspaper features), or as a part heading such as ``2024年工作总结``. A
numbered heading is often run in: its title is the paragraph's first sentence. 一是…二是…
enumerations become item sections under the heading they sit in.

The *part* of each section (review of the past period, problems, plan for the next) later
decides whether a figure is actual or planned.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from lib.ingest import RawReport, iter_lines
from lib.tables import Table, find_tables

CN_NUM = "一二三四五六七八九十"
# (style level, kind of numbering, pattern); the pattern's group 'num' is the numbering as
# written and the match end is where the title starts.
HEADING_RULES: list[tuple[int, str, re.Pattern]] = [
    (1, "cn", re.compile(rf"^(?P<num>[{CN_NUM}]{{1,3}})\s*[、.]\s*")),
    (2, "cn_paren", re.compile(rf"^\((?P<num>[{CN_NUM}]{{1,3}})\)\s*")),
    (3, "arabic", re.compile(r"^(?P<num>\d{1,2})\s*[.、](?!\d)\s*")),
    (4, "arabic_paren", re.compile(r"^\((?P<num>\d{1,2})\)\s*")),
    (5, "circled", re.compile(r"^(?P<num>[①-⑳])\s*")),
]
ITEM_LEVEL = 6
ITEM = re.compile(rf"(?:(?<=^)|(?<=[。;:!?\s]))(?P<num>[{CN_NUM}]{{1,3}}是)(?=[\u4e00-\u9fff“\"(《])")

PART_PLAN = re.compile(r"(工作)?(思路|计划|打算|安排|措施|要点|展望|目标任务|下一步|下半年|明年|\d{4}年(?:重点|主要)?(?:工作)?任务|努力方向)")
PART_PROBLEMS = re.compile(r"(存在的?|主要)?(困难|问题|不足|短板|差距)")
PART_REVIEW = re.compile(r"(总结|完成情况|成效|回顾|主要工作|上半年|工作情况|进展|成绩)")
# An unnumbered line that opens a part: "2024年工作总结", "2025年工作计划", "下半年工作思路".
PART_HEADING = re.compile(
    r"^(?:\d{4}年|今年|明年|上半年|下半年|下一步|[一二三四]季度)?(?:度)?(?:全市|我市|市民政局)?(?:民政)?(?:工作)?"
    r"(?:总结|思路|计划|打算|安排|要点|重点|措施|情况|主要成效|主要做法|存在的?问题|工作总结|工作思路|工作计划|工作打算|工作安排|工作要点|工作重点)$"
)
# 第一部分 2024年工作回顾 / 第二章 …: a numbered part, above 一、 headings.
NUMBERED_PART = re.compile(rf"^(?P<num>第[{CN_NUM}]{{1,3}}(?:部分|章|篇))[\s:、.]*")
MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
SENTENCE_END = re.compile(r"[。!?！？](?:[”’\"』」)]*)")
TERMINAL = tuple("。!?！？”’\"):;；：")
SHORT_HEADING_MAX = 32


@dataclass
class Section:
    section_id: str
    parent_id: str | None
    level: int
    kind: str  # part | heading | item | preamble
    number: str
    title: str
    heading_start: int
    heading_end: int
    start: int
    end: int = -1
    part: str = "review"
    depth: int = 0
    children: list["Section"] = field(default_factory=list)


@dataclass
class Paragraph:
    paragraph_id: str
    start: int
    end: int
    section_id: str
    is_heading: bool = False


@dataclass
class Sentence:
    sentence_id: str
    paragraph_id: str
    section_id: str
    start: int
    end: int
    text: str


@dataclass
class Structure:
    sections: list[Section]
    paragraphs: list[Paragraph]
    sentences: list[Sentence]
    tables: list[Table]
    title: str = ""
    title_span: tuple[int, int] | None = None


def part_of(title: str) -> str | None:
    """Which part a heading opens, from its wording; None when it does not say."""
    if PART_PLAN.search(title) and not re.search(r"(完成情况|总结|成效|成绩|进展)", title):
        return "plan"
    if PART_PROBLEMS.search(title) and len(title) <= 20:
        return "problems"
    if PART_REVIEW.search(title):
        return "review"
    return None


def match_heading(line: str) -> tuple[int, str, str, int] | None:
    """(level, numbering kind, number, title offset) when the line opens with a heading number."""
    for level, kind, rule in HEADING_RULES:
        m = rule.match(line)
        if m:
            rest = line[m.end():]
            if not rest or rest[0] in "%‰" or (level >= 3 and re.match(r"^\d", rest)):
                return None
            if kind == "arabic" and re.match(r"^(万|亿|千|元|年|月|日|人|户|个|家|张|%)", rest):
                return None
            return level, kind, m.group("num"), m.end()
    return None


def run_in_title(line: str) -> str:
    """The heading of a run-in paragraph: up to its first full stop, or the short line itself."""
    m = SENTENCE_END.search(line)
    if m and m.start() <= 60:
        return line[: m.start()]
    if len(line) <= 60:
        return line.rstrip("。;:：; ")
    cut = re.search(r"[,;:。]", line)
    return line[: cut.start()] if cut and cut.start() <= 60 else line[:30]


def is_short_heading(line: str) -> bool:
    """A standalone unpunctuated short line (news features, part headings)."""
    s = line.strip()
    return 0 < len(s) <= SHORT_HEADING_MAX and not s.endswith(TERMINAL) and not re.search(r"[。,;:!?、]", s) and not re.fullmatch(r"[\d.,%\s|]+", s)


def segment(report: RawReport, year: int | None = None) -> Structure:
    """Build the section tree, paragraphs, sentences and tables of a report body; ``year`` (the
    report's, when known) tells a date already reached (到2022年 in a 2022 review) from a target."""
    text = report.text
    furniture_starts = {f.start for f in report.furniture}
    lines = []
    for start, end, line in iter_lines(text):
        lead = len(line) - len(line.lstrip())
        if not line.strip() or (start + lead) in furniture_starts:
            continue
        lines.append((start, end, line))
    tables = find_tables(lines)
    in_table = {s for t in tables for s, _e in t.line_spans}
    body = [ln for ln in lines if ln[0] not in in_table]
    blocks = _join_broken_lines(text, body)

    has_numbered_l1 = any((h := match_heading(MARKDOWN_HEADING.sub("", b[2].strip()))) and h[0] == 1 for b in blocks)
    sections: list[Section] = []
    paragraphs: list[Paragraph] = []
    sentences: list[Sentence] = []
    root = Section("s000", None, 0, "preamble", "", "", 0, 0, 0, part="preamble")
    sections.append(root)
    stack: list[tuple[float, Section]] = [(-1.0, root)]
    current_part = None
    title, title_span = "", None
    seen_body = False

    def open_section(rank: float, level: int, kind: str, number: str, title_text: str, hs: int, he: int, start: int | None = None) -> Section:
        nonlocal current_part
        while stack[-1][0] >= rank:
            stack.pop()
        parent = stack[-1][1]
        sec = Section(f"s{len(sections):03d}", parent.section_id, level, kind, number, title_text, hs, he, hs if start is None else start)
        opened = None
        if kind == "part" or (kind == "heading" and level <= 1 and len(title_text) <= 16):
            opened = part_of(title_text)
        if opened:
            current_part = opened
            if kind == "heading":
                sec.kind = "part"
        sec.part = opened or current_part or (parent.part if parent.part != "preamble" else "review")
        sec.depth = parent.depth + 1
        parent.children.append(sec)
        sections.append(sec)
        stack.append((rank, sec))
        return sec

    for bstart, bend, btext in blocks:
        line = btext.strip()
        lead = len(btext) - len(btext.lstrip())
        md = MARKDOWN_HEADING.match(line)  # "## 三、存在问题" (reports converted to markdown)
        if md:
            line, lead = line[md.end():], lead + md.end()
        lstart = bstart + lead
        head = match_heading(line)
        numbered_part = NUMBERED_PART.match(line)
        heading_para = False
        if numbered_part and len(line) <= 40 and "。" not in line:
            t = line[numbered_part.end():].strip()
            hs = lstart + line.index(t) if t else lstart + len(line)
            open_section(0.5, 1, "part", numbered_part.group("num"), t, hs, hs + len(t), lstart)
            heading_para = True
        elif head:
            level, _kind, number, title_off = head
            rest = line[title_off:]
            t = run_in_title(rest)
            hs = lstart + title_off
            open_section(float(level), level, "heading", _display_number(number, level), t, hs, hs + len(t), lstart)
            heading_para = len(t) >= len(rest.rstrip("。 "))
        elif PART_HEADING.match(line) or (is_short_heading(line) and _looks_like_part(line)):
            open_section(0.5, 1, "part", "", line, lstart, lstart + len(line))
            heading_para = True
        elif is_short_heading(line) and (not has_numbered_l1 or not seen_body):
            if not seen_body and not title and len(sections) == 1:
                title, title_span = line, (lstart, lstart + len(line))
                heading_para = True
            elif not has_numbered_l1 and seen_body:
                level = 1 if len(line) <= 6 else 2
                open_section(float(level), level, "heading", "", line, lstart, lstart + len(line))
                heading_para = True
            else:
                heading_para = True  # a subtitle line in the preamble
        owner = stack[-1][1]
        pid = f"p{len(paragraphs):04d}"
        paragraphs.append(Paragraph(pid, lstart, bend, owner.section_id, heading_para))
        if not heading_para:
            seen_body = True
        for s, e in split_sentences(text, lstart, bend):
            sentences.append(Sentence(f"{pid}.{len(sentences):05d}", pid, owner.section_id, s, e, text[s:e]))
        if not heading_para:
            _add_items(text, lstart, bend, owner, sections, open_section, stack)

    _close_spans(root, len(text))
    if current_part is None:
        _parts_from_wording(sections, sentences, year)
    # sentences of a paragraph that contains items belong to the item they fall in (items never
    # overlap and are opened in text order, so a binary search finds it: linear, not sentences × items)
    items = [s for s in sections if s.kind == "item"]
    starts = [s.start for s in items]
    for sent in sentences:
        i = bisect.bisect_right(starts, sent.start) - 1
        if i >= 0 and sent.start < items[i].end:
            sent.section_id = items[i].section_id
    root.end = len(text)
    return Structure(sections, paragraphs, sentences, tables, title, title_span)


# Forward-looking wording: 将 as "will" (not the object marker in 将X纳入/作为), 拟, 力争, 到2023年 …
FORWARD = re.compile(
    r"(?<![即并])将(?![\d一二三四五六七八九十]|其|[^,。]{0,12}(?:纳入|作为|列入)|[^,。]{2,24}(?:提高到|提高至|调整为|调整到|上调至|上调到))"
    r"|拟|力争|争取(?!到|了|上级|中央|省级|省|资金|项目|支持)|(?<!完成)(?<!完成了)计划|预计|到20\d\d年|明年|下一步|今后"
)


def is_forward_looking(sentence: str, year: int | None = None) -> bool:
    """Wording that looks ahead (将, 力争, 到2025年 …); with the report's ``year``, 到YYYY年 for a year
    not after it is a date already reached (提高到2018年的720元 in a 2018 review), not a target."""
    return bool(FORWARD.search(past_targets_removed(sentence, year)))


def past_targets_removed(text: str, year: int | None) -> str:
    """``text`` without 到YYYY年 for the years not after ``year`` (unchanged when the year is unknown)."""
    if year is None:
        return text
    return re.sub(r"到\s*(20\d{2})\s*年", lambda m: "" if int(m.group(1)) <= year else m.group(0), text)


def _parts_from_wording(sections: list[Section], sentences: list[Sentence], year: int | None = None) -> None:
    """With no part headings (news features), a section whose lead sentence, or at least 40% of
    its sentences, looks forward is a plan; its subsections follow it. ``year``: the report's."""
    by_section: dict[str, list[Sentence]] = {}
    for sent in sentences:
        by_section.setdefault(sent.section_id, []).append(sent)
    by_id = {s.section_id: s for s in sections}
    for sec in sections[1:]:
        parent = by_id.get(sec.parent_id)
        if parent is not None and parent.part == "plan":
            sec.part = "plan"
            continue
        own = [x for x in by_section.get(sec.section_id, []) if x.start >= sec.heading_end]
        if not own:
            continue
        forward = sum(is_forward_looking(x.text, year) for x in own)
        if is_forward_looking(own[0].text, year) or forward / len(own) >= 0.4:
            sec.part = "plan"
            if parent is not None and parent.kind == "heading" and parent.heading_end <= own[0].start \
                    and not [x for x in by_section.get(parent.section_id, []) if x.start >= parent.heading_end]:
                parent.part = "plan"  # a bare heading whose first subsection is a plan


def _looks_like_part(line: str) -> bool:
    return bool(re.match(r"^(\d{4}年|上半年|下半年|下一步|今后)", line)) and part_of(line) is not None


def _display_number(number: str, level: int) -> str:
    return f"({number})" if level in (2, 4) else number


def _add_items(text, start, end, owner, sections, open_section, stack):
    """一是…二是… inside a paragraph become item sections, each ending where the next begins."""
    para = text[start:end]
    matches = list(ITEM.finditer(para))
    if len(matches) < 2 and not (matches and matches[0].group("num") == "一是"):
        return
    for n, m in enumerate(matches):
        s = start + m.start()
        e = start + matches[n + 1].start() if n + 1 < len(matches) else end
        body = text[s + len(m.group("num")): e]
        t = run_in_title(body)
        hs = s + len(m.group("num"))
        # items never outlive their paragraph: rank them just under the owning section
        sec = open_section(ITEM_LEVEL + owner.level * 0.01, ITEM_LEVEL, "item", m.group("num"), t, hs, hs + len(t))
        sec.start, sec.end = s, e
    while stack[-1][1].kind == "item":
        stack.pop()


def _close_spans(root: Section, text_len: int) -> None:
    """Each section runs until the next section of the same or a higher rank begins."""

    def close(sec: Section, end: int):
        kids = sec.children
        for n, kid in enumerate(kids):
            kid_end = kids[n + 1].start if n + 1 < len(kids) else end
            if kid.kind == "item":
                kid_end = min(kid.end, kid_end) if kid.end >= 0 else kid_end
            close(kid, kid_end)
        if sec.kind != "item" or sec.end < 0:
            sec.end = end

    close(root, text_len)


def _join_broken_lines(text: str, lines):
    """Join a long line that stops mid-sentence with the line after it (broken web paragraphs).

    A joined block's text is the report text over its whole span, line breaks included, so every
    offset computed inside it is an offset into the report.
    """
    # [start, end, last line]; only a block longer than a heading can be joined, and joining only makes
    # it longer, so the block's text is cut from the report once at the end (not re-cut per line)
    blocks: list[list] = []
    for start, end, line in lines:
        if blocks:
            prev = blocks[-1]
            long = prev[1] != prev[0] + len(prev[2]) or len(prev[2].strip()) > SHORT_HEADING_MAX
            if long and not prev[2].rstrip().endswith(TERMINAL) and not match_heading(line.strip()):
                prev[1], prev[2] = end, line
                continue
        blocks.append([start, end, line])
    return [(s, e, text[s:e]) for s, e, _line in blocks]


CLAUSE_BREAKS = ",;。"


def clause_start(text: str, pos: int) -> int:
    """Start of the clause (between , ; 。) that holds position pos: the scope of most wording rules."""
    return max(text.rfind(",", 0, pos), text.rfind(";", 0, pos), text.rfind("。", 0, pos)) + 1  # CLAUSE_BREAKS


def split_sentences(text: str, start: int, end: int):
    """Sentence spans inside [start, end): cut after 。!? (with closing quotes).

    A paragraph joined from broken web lines keeps its line breaks inside one sentence.
    """
    pos = start
    chunk = text[start:end]
    cuts = [start + m.end() for m in SENTENCE_END.finditer(chunk)]
    for cut in sorted(set(cuts)) + [end]:
        s, e = pos, cut
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            yield s, e
        pos = cut
