"""HTML markup in titles and texts: tags (and script/style content) removed, entities unescaped."""
from __future__ import annotations

import html
import re

__all__ = ["strip_markup", "clean_column"]

_TAG_RE = re.compile(
    r"<(script|style)\b[^>]*>.*?</\1\s*>|<!--.*?-->|</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>",
    re.S | re.I,
)
_BREAK_RE = re.compile(r"<br\s*/?>|</p\s*>|</div\s*>|</h[1-6]\s*>|</li\s*>", re.I)
_ENTITY_RE = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")


def strip_markup(value: str, *, keep_breaks: bool = True) -> str:
    """Plain text of ``value``: HTML tags (and script/style content) removed,
    entities unescaped. Text without markup comes back unchanged."""
    changed = False
    if "<" in value and _TAG_RE.search(value):
        if keep_breaks:
            value = _BREAK_RE.sub("\n", value)
        value = _TAG_RE.sub(" " if not keep_breaks else "", value)
        changed = True
    if "&" in value and _ENTITY_RE.search(value):
        value = html.unescape(value)
        changed = True
    if changed:
        lines = (" ".join(ln.split()) for ln in value.splitlines())
        value = "\n".join(ln for ln in lines if ln)
    return value


def clean_column(values: list[str], keep_breaks: bool) -> tuple[list[str], int]:
    """``values`` with markup stripped (the same list when none had any) and how many changed."""
    n = 0
    out = values
    for i, v in enumerate(values):
        if ("<" in v or "&" in v):
            new = strip_markup(v, keep_breaks=keep_breaks)
            if new != v:
                if out is values:
                    out = list(values)
                out[i] = new
                n += 1
    return out, n
