"""Keyness (what distinguishes articles mentioning X) and keyword-in-context.

:func:`keyness` compares the articles mentioning a target entity with the rest
of the corpus, term by term, on normalized tokens:

* text: title and text, normalized with :func:`analysis.normalize.normalize`
  (CAMeL-equivalent: diacritics, alef forms, alef maksura, teh marbuta, ...);
* tokens: runs of letters (``[^\\W\\d_]+``), Latin lowercased, at least 2
  characters; digits and punctuation dropped;
* stopwords: the Arabic list of the maintained **stopwords-iso** collection
  (PyPI package ``stopwordsiso``, ``stopwordsiso.stopwords("ar")``, 480
  words), normalized the same way as the text;
* the target's own names are left out by default: every span the mentions
  table gives for the target (expanded to whole tokens, so clitic forms such
  as ``وروسيا`` go too) is blanked before tokenizing, and the tokens of those
  spans are dropped from the vocabulary.

Scores per term (``a`` = count in target, ``b`` = in reference, ``c``, ``d``
= all tokens of each): Dunning's log-likelihood
``G² = 2 (a ln(a/E1) + b ln(b/E2))`` with ``E1 = c (a+b)/(c+d)``,
``E2 = d (a+b)/(c+d)`` (Rayson & Garside 2000), signed positive when the term
is relatively more frequent in the target; its p-value (chi-square, 1 df);
and Hardie's log ratio ``log2((a/c) / (b/d))``, a zero count taken as 0.5.

:func:`kwic` lists the sentences (or paragraphs) where two entities are
mentioned together, with the article id, the original text of the window and
the offsets of both mentions.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
import re

import numpy as np
import pandas as pd

from analysis.comention import WINDOW_KEYS, _make_module_callable, _require, resolve_entities

__all__ = ["keyness", "kwic", "arabic_stopwords", "tokenize"]

_TOKEN = re.compile(r"[^\W\d_]+")
_WORDCHAR = re.compile(r"[^\W_]")


@lru_cache(maxsize=1)
def arabic_stopwords() -> frozenset[str]:
    """The stopwords-iso Arabic list (package ``stopwordsiso``), normalized."""
    import stopwordsiso

    from analysis.normalize import normalize

    words = set()
    for w in stopwordsiso.stopwords("ar"):
        words.update(_TOKEN.findall(normalize(w)))
    return frozenset(words)


def tokenize(text: str, stopwords: frozenset[str] | set[str] | None = None) -> list[str]:
    """Normalized letter tokens of ``text`` (length >= 2), stopwords removed."""
    from analysis.normalize import normalize

    if not isinstance(text, str) or not text:
        return []
    toks = _TOKEN.findall(normalize(text).lower())
    if stopwords is None:
        return [t for t in toks if len(t) > 1]
    return [t for t in toks if len(t) > 1 and t not in stopwords]


def _expand(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to whole tokens (runs of word characters)."""
    n = len(text)
    start, end = max(0, min(int(start), n)), max(0, min(int(end), n))
    while start > 0 and _WORDCHAR.match(text[start - 1]):
        start -= 1
    while end < n and _WORDCHAR.match(text[end]):
        end += 1
    return start, end


def _blank(text: str, spans) -> tuple[str, list[str]]:
    """Replace the token-expanded spans by spaces; return the new text and the removed pieces."""
    pieces, chars = [], list(text)
    for s, e in spans:
        s, e = _expand(text, s, e)
        pieces.append(text[s:e])
        chars[s:e] = " " * (e - s)
    return "".join(chars), pieces


def _target_ids(mentions: pd.DataFrame, target, resolve) -> tuple[pd.Series, list[str]]:
    targets = [target] if isinstance(target, str) else list(target)
    targets = [str(t) for t in targets]
    ent = resolve_entities(mentions, resolve)
    return ent.isin(targets), targets


