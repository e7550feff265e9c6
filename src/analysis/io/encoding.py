"""Decide a file's text encoding from the decoding errors measured over the whole file.

A file is UTF-8 (with or without BOM), UTF-16/32 with a BOM, or windows-1256.
Without a BOM every line is first read as UTF-8; the file's encoding is then
decided from the counts over the WHOLE file:

- no invalid line: UTF-8;
- at least as many lines with valid non-ASCII UTF-8 as invalid lines: UTF-8
  with stray bytes (say, windows-1252 curly quotes in some titles); each
  invalid line is decoded with U+FFFD for its bad bytes and reported
  (kind ``encoding``, with file and line), never the whole file re-decoded;
- mostly invalid lines that read as Arabic text in windows-1256 (at least
  half of their letters Arabic, almost no control characters): windows-1256
  (the lines that are valid UTF-8 stay UTF-8);
- mostly invalid lines with some valid UTF-8: UTF-8 with replacement,
  every invalid line reported;
- otherwise the file is undecodable (e.g. Latin-1 or another code page).

A file is binary, not text, when its first 64 KiB hold NUL bytes and more than 1 % (and more than 8) of them are
control bytes (NUL and other C0 controls but tab, line feed, form feed,
carriage return and escape); a stray NUL byte in a text file damages only
its line (the NUL is removed and reported).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.io.problems import SkipInput

__all__ = ["bom_encoding", "is_binary", "decode_text", "DecodedText", "choose_encoding", "describe_bad_utf8",
           "remove_nul", "BINARY_SHARE"]

BINARY_SHARE = 0.01
_CONTROL = bytes(c for c in range(32) if c not in (9, 10, 11, 12, 13, 27))
_ARABIC_RE = re.compile(r"[\u0600-\u06ff]")
_IMPLAUSIBLE_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def bom_encoding(head: bytes) -> str | None:
    """The encoding a byte-order mark at the start of ``head`` announces."""
    for bom, enc in _BOMS:
        if head.startswith(bom):
            return enc
    return None


def is_binary(head: bytes) -> bool:
    """Control bytes make up more than 1 % of ``head`` (no BOM): not text."""
    if not head or bom_encoding(head) in ("utf-16", "utf-32"):
        return False
    sample = head[:65536]
    if b"\x00" not in sample:
        return False  # binary data holds NUL bytes (random bytes: 1 in 256); text has none, or a stray one
    n_control = len(sample) - len(sample.translate(None, _CONTROL))
    return n_control > max(8, BINARY_SHARE * len(sample))


def describe_bad_utf8(line: bytes) -> str:
    """``invalid UTF-8 byte 0x93 at column 12 (3 bad bytes)`` for one line."""
    try:
        line.decode("utf-8")
        return "valid UTF-8"
    except UnicodeDecodeError as exc:
        n_bad = line.decode("utf-8", "replace").count("\ufffd") - line.count(b"\xef\xbf\xbd")
        col = len(line[: exc.start].decode("utf-8", "replace")) + 1
        more = f" ({n_bad} bad bytes in the line)" if n_bad > 1 else ""
        return f"invalid UTF-8 byte 0x{line[exc.start]:02x} at column {col}{more}; decoded with U+FFFD"


def _reads_as_arabic(sample: str) -> bool:
    if not sample or not _ARABIC_RE.search(sample):
        return False
    if len(_IMPLAUSIBLE_RE.findall(sample)) > len(sample) // 1000:
        return False
    letters = sum(ch.isalpha() for ch in sample)
    return bool(letters) and len(_ARABIC_RE.findall(sample)) / letters >= 0.5


def choose_encoding(n_wide_ok: int, bad_lines: list[bytes]) -> str | None:
    """``utf-8`` (invalid lines replaced and reported), ``cp1256`` or None
    (undecodable), from the whole file's counts: ``n_wide_ok`` lines with
    valid non-ASCII UTF-8 and the invalid lines' bytes."""
    if not bad_lines or n_wide_ok >= len(bad_lines):
        return "utf-8"
    sample, size = [], 0
    for line in bad_lines:
        sample.append(line)
        size += len(line)
        if size > 40000:
            break
    if _reads_as_arabic(b"\n".join(sample).decode("cp1256", "replace")[:20000]):
        return "cp1256"
    return "utf-8" if n_wide_ok else None


def remove_nul(text: str) -> tuple[str, list[int]]:
    """``text`` without NUL characters, and the 1-based lines that held them."""
    if "\x00" not in text:
        return text, []
    lines, pos = [], text.find("\x00")
    line, last = 1, 0
    while pos >= 0:
        line += text.count("\n", last, pos)
        last = pos
        if not lines or lines[-1] != line:
            lines.append(line)
        pos = text.find("\x00", pos + 1)
    return text.replace("\x00", ""), lines


@dataclass
class DecodedText:
    """Text of a whole file and what decoding it needed."""

    text: str
    encoding: str
    problems: list = field(default_factory=list)  # (line, kind, detail)


def decode_text(data: bytes, *, binary_checked: bool = False) -> DecodedText:
    """Decode a whole file (see the module docstring). Raises
    :class:`~analysis.io.problems.SkipInput` for binary (unless the caller
    already checked ``is_binary``) or undecodable data."""
    enc = bom_encoding(data)
    problems: list = []
    if enc:
        body = data[3:] if enc == "utf-8" else data
        try:
            text = body.decode(enc)
        except UnicodeDecodeError as exc:
            if enc != "utf-8":
                line = body[: exc.start].decode(enc, "replace").count("\n") + 1
                text = body.decode(enc, "replace")
                problems.append((line, "encoding", f"invalid {enc} data ({exc.reason}); decoded with U+FFFD"))
            else:
                return _measured(body, problems)
        if text.startswith("\ufeff"):
            text = text[1:]
        return _finish(text, enc, problems)
    if not binary_checked and is_binary(data[:65536]):
        raise SkipInput("binary file (control bytes such as NUL), not text", "binary")
    return _measured(data, problems)


def _measured(data: bytes, problems: list) -> DecodedText:
    try:
        return _finish(data.decode("utf-8"), "utf-8", problems)
    except UnicodeDecodeError:
        pass
    lines = data.split(b"\n")
    n_wide_ok, bad = 0, []
    for no, line in enumerate(lines, 1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            n_wide_ok += 1
        except UnicodeDecodeError:
            bad.append(no)
    enc = choose_encoding(n_wide_ok, [lines[no - 1] for no in bad])
    if enc is None:
        raise SkipInput(
            f"undecodable: not UTF-8 ({len(bad):,} of {n_wide_ok + len(bad):,} non-ASCII lines invalid, "
            f"first at line {bad[0]}), UTF-16 with BOM or windows-1256 Arabic text", "encoding")
    if enc == "cp1256":
        if not n_wide_ok:
            return _finish(data.decode("cp1256", "replace"), "cp1256", problems)
        bad_set = set(bad)
        text = "\n".join(ln.decode("cp1256", "replace") if no in bad_set else ln.decode("utf-8")
                         for no, ln in enumerate(lines, 1))
        return _finish(text, "cp1256", problems)
    for no in bad:
        problems.append((no, "encoding", describe_bad_utf8(lines[no - 1])))
    return _finish(data.decode("utf-8", "replace"), "utf-8", problems)


def _finish(text: str, enc: str, problems: list) -> DecodedText:
    text, nul_lines = remove_nul(text)
    problems.extend((no, "nul byte", "NUL character removed") for no in nul_lines)
    problems.sort(key=lambda p: p[0])
    return DecodedText(text, enc, problems)
