"""Read one report file: decode, normalise, and separate page furniture from the report body.

Page furniture is what the web page wraps around the report (breadcrumbs, share prompts, the
索引号/发布机构 metadata table, photo captions, bylines). It is kept out of the body so its
numbers never count as report figures, but the metadata it carries is kept.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from lib.errors import ReportError
from lib.limits import MAX_FILE_MB
from lib.normalize import NormalText, decode, normalise

TEXT_SUFFIXES = {".txt", ".text", ".md"}
DOCUMENT_SUFFIXES = {".html", ".htm", ".docx", ".pdf"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | DOCUMENT_SUFFIXES


@dataclass(frozen=True)
class Furniture:
    """A line of page furniture: its kind and its span in the normalised text."""

    kind: str
    start: int
    end: int
    text: str


@dataclass
class RawReport:
    """A decoded, normalised report with its furniture separated out."""

    report_id: str
    path: Path
    encoding: str
    sha256: str
    normal: NormalText
    furniture: list[Furniture] = field(default_factory=list)
    page_meta: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.normal.text


# the heading of a list of other articles (相关阅读): the short lines under it are their headlines
_RELATED_LIST = re.compile(r"^(相关链接|相关阅读|相关新闻|相关文章|推荐阅读|延伸阅读|热点新闻|热门文章)\s*[:：]?$")
FURNITURE_MAX_CHARS = 100  # furniture is a short line; a longer one with sentences in it is the report's
# Line-level furniture rules: (kind, pattern on the stripped line).
_FURNITURE_RULES: list[tuple[str, re.Pattern]] = [
    ("breadcrumb", re.compile(r"^(当前位置|您的位置|你的位置|您现在的位置|首页\s*>)")),
    ("share", re.compile(r"扫一扫在手机上查看|分享到|打印本页|关闭窗口|【?\s*字体\s*[:：]?\s*[大中小]|^【?(打印|关闭|返回顶部)】?$")),
    ("metadata", re.compile(r"^(索引号|组配分类|发布机构|成文日期|公开方式|发文字号|主题分类|信息来源|公开时限|有效性)\s*[|:]")),
    ("dateline", re.compile(r"^(发布)?(时间|日期)\s*[:：]\s*\d{4}[-年/.]\d{1,2}")),
    ("dateline", re.compile(r"^(来源|信息来源|浏览次数|访问量|点击数)\s*[:：]")),
    ("caption", re.compile(r"^▲")),
    ("tags", re.compile(r"^(关键词|关键字|标签|Tags?)\s*[:：]")),
    ("byline", re.compile(r"^(本版文|本版图|本报记者|文\s*/|图\s*/|记者|通讯员|撰稿|编辑\s*[:：/]|责任编辑)")),
    ("navigation", re.compile(r"^(上一篇|下一篇|上一条|下一条)\s*[:：]|" + _RELATED_LIST.pattern)),
    ("footer", re.compile(r"^(版权所有|版权和免责|版权声明|免责声明|网站标识码|政府网站标识码|网站地图|联系我们|Copyright|©)"
                          r"|^(主办单位|承办单位|主办|承办|技术支持)\s*[:：]|ICP备|公网安备|未经(许可|授权)不得转载")),
    # advertising a scraper picked up: a contact (mobile, 微信, QQ) with what it sells
    ("spam", re.compile(r"^(?=.*(代开|发票|兼职|贷款|博彩|刷单|优惠\s*\d\s*折))(?=.*(1[3-9]\d{9}|微信|QQ|加V))")),
]

def _is_byline(line: str) -> bool:
    """A byline names people; a sentence such as 记者从市民政局获悉,… is report body."""
    return len(line) <= 60 and "。" not in line and not re.search(r"获悉|了解到|表示|介绍|看到|采访|从.{1,12}(得知|获悉)", line)


_META_KEYS = {
    "索引号": "index_no",
    "发布机构": "issuer",
    "成文日期": "written_date",
    "组配分类": "category",
    "公开方式": "disclosure",
    "发文字号": "doc_no",
    "主题分类": "topic",
    "信息来源": "source",
}

_DATE = re.compile(r"(\d{4})[-年/.](\d{1,2})[-月/.](\d{1,2})")


def read_report(path: Path) -> RawReport:
    """Read, decode and normalise a report file, then mark its furniture. Raises ReportError."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ReportError(path, f"unsupported file type {suffix or '(none)'}",
                          f"supply one of {', '.join(sorted(SUPPORTED_SUFFIXES))}")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_MB * 1024 * 1024:
            raise ReportError(path, f"is {size / 1024 / 1024:.0f} MB, over the limit of {MAX_FILE_MB} MB for one report",
                              "split it into one file per report")
        data = path.read_bytes()
    except OSError as exc:
        raise ReportError(path, f"cannot be read: {exc.strerror}") from exc
    if suffix in TEXT_SUFFIXES:
        raw, encoding = decode(data, path)
    else:
        from lib.formats import extract_text  # heavy imports only when a document needs them

        raw, encoding = extract_text(path), suffix.lstrip(".")
    normal = normalise(raw)
    if not re.search(r"[\u4e00-\u9fff]", normal.text):
        raise ReportError(path, "holds no Chinese text", "is this a civil-affairs report? check the file and its encoding")
    report = RawReport(
        report_id=path.stem,
        path=path,
        encoding=encoding,
        sha256=hashlib.sha256(normal.text.encode("utf-8")).hexdigest(),
        normal=normal,
    )
    report.furniture, report.page_meta = find_furniture(normal.text)
    return report


