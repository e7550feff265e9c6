"""Parse scraped Arabic news pages (plain text) into articles.

The page layout (see ``../shared/seeds`` and ``data/sample``)::

    <title line>
    تاريخ النشر: <date>
    <body paragraph>
    ...
    المصدر: <outlet>
    كلمات دلالية: <keywords>
    إقرأ أيضاً:
    <related title>
    <related body paragraph>            (may open with a dateline "(CNN)--")
    ...                                 (more related articles may follow)

Markers are recognised after normalization, so spelling variants match:
``إقرأ أيضاً`` / ``اقرأ أيضا`` / ``إقرأ أيضًا`` (with or without hamza and
tanween), ``كلمات دلالية`` / ``الكلمات الدلالية`` / ``كلمات مفتاحية`` / ``وسوم``,
``المصدر`` / ``مصدر``, ``تاريخ النشر`` / ``آخر تحديث``.

Each article after a "read also" marker becomes its own record. It gets a
date, outlet and keywords only from its own lines (an outlet also from a
dateline such as ``(CNN)--`` or ``لندن (رويترز) -``), never from the page's
main article. Several related articles in one block are told apart by a
title-like line: short (at most 150 characters and 25 words), not ending in
sentence punctuation, coming after a paragraph that does, and followed by a
longer line; or by a new marker or the related article's own metadata lines.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.io.problems import SkipInput
from analysis.text.normalize import normalize

__all__ = ["PageArticle", "parse_page", "read_page", "dateline_outlet", "split_keywords"]

# matched on the normalized, stripped line
_DATE_RE = re.compile(r"^(?:تاريخ\s+(?:ال)?نشر|نشر\s+بتاريخ|تاريخ\s+الخبر)\s*[:：]\s*(.*)$")
_UPDATED_RE = re.compile(r"^(?:اخر|آخر)\s+تحديث\s*[:：]\s*(.*)$")
_SOURCE_RE = re.compile(r"^(?:ال)?مصدر\s*[:：]\s*(.*)$")
_KEYWORDS_RE = re.compile(
    r"^(?:(?:ال)?كلمات\s+(?:ال)?(?:دلاليه|مفتاحيه)|(?:ال)?وسوم|الكلمات)\s*[:：]\s*(.*)$"
)
_READ_ALSO_RE = re.compile(r"^[\"'«(]?اقرا\s+ايضا\s*[:：.،-]?\s*(.*)$")

# "(CNN)--", "لندن (رويترز) -", "موسكو (أ ف ب) -": place, then (agency), then a dash
_DATELINE_RE = re.compile(r"^[^()\n]{0,60}?\(\s*([^()\n]{2,40}?)\s*\)\s*(?:--|[-–—ـ:])")
_KEYWORD_SPLIT_RE = re.compile(r"\s*[,،;؛|#\n]\s*")


@dataclass
class PageArticle:
    """One article found in a page: the main one or a related one."""

    title: str = ""
    body: list[str] = field(default_factory=list)
    date: str | None = None
    outlet: str | None = None
    keywords: list[str] = field(default_factory=list)
    line: int = 1  # 1-based line where the article starts in the page
    related: bool = False
    closed: bool = False  # its own metadata lines (source/keywords) were seen
    updated: str | None = None  # an "آخر تحديث:" (last updated) date
    date_field: str | None = None  # the label of the line that gave ``date``, e.g. "تاريخ النشر"
    updated_field: str | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.body)


def split_keywords(value: str) -> list[str]:
    """Keywords from a ``كلمات دلالية:`` value: split on commas (Arabic or
    Latin), semicolons, bars or hashes when any is present, else on spaces.
    Order kept, repeats removed."""
    value = value.strip()
    if not value:
        return []
    parts = _KEYWORD_SPLIT_RE.split(value) if _KEYWORD_SPLIT_RE.search(value) else value.split()
    out: list[str] = []
    for part in parts:
        part = part.strip(" \t\"'«»")
        if part and part not in out:
            out.append(part)
    return out


def dateline_outlet(paragraph: str) -> str | None:
    """The agency or outlet named by a dateline opening ``paragraph``
    (``(CNN)--`` -> ``CNN``), else ``None``."""
    m = _DATELINE_RE.match(paragraph.strip())
    if not m:
        return None
    name = " ".join(m.group(1).split())
    return name or None


def _ends_sentence(line: str) -> bool:
    return line.rstrip(" \"'»”)").endswith((".", "!", "?", "؟", "…", ":")) or line.endswith(
        (".\"", ".»", ".”", ")")
    )


def _title_like(line: str) -> bool:
    return (
        len(line) <= 150
        and len(line.split()) <= 25
        and not _ends_sentence(line)
        and _DATELINE_RE.match(line) is None
    )


_META_RES = (("date", _DATE_RE), ("source", _SOURCE_RE), ("keywords", _KEYWORDS_RE),
              ("updated", _UPDATED_RE))
_READ_ALSO_START = re.compile(r"^\W*[اأإآ][\u064b-\u0652]*ق")


def _maybe_marker(line: str) -> bool:
    """Could ``line`` be a marker line? (Cheap test; body paragraphs are
    long and have no colon near their start.)"""
    return (len(line) < 80 or ":" in line[:50] or "：" in line[:50]
            or _READ_ALSO_START.match(line) is not None)


def parse_page(text: str) -> list[PageArticle]:
    """Split a scraped page into its main article and related articles.

    Returns the articles in page order (main first). Articles may have an
    empty body (the caller decides what to do with them). Line numbers are
    1-based lines of ``text``.
    """
    raw_lines = text.splitlines()
    lines = [(i + 1, ln.strip()) for i, ln in enumerate(raw_lines)]
    lines = [(n, ln) for n, ln in lines if ln]
    articles: list[PageArticle] = []
    if not lines:
        return articles
    cur: PageArticle | None = None
    pending_related = False  # after a "read also" marker, before its title

    def start(title: str, line_no: int, related: bool) -> PageArticle:
        art = PageArticle(title=title, line=line_no, related=related)
        articles.append(art)
        return art

    for idx, (line_no, line) in enumerate(lines):
        # only lines that may be marker lines are normalized and matched
        norm = normalize(line) if _maybe_marker(line) else ""
        m = _READ_ALSO_RE.match(norm)
        if m:
            # the marker is two words; a title may follow it on the same line
            tail = re.sub(r"^\W*\S+\s+[^\s:：.،-]+\s*[:：.،-]?\s*", "", line, count=1) if m.group(1) else ""
            if tail:
                cur = start(tail, line_no, True)
                pending_related = False
            else:
                cur = None
                pending_related = True
            continue
        meta = None
        for kind, regex in (_META_RES if norm else ()):
            mm = regex.match(norm)
            if mm:
                # take the value from the original line (after the first colon)
                label, _, value = re.split(r"([:：])", line, maxsplit=1) if re.search(
                    r"[:：]", line) else (line, "", "")
                meta = (kind, value.strip(), " ".join(label.split()))
                break
        if meta is not None:
            kind, value, label = meta
            if cur is None:  # metadata before any title
                cur = start("", line_no, pending_related or bool(articles))
                pending_related = False
            if kind == "date":
                if not cur.date and value:
                    cur.date, cur.date_field = value, label
            elif kind == "updated":  # used only when there is no publication date
                if not cur.updated and value:
                    cur.updated, cur.updated_field = value, label
            elif kind == "source":
                cur.outlet = value or cur.outlet
                cur.closed = True
            else:
                cur.keywords = split_keywords(value)
                cur.closed = True
            continue
        # a content line
        if cur is None:
            cur = start(line, line_no, pending_related or bool(articles))
            pending_related = False
            continue
        if cur.related and cur.body and _starts_new_related(
            cur, line, lines, idx
        ):
            cur = start(line, line_no, True)
            continue
        cur.body.append(line)

    for art in articles:
        if art.outlet is None and art.body:
            art.outlet = dateline_outlet(art.body[0])
        if art.date is None:
            art.date, art.date_field = art.updated, art.updated_field
    return articles


def _starts_new_related(cur: PageArticle, line: str, lines, idx: int) -> bool:
    """Does ``line`` open a further related article inside a related block?"""
    if not _title_like(line):
        return False
    if cur.closed:
        return True
    if not _ends_sentence(cur.body[-1]):
        return False
    nxt = lines[idx + 1][1] if idx + 1 < len(lines) else ""
    if not nxt:
        return False
    nnorm = normalize(nxt)
    if _DATE_RE.match(nnorm) or _DATELINE_RE.match(nxt):
        return True
    return len(nxt) > len(line) and not _title_like(nxt)


def read_page(display: str, text: str, collector, line_notes=()) -> None:
    """Add the articles of the page ``text`` to ``collector`` (see
    :class:`analysis.io.records.Collector`). Raises ``SkipInput`` when the
    page holds no article."""
    articles = parse_page(text)
    if not articles:
        raise SkipInput("no article text found", "empty text")
    collector.add_pages(display, articles, line_notes)