def keyness(
    articles: pd.DataFrame,
    mentions: pd.DataFrame,
    target,
    *,
    resolve: str | None = None,
    fields: Sequence[str] = ("title", "text"),
    min_count: int = 5,
    exclude_names: bool = True,
    stopwords: Sequence[str] | None = None,
    n: int | None = None,
    progress: bool = False,
) -> pd.DataFrame:
    """Terms that distinguish the articles mentioning ``target`` from the rest.

    Parameters
    ----------
    articles, mentions : the package's tables.
    target : entity id or list of ids (after ``resolve``), e.g. ``"RUS"``.
    resolve : None or ``"country"`` (then Putin and Moscow mentions make an
        article a RUS article, and their names are left out too).
    fields : article fields to read.
    min_count : keep terms seen at least this often in target and reference together.
    exclude_names : leave out the target's own names (see module docstring).
    stopwords : your own list (normalized like the text); default the
        stopwords-iso Arabic list (``stopwordsiso.stopwords("ar")``). Pass
        ``[]`` to keep every word.
    n : return only the ``n`` most distinctive terms of the target (highest G²).

    Returns
    -------
    DataFrame ``term``, ``n_target``, ``n_reference``, ``per_10k_target``,
    ``per_10k_reference`` (per 10,000 tokens), ``g2`` (signed),
    ``log_ratio`` (log2), ``p_value``; sorted by ``g2`` descending, then term.
    ``attrs`` holds ``n_docs_target``, ``n_docs_reference``, ``tokens_target``,
    ``tokens_reference`` and the stopword source.
    """
    from scipy import stats
    from tqdm.auto import tqdm

    _require(articles, ["article_id"], "articles")
    _require(mentions, ["article_id", "entity_id"], "mentions")
    is_t, targets = _target_ids(mentions, target, resolve)
    tm = mentions[is_t]
    aid = articles["article_id"].astype(str)
    in_target = aid.isin(set(tm["article_id"].astype(str))).to_numpy()
    if not in_target.any():
        raise ValueError(f"no article mentions {', '.join(targets)}")
    if in_target.all():
        raise ValueError(f"every article mentions {', '.join(targets)}: nothing to compare with")
    if stopwords is None:
        sw, sw_source = arabic_stopwords(), "stopwordsiso ar"
    else:
        from analysis.normalize import normalize

        sw = frozenset(t for w in stopwords for t in _TOKEN.findall(normalize(str(w)).lower()))
        sw_source = "user"

    # blank the target's names in the target articles
    spans = {}
    if exclude_names and {"field", "start", "end"} <= set(tm.columns):
        for key, grp in tm.groupby([tm["article_id"].astype(str), tm["field"].astype(str)], sort=False):
            spans[key] = list(zip(grp["start"].to_numpy(), grp["end"].to_numpy()))
    name_tokens: set[str] = set()
    counts = (Counter(), Counter())  # reference, target
    cols = [f for f in fields if f in articles.columns]
    values = [articles[f].to_numpy(dtype=object) for f in cols]
    for i, a in enumerate(tqdm(aid.to_numpy(), disable=not progress, desc="keyness")):
        target_doc = bool(in_target[i])
        for f, vals in zip(cols, values):
            text = vals[i]
            if not isinstance(text, str):
                continue
            sp = spans.get((a, f)) if target_doc else None
            if sp:
                text, pieces = _blank(text, sp)
                for p in pieces:
                    name_tokens.update(tokenize(p))
            counts[target_doc].update(tokenize(text, sw))
    if exclude_names and "surface" in tm.columns and not spans:
        for s in tm["surface"].dropna().astype(str).unique():
            name_tokens.update(tokenize(s))

    terms = np.array(sorted(set(counts[0]) | set(counts[1])), dtype=object)
    a = np.array([counts[1].get(t, 0) for t in terms], dtype=float)
    b = np.array([counts[0].get(t, 0) for t in terms], dtype=float)
    c, d = a.sum(), b.sum()
    keep = (a + b) >= min_count
    if exclude_names and name_tokens:
        keep &= ~np.isin(terms, np.array(sorted(name_tokens), dtype=object))
    a, b, terms = a[keep], b[keep], terms[keep]
    with np.errstate(divide="ignore", invalid="ignore"):
        e1 = c * (a + b) / (c + d)
        e2 = d * (a + b) / (c + d)
        g2 = 2 * (np.where(a > 0, a * np.log(a / e1), 0.0) + np.where(b > 0, b * np.log(b / e2), 0.0))
        g2 = np.maximum(g2, 0.0) * np.sign(a / c - b / d)
        lr = np.log2((np.where(a > 0, a, 0.5) / c) / (np.where(b > 0, b, 0.5) / d))
    out = pd.DataFrame(
        {
            "term": pd.Series(terms, dtype=object),
            "n_target": a.astype(np.int64),
            "n_reference": b.astype(np.int64),
            "per_10k_target": 1e4 * a / c if c else np.nan,
            "per_10k_reference": 1e4 * b / d if d else np.nan,
            "g2": g2,
            "log_ratio": lr,
            "p_value": stats.chi2.sf(np.abs(g2), 1),
        }
    )
    out = out.sort_values(["g2", "term"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
    if n is not None:
        out = out.head(int(n)).reset_index(drop=True)
    out.attrs.update(
        {
            "target": targets,
            "n_docs_target": int(in_target.sum()),
            "n_docs_reference": int((~in_target).sum()),
            "tokens_target": int(c),
            "tokens_reference": int(d),
            "stopwords": sw_source,
            "names_excluded": sorted(name_tokens) if exclude_names else [],
        }
    )
    return out


def kwic(
    articles: pd.DataFrame,
    mentions: pd.DataFrame,
    a,
    b=None,
    *,
    level: str = "sentence",
    resolve: str | None = None,
) -> pd.DataFrame:
    """Keyword in context: the windows where entities ``a`` and ``b`` are mentioned together.

    ``level``: ``"sentence"`` or ``"paragraph"``; ``b=None`` lists every
    window mentioning ``a``. ``a`` and ``b`` are entity ids (after
    ``resolve``) or lists of ids.

    Returns one row per window: ``article_id``, ``published``, ``outlet``,
    ``field``, ``paragraph``, ``sentence`` (for paragraphs: the first), ``start``,
    ``end`` (the window's offsets in the original field text), ``text`` (the
    original window text, ``field_text[start:end]``), ``spans_a``, ``spans_b``
    (lists of ``(start, end)`` offsets of the mentions in the field text),
    ``surface_a``, ``surface_b`` (the mentioned forms, ``;``-joined). Sorted
    by published, article_id, field, paragraph, sentence.
    """
    from analysis.segment import split_sentences

    if level not in ("sentence", "paragraph"):
        raise ValueError(f"level must be 'sentence' or 'paragraph'; got {level!r}")
    keys = WINDOW_KEYS[level]
    _require(mentions, keys + ["entity_id", "start", "end"], "mentions")
    ent = resolve_entities(mentions, resolve)
    aset = {a} if isinstance(a, str) else set(map(str, a))
    m = mentions.assign(article_id=mentions["article_id"].astype(str), _ent=ent.to_numpy())
    ma = m[m["_ent"].isin(aset)]
    if b is None:
        mb = ma.iloc[0:0]
        win = ma[keys].drop_duplicates()
    else:
        bset = {b} if isinstance(b, str) else set(map(str, b))
        mb = m[m["_ent"].isin(bset)]
        win = ma[keys].drop_duplicates().merge(mb[keys].drop_duplicates(), on=keys)
    cols = ["article_id", "published", "outlet", "field", "paragraph", "sentence", "start", "end", "text",
            "spans_a", "spans_b", "surface_a", "surface_b"]
    if win.empty:
        return pd.DataFrame(columns=cols)
    arts = articles.assign(article_id=articles["article_id"].astype(str)).set_index("article_id")
    seg_cache: dict = {}
    rows = []
    ga = {k: g for k, g in ma.groupby(keys, sort=False)}
    gb = {k: g for k, g in mb.groupby(keys, sort=False)} if b is not None else {}
    for key in win.itertuples(index=False, name=None):
        k = key if len(keys) > 1 else key[0]
        ra, rb = ga[k], gb.get(k)
        art, field = key[0], key[1]
        text = arts.at[art, field] if field in arts.columns else None
        if not isinstance(text, str):
            continue
        if (art, field) not in seg_cache:
            seg_cache[(art, field)] = split_sentences(text)
        seg = seg_cache[(art, field)]
        first = int(ra["start"].min())
        hit = seg[(seg["start"] <= first) & (seg["end"] > first)]
        if hit.empty:  # offsets outside the segmentation: use the mentions' own extent
            s0 = int(min(ra["start"].min(), rb["start"].min() if rb is not None else np.inf))
            e0 = int(max(ra["end"].max(), rb["end"].max() if rb is not None else -np.inf))
        else:
            h = hit.iloc[0]
            if level == "paragraph":
                p = seg[seg["paragraph"] == h["paragraph"]]
                s0, e0 = int(p["start"].min()), int(p["end"].max())
            else:
                s0, e0 = int(h["start"]), int(h["end"])
        spans_a = sorted(zip(ra["start"].astype(int), ra["end"].astype(int)))
        spans_b = sorted(zip(rb["start"].astype(int), rb["end"].astype(int))) if rb is not None else []
        rows.append(
            {
                "article_id": art,
                "published": arts.at[art, "published"] if "published" in arts.columns else pd.NaT,
                "outlet": arts.at[art, "outlet"] if "outlet" in arts.columns else None,
                "field": field,
                "paragraph": key[2],
                "sentence": key[3] if level == "sentence" else int(ra["sentence"].min()) if "sentence" in ra else None,
                "start": s0,
                "end": e0,
                "text": text[s0:e0],
                "spans_a": spans_a,
                "spans_b": spans_b,
                "surface_a": ";".join(text[s:e] for s, e in spans_a),
                "surface_b": ";".join(text[s:e] for s, e in spans_b),
            }
        )
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["published", "article_id", "field", "paragraph", "sentence"], kind="mergesort",
                           na_position="last").reset_index(drop=True)


_make_module_callable(__name__, "keyness")  # analysis.keyness(...) works even after `import analysis.keyness`