def iter_lines(text: str):
    """Yield (start, end, line) for every line, end excluding the newline."""
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line), line
        pos += len(line) + 1


def find_furniture(text: str) -> tuple[list[Furniture], dict[str, str]]:
    """Find furniture lines and the page metadata they carry (issuer, dates, authors)."""
    found: list[Furniture] = []
    meta: dict[str, str] = {}
    related = False  # under 相关阅读/推荐阅读: the other articles' headlines, line by line
    for start, end, line in iter_lines(text):
        stripped = line.strip()
        if not stripped or (len(stripped) > FURNITURE_MAX_CHARS and stripped.count("。") >= 2):
            related = related and not stripped  # a blank line keeps the list going; prose ends it
            continue  # a paragraph of prose (or a whole report on one line) is never furniture
        lead = len(line) - len(line.lstrip())
        kind = next((k for k, rule in _FURNITURE_RULES if rule.search(stripped) and (k != "byline" or _is_byline(stripped))), None)
        if kind is None and related and len(stripped) <= 60 and "。" not in stripped:
            kind = "navigation"  # another article's headline (全市新增养老床位2000张) is no figure of this report
        related = (related and kind == "navigation") or _RELATED_LIST.match(stripped) is not None
        if kind is not None:
            found.append(Furniture(kind, start + lead, start + lead + len(stripped), stripped))
            _collect_meta(kind, stripped, meta)
    return found, meta


def _collect_meta(kind: str, line: str, meta: dict[str, str]) -> None:
    if kind == "metadata":
        cells = [c.strip() for c in line.split("|")]
        for key, value in zip(cells, cells[1:]):
            key = key.rstrip(":：").strip()
            if key in _META_KEYS and value and value not in _META_KEYS:
                meta[_META_KEYS[key]] = _iso_date(value) if "date" in _META_KEYS[key] else value
    elif kind == "dateline":
        m = _DATE.search(line)
        if m and "published" not in meta:
            meta["published"] = _iso_date(m.group(0))
    elif kind == "byline":
        people = re.findall(r"(?:记者|通讯员|本版图/本报记者|本版文/本报记者)\s*([\u4e00-\u9fff]{2,4}(?:\s+[\u4e00-\u9fff]{2,4})*)", line)
        roles = {"通讯员", "记者", "本报记者", "实习生", "摄影", "摄", "文", "图"}
        names = sorted({n for group in people for n in group.split() if n not in roles and not n.startswith("本版")})
        if names:
            meta["authors"] = "、".join(names)


def _iso_date(value: str) -> str:
    m = _DATE.search(value)
    if not m:
        return value
    y, mo, d = (int(g) for g in m.groups())
    return f"{y:04d}-{mo:02d}-{d:02d}"
