"""Keyness (what distinguishes articles mentioning X) and keyword-in-context.

:func:`keyness` compares the articles mentioning a target entity with the rest
of the corpus, term by term, on normalized tokens:

* text: title and text, normalized with :func:`analysis.text.normalize.normalize`
  (CAMeL-equivalent: diacritics, alef forms, alef maksura, teh marbuta, ...);
* tokens: :func:`analysis.text.tokenize.tokenize` - runs of letters
  (``[^\\W\\d_]+``), Latin lowercased, at least 2 characters; digits and
  punctuation dropped;
* stopwords: the package's list, :func:`analysis.text.stopwords.stopwords` (the
  Arabic list of the maintained **stopwords-iso** collection, normalized the same way);
* the target's own names are left out by default: every span the mentions
  table gives for the target (expanded to whole tokens, so clitic forms such
  as ``وروسيا`` go too) is blanked before tokenizing, and the tokens of those
  spans are dropped from the vocabulary.

The reference (``reference=``): ``"rest"``, every other article (the default);
``"focus"``, the articles of the other focus entities that do not mention the target
(an article mentioning both counts for the target only; articles mentioning no focus
entity are left out); or another corpus's articles table, taken whole.

Scores per term (``a`` = count in target, ``b`` = in reference, ``c``, ``d``
= all tokens of each): Dunning's log-likelihood
``G² = 2 (a ln(a/E1) + b ln(b/E2))`` with ``E1 = c (a+b)/(c+d)``,
``E2 = d (a+b)/(c+d)`` (Rayson & Garside 2000), signed positive when the term
is relatively more frequent in the target; its p-value (chi-square, 1 df);
and Hardie's log ratio ``log2((a/c) / (b/d))``, a zero count taken as 0.5;
``p_adjusted``, the p-values adjusted by Benjamini-Hochberg over every term scored.

``term`` is the normalized token (the key); ``surface`` how it reads: its most
frequent original spelling in the corpus (:func:`analysis.text.vectorize.surface_forms`),
so users read ``الغوطة`` rather than the key ``الغوطه``.

The corpus is counted once per articles table into a sparse article x term
matrix (:class:`KeynessIndex`, built by :func:`analysis.text.vectorize.doc_term_counts`;
the last two are kept, keyed by a hash of the tables' ids and texts); every call then
only sums the target's rows and scores all terms at once, with stopwords, short
tokens and the target's names taken out per term. The result is the same as
blanking the names in the text and tokenizing again (``_keyness_blanking``, the
reference the tests compare with; measured in benchmarks/bench_keyness.py).

:func:`kwic` lists the sentences (or paragraphs) where two entities are
mentioned together, with the article id, the original text of the window and
the offsets of both mentions.
"""
from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Sequence
from functools import lru_cache
import threading

import numpy as np
import pandas as pd

from analysis.measures.cooccurrence import WINDOW_KEYS, articles_and_mentions, require_columns, resolve_entities
from analysis.text.stopwords import stopwords as stopword_list
from analysis.text.tokenize import raw_tokens, tokenize
from analysis.text.vectorize import doc_term_counts, normalize_many, surface_forms

__all__ = ["keyness", "kwic", "KeynessIndex", "keyness_index", "REFERENCES", "score_keyness"]

_DEFAULT_STOPWORDS = "stopwordsiso ar"  # how the tables' attrs name the default list


def _stopwords(stopwords) -> tuple[frozenset, str]:
    """(the stopword set, its name for ``attrs``): the package's list, or the user's normalized."""
    if stopwords is None:
        return stopword_list("ar"), _DEFAULT_STOPWORDS
    return stopword_list(None, extra=[str(w) for w in stopwords]), "user"


def _expand(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to whole tokens (runs of letters and digits, ``str.isalnum``: the set of
    the regex ``[^\\W_]``)."""
    n = len(text)
    start, end = max(0, min(int(start), n)), max(0, min(int(end), n))
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < n and text[end].isalnum():
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


REFERENCES = ("rest", "focus")


def _groups(article_ids, mentions: pd.DataFrame, target, resolve, reference, focus) -> tuple:
    """(target ids, ``in_target``, ``in_reference``) over ``article_ids``: the articles mentioning the
    target, and the reference articles of this corpus (``rest``: every other article; ``focus``: the
    articles mentioning one of the other ``focus`` entities but not the target; a reference corpus:
    None). ``ValueError`` when a side is empty."""
    is_t, targets = _target_ids(mentions, target, resolve)
    ids = pd.Index(article_ids)
    in_target = ids.isin(set(mentions.loc[is_t, "article_id"].astype(str)))
    if not in_target.any():
        raise ValueError(f"no article mentions {', '.join(targets)}")
    if isinstance(reference, str) and reference == "focus":
        others = [str(f) for f in (focus or ()) if str(f) not in targets]
        if not others:
            raise ValueError("reference='focus' needs focus entities besides the target "
                             f"{', '.join(targets)} (focus={list(focus or ())!r})")
        is_o = resolve_entities(mentions, resolve).isin(others)
        in_ref = ids.isin(set(mentions.loc[is_o, "article_id"].astype(str))) & ~in_target
        if not in_ref.any():
            raise ValueError(f"no article mentions {', '.join(others)} without {', '.join(targets)}: "
                             "nothing to compare with")
        return targets, in_target, in_ref
    if isinstance(reference, str):
        if reference != "rest":
            raise ValueError(f"reference must be 'rest', 'focus' or a table of articles; got {reference!r}")
        if in_target.all():
            raise ValueError(f"every article mentions {', '.join(targets)}: nothing to compare with")
        return targets, in_target, ~in_target
    return targets, in_target, None


def keyness(
    articles: pd.DataFrame,
    mentions: pd.DataFrame,
    target,
    *,
    reference="rest",
    focus: Sequence[str] | None = None,
    resolve: str | None = None,
    fields: Sequence[str] = ("title", "text"),
    min_count: int = 5,
    exclude_names: bool = True,
    stopwords: Sequence[str] | None = None,
    n: int | None = None,
    progress: bool = False,
) -> pd.DataFrame:
    """Terms that distinguish the articles mentioning ``target`` from a reference.

    Parameters
    ----------
    articles, mentions : the package's tables.
    target : entity id or list of ids (after ``resolve``), e.g. ``"RUS"``.
    reference : what the target's articles are compared with:

        * ``"rest"`` (default): every article of ``articles`` that does not mention the target;
        * ``"focus"``: the articles that mention at least one of the other ``focus`` entities and
          not the target (Russia against the articles mentioning Syria or Iran but not Russia).
          An article mentioning the target and another focus entity counts for the target only;
          articles mentioning no focus entity are left out;
        * a table of articles (another corpus, e.g. ``load_corpus(...)`` with the same options):
          all its articles, whatever they mention. The target's name tokens are left out of its
          counts as they are of the target's (its mentions are not needed); an article that is in
          both tables counts on both sides.
    focus : the focus entity ids, for ``reference="focus"`` (the target among them is skipped).
    resolve : None or ``"country"`` (then Putin and Moscow mentions make an
        article a RUS article, and their names are left out too).
    fields : article fields to read.
    min_count : keep terms seen at least this often in target and reference together.
    exclude_names : leave out the target's own names (see module docstring).
    stopwords : your own list (normalized like the text); default the package's
        list (:func:`analysis.text.stopwords.stopwords`, stopwords-iso Arabic). Pass
        ``[]`` to keep every word.
    n : return only the ``n`` most distinctive terms of the target (highest G²).

    The corpus is counted once per articles table (see :class:`KeynessIndex`);
    later calls on a table with the same ids and texts only sum and score.

    Returns
    -------
    DataFrame ``term`` (the normalized token, the key), ``surface`` (how it
    reads: its most frequent spelling in the corpus, diacritics and tatweel
    removed, e.g. ``الغوطة`` for ``الغوطه``, ``إدلب`` for ``ادلب``),
    ``n_target``, ``n_reference``, ``per_10k_target``,
    ``per_10k_reference`` (per 10,000 tokens), ``g2`` (signed),
    ``log_ratio`` (log2), ``p_value`` (G², chi-square with 1 df), ``p_adjusted``
    (Benjamini-Hochberg over every term scored, i.e. every term seen ``min_count``
    times, before ``n`` cuts the table); sorted by ``g2`` descending, then term.
    ``attrs`` holds ``reference`` (``rest``, ``focus`` or ``corpus``), ``n_docs_target``,
    ``n_docs_reference``, ``tokens_target``, ``tokens_reference``, ``n_terms_tested`` and
    the stopword source.
    """
    articles, mentions = articles_and_mentions(articles, mentions, "keyness")
    require_columns(articles, ["article_id"], "articles")
    require_columns(mentions, ["article_id", "entity_id"], "mentions")
    flds = tuple(f for f in fields if f in articles.columns)
    ref_index = None
    if not isinstance(reference, str):
        if not isinstance(reference, pd.DataFrame):
            raise ValueError(f"reference must be 'rest', 'focus' or a table of articles; got {type(reference)!r}")
        require_columns(reference, ["article_id"], "reference articles")
        if len(reference) == 0:
            raise ValueError("the reference corpus has no article: nothing to compare with")
    key = _fingerprint(articles, flds)
    if _INDEX_CACHE.get(key) is None:  # check both sides before tokenizing anything
        _groups(articles["article_id"].astype(str), mentions, target, resolve, reference, focus)
    idx = keyness_index(articles, flds, progress=progress, _key=key)
    if not isinstance(reference, str):
        ref_index = keyness_index(reference, tuple(f for f in fields if f in reference.columns), progress=progress)
    return idx.keyness(mentions, target, resolve=resolve, min_count=min_count, exclude_names=exclude_names,
                       stopwords=stopwords, n=n, reference=ref_index if ref_index is not None else reference,
                       focus=focus)


def _reference_surfaces(token_lists) -> pd.Series:
    """Surface forms (term -> spelling) from the original tokens of every text (the reference path)."""
    from itertools import chain

    flat = list(chain.from_iterable(token_lists))
    if not flat:
        return pd.Series(dtype=object)
    codes, types = pd.factorize(pd.Series(flat, dtype=object), sort=False)
    types = np.asarray(types, dtype=object).tolist()
    terms = [tokenize(n, normalize=False, min_len=1) for n in normalize_many(types)]
    return surface_forms(types, np.bincount(codes, minlength=len(types)),
                         [t[0] if len(t) == 1 else None for t in terms])


def _keyness_blanking(
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
    """The reference implementation: every call tokenizes the corpus, blanking the target's names
    in the text first (used by the tests and benchmarks/bench_keyness.py to check the fast path)."""
    from tqdm.auto import tqdm

    require_columns(articles, ["article_id"], "articles")
    require_columns(mentions, ["article_id", "entity_id"], "mentions")
    is_t, targets = _target_ids(mentions, target, resolve)
    tm = mentions[is_t]
    aid = articles["article_id"].astype(str)
    in_target = aid.isin(set(tm["article_id"].astype(str))).to_numpy()
    if not in_target.any():
        raise ValueError(f"no article mentions {', '.join(targets)}")
    if in_target.all():
        raise ValueError(f"every article mentions {', '.join(targets)}: nothing to compare with")
    sw, sw_source = _stopwords(stopwords)

    # blank the target's names in the target articles
    spans = {}
    if exclude_names and {"field", "start", "end"} <= set(tm.columns):
        for key, grp in tm.groupby([tm["article_id"].astype(str), tm["field"].astype(str)], sort=False):
            spans[key] = list(zip(grp["start"].to_numpy(), grp["end"].to_numpy()))
    name_tokens: set[str] = set()
    counts = (Counter(), Counter())  # reference, target
    raw = []  # original tokens of every field, for the surface forms
    cols = [f for f in fields if f in articles.columns]
    values = [articles[f].to_numpy(dtype=object) for f in cols]
    for i, a in enumerate(tqdm(aid.to_numpy(), disable=not progress, desc="keyness")):
        target_doc = bool(in_target[i])
        for f, vals in zip(cols, values):
            text = vals[i]
            if not isinstance(text, str):
                continue
            raw.append(raw_tokens(text))
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
    surfaces = _surfaces_of(terms, _reference_surfaces(raw))
    return score_keyness(terms, surfaces, a, b, c, d, n, targets=targets, n_docs_target=int(in_target.sum()),
                         n_docs_reference=int((~in_target).sum()), stopwords_source=sw_source,
                         names_excluded=sorted(name_tokens) if exclude_names else [])


def score_keyness(terms, surfaces, a, b, c, d, n=None, *, targets, n_docs_target: int, n_docs_reference: int,
                  stopwords_source, names_excluded, reference: str = "rest") -> pd.DataFrame:
    """The keyness table (the columns of :func:`keyness`) from per-term counts ``a`` (target) and ``b``
    (reference), token totals ``c``, ``d``, the terms sorted; ``surfaces``: the readable spelling of
    each term; ``n``: keep the top ``n``. ``p_adjusted``: Benjamini-Hochberg over all the terms given
    (before ``n`` cuts the table). The other arguments go into ``attrs``. The Dask engine scores its
    summed counts with it too."""
    from scipy import stats

    from analysis.stats.intervals import bh_adjust

    with np.errstate(divide="ignore", invalid="ignore"):
        e1 = c * (a + b) / (c + d)
        e2 = d * (a + b) / (c + d)
        g2 = 2 * (np.where(a > 0, a * np.log(a / e1), 0.0) + np.where(b > 0, b * np.log(b / e2), 0.0))
        g2 = np.maximum(g2, 0.0) * np.sign(a / c - b / d)
        lr = np.log2((np.where(a > 0, a, 0.5) / c) / (np.where(b > 0, b, 0.5) / d))
    out = pd.DataFrame(
        {
            "term": pd.Series(terms, dtype=object),
            "surface": pd.Series(surfaces, dtype=object),
            "n_target": a.astype(np.int64),
            "n_reference": b.astype(np.int64),
            "per_10k_target": 1e4 * a / c if c else np.nan,
            "per_10k_reference": 1e4 * b / d if d else np.nan,
            "g2": g2,
            "log_ratio": lr,
        }
    )
    out = out.sort_values(["g2", "term"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
    n_tested = len(out)
    out["p_value"] = stats.chi2.sf(np.abs(out["g2"].to_numpy()), 1)
    out["p_adjusted"] = bh_adjust(out["p_value"].to_numpy())  # the family: every term scored
    if n is not None:
        out = out.head(int(n)).reset_index(drop=True)
    out["term"], out["surface"] = out["term"].astype(str), out["surface"].astype(str)
    out.attrs.update(
        {
            "target": targets,
            "reference": reference,
            "n_terms_tested": int(n_tested),
            "n_docs_target": int(n_docs_target),
            "n_docs_reference": int(n_docs_reference),
            "tokens_target": int(c),
            "tokens_reference": int(d),
            "stopwords": stopwords_source,
            "names_excluded": names_excluded,
        }
    )
    return out


# ---------------------------------------------------------------------------
# fast path: the corpus counted once into a sparse article x term matrix
# ---------------------------------------------------------------------------
@lru_cache(maxsize=100_000)
def _piece_tokens(piece: str) -> tuple[str, ...]:
    """Tokens (length >= 2, stopwords kept) of a blanked piece: ``tokenize(piece)``, cached."""
    return tuple(tokenize(piece))


@lru_cache(maxsize=4096)
def _changes_under_normalization(ch: str) -> bool:
    """Is ``ch`` deleted or changed by normalize() / lower()? Then tokens may join across it."""
    from analysis.text.normalize import normalize

    return normalize(ch).lower() != ch


def _fingerprint(articles: pd.DataFrame, fields: tuple[str, ...]) -> tuple:
    """Identity of an articles table for the index cache: a hash (BLAKE2b) of its ids and of the full
    text of every field read, value by value (so an edit of any text gives another key)."""
    import hashlib

    missing = b"\xff" * 16  # not a str (None, NaN): no text, unlike ""

    def digests(values) -> bytes:
        return b"".join(hashlib.blake2b(v.encode("utf-8", "surrogatepass"), digest_size=16).digest()
                        if isinstance(v, str) else missing for v in values)

    h = hashlib.blake2b(digest_size=16)
    h.update(digests(articles["article_id"].astype(str).tolist()))
    for f in fields:
        h.update(b"\0" + f.encode("utf-8") + b"\0")
        h.update(digests(articles[f].tolist()))
    return (len(articles), fields, h.hexdigest())


class KeynessIndex:
    """The articles counted once, for many :func:`keyness` calls.

    A sparse article x term count matrix (``scipy.sparse`` CSR; the terms are
    :func:`analysis.text.tokenize.tokenize`'s tokens - letters of normalized,
    lowercased text - counted by :func:`analysis.text.vectorize.doc_term_counts`
    with ``exact=True``, so they equal tokenizing the normalized text; title and
    text of one article in one row). Each :meth:`keyness` call then sums the rows
    of the target articles and of the rest (one sparse product) and scores every
    term at once; stopwords, the minimum length of 2 and the target's names are left
    out at term level. The result equals the per-call blanking of the target's names
    described in the module docstring (tested): those names are dropped from the
    vocabulary, and the tokens they took out of the target articles are subtracted
    from the target's token total; where a name touches a character that
    normalization deletes (a diacritic, a zero-width mark), so that it would join a
    neighbouring word, that field is recomputed the old way.

    ``KeynessIndex(articles).keyness(mentions, "RUS")`` is what
    ``keyness(articles, mentions, "RUS")`` does; the function keeps the last
    two indexes (keyed by a hash of the article ids and texts), so repeated
    calls on one corpus count it once.

    Attributes: ``article_ids_`` (str array), ``fields_``, ``vocabulary_``
    (term array, sorted), ``surfaces_`` (readable spelling of each term,
    :func:`analysis.text.vectorize.surface_forms`), ``counts_`` (CSR, articles x
    terms), ``term_totals_``.
    """

    def __init__(self, articles: pd.DataFrame, fields: Sequence[str] = ("title", "text"), progress: bool = False):
        require_columns(articles, ["article_id"], "articles")
        self.fields_ = tuple(f for f in fields if f in articles.columns)
        self.article_ids_ = articles["article_id"].astype(str).to_numpy(dtype=object)
        self._texts = {f: articles[f] for f in self.fields_}  # no copy; rows read back only for target names
        cols = [articles[f].to_numpy(dtype=object) for f in self.fields_]
        docs = ("\n".join(t for t in row if isinstance(t, str)) for row in zip(*cols)) if cols else iter(
            [""] * len(articles))
        dt = doc_term_counts(docs, chars="letters", exact=True, n_docs=len(articles), progress=progress,
                             desc="keyness index")
        self.counts_ = dt.counts
        self.vocabulary_ = dt.vocabulary
        self.surfaces_ = dt.surfaces
        self.term_totals_ = np.asarray(self.counts_.sum(axis=0)).ravel().astype(np.int64)
        self._term_len = np.fromiter((len(t) for t in self.vocabulary_), dtype=np.int64, count=len(self.vocabulary_))
        self._term_pos = {t: i for i, t in enumerate(self.vocabulary_)}
        rows: dict[str, list[int]] = {}
        for i, a in enumerate(self.article_ids_):
            rows.setdefault(a, []).append(i)
        self._row_of = rows
        self._sw_mask: dict = {}  # stopword set -> term mask (keyed by the set's content)

    def _rows(self) -> dict[str, list[int]]:
        return self._row_of

    def _stop_mask(self, sw: frozenset, key) -> np.ndarray:
        mask = self._sw_mask.get(key)
        if mask is None:
            mask = np.fromiter((t in sw for t in self.vocabulary_), dtype=bool, count=len(self.vocabulary_))
            self._sw_mask[key] = mask
        return mask

    def keyness(
        self,
        mentions: pd.DataFrame,
        target,
        *,
        resolve: str | None = None,
        min_count: int = 5,
        exclude_names: bool = True,
        stopwords: Sequence[str] | None = None,
        n: int | None = None,
        reference="rest",
        focus: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """:func:`keyness` on this index (same parameters and output, ``fields`` fixed by the index;
        a reference corpus is given as its :class:`KeynessIndex`, :func:`keyness_index`)."""
        k = self.keyness_counts(mentions, target, resolve=resolve, min_count=min_count, exclude_names=exclude_names,
                                stopwords=stopwords, reference=reference, focus=focus)
        terms, surfaces, a, b, c, d = (k.pop(x) for x in ("terms", "surfaces", "a", "b", "c", "d"))
        return score_keyness(terms, surfaces, a, b, c, d, n, **k)

    def keyness_counts(
        self,
        mentions: pd.DataFrame,
        target,
        *,
        resolve: str | None = None,
        min_count: int = 5,
        exclude_names: bool = True,
        stopwords: Sequence[str] | None = None,
        reference="rest",
        focus: Sequence[str] | None = None,
    ) -> dict:
        """What :meth:`keyness` scores, unscored: ``terms`` (sorted), ``surfaces``, ``a`` / ``b`` (the
        terms' counts in target and reference), ``c`` / ``d`` (token totals) and the keyword arguments
        of :func:`score_keyness` (``targets``, ``n_docs_target``, ...). The Dask engine sums these
        over partitions and scores once."""
        require_columns(mentions, ["article_id", "entity_id"], "mentions")
        if isinstance(reference, pd.DataFrame):
            reference = keyness_index(reference, self.fields_)
        targets, in_target, in_ref = _groups(self.article_ids_, mentions, target, resolve, reference, focus)
        is_t, _ = _target_ids(mentions, target, resolve)
        tm = mentions[is_t]
        sw, sw_source = _stopwords(stopwords)
        sw_key = sw
        vocab = self.vocabulary_
        a = np.asarray(self.counts_.T @ in_target.astype(np.int64)).ravel()
        if isinstance(reference, str) and reference == "rest":
            b = self.term_totals_ - a
            ref_name, n_ref = "rest", None
        elif isinstance(reference, str):  # focus: the other focus entities' articles
            b = np.asarray(self.counts_.T @ in_ref.astype(np.int64)).ravel()
            ref_name, n_ref = "focus", int(in_ref.sum())
        else:  # another corpus: its totals on this vocabulary; its other terms are added below
            pos = pd.Index(reference.vocabulary_).get_indexer(vocab)
            b = np.where(pos >= 0, reference.term_totals_[np.maximum(pos, 0)], 0).astype(np.int64)
            ref_name, n_ref = "corpus", len(reference.article_ids_)
        # the target's names: tokens blanked from the target articles (delta) and the name vocabulary
        name_tokens: set[str] = set()
        delta: Counter = Counter()
        have_spans = exclude_names and {"field", "start", "end"} <= set(tm.columns) and len(tm) > 0
        if have_spans:
            self._blanked(tm, name_tokens, delta)
        elif exclude_names and "surface" in tm.columns:
            for s in tm["surface"].dropna().astype(str).unique():
                name_tokens.update(tokenize(s))
        extra_terms: list[str] = []
        extra_a: list[int] = []
        surfaces = self.surfaces_
        if delta:
            a = a.copy()
            for t, k in delta.items():
                i = self._term_pos.get(t)
                if i is None:  # a piece of a word left over by blanking (see class docstring)
                    extra_terms.append(t)
                    extra_a.append(-k)
                else:
                    a[i] -= k
        ok = (self._term_len > 1) & ~self._stop_mask(sw, sw_key)
        if extra_terms:
            vocab = np.concatenate([vocab, np.array(extra_terms, dtype=object)])
            # a leftover piece is in no spelling of the corpus: it reads as itself
            surfaces = np.concatenate([surfaces, np.array(extra_terms, dtype=object)])
            a = np.concatenate([a, np.asarray(extra_a, dtype=np.int64)])
            b = np.concatenate([b, np.zeros(len(extra_terms), dtype=np.int64)])
            ok = np.concatenate([ok, np.array([len(t) > 1 and t not in sw for t in extra_terms], dtype=bool)])
        if ref_name == "corpus":  # the reference corpus's terms this corpus does not have
            new = ~pd.Index(reference.vocabulary_).isin(vocab)
            rv = reference.vocabulary_[new]
            extra_terms = extra_terms + list(rv)
            vocab = np.concatenate([vocab, rv])
            surfaces = np.concatenate([surfaces, reference.surfaces_[new]])
            a = np.concatenate([a, np.zeros(len(rv), dtype=np.int64)])
            b = np.concatenate([b, reference.term_totals_[new]])
            ok = np.concatenate([ok, (reference._term_len[new] > 1) & ~reference._stop_mask(sw, sw_key)[new]])
        c, d = float(a[ok].sum()), float(b[ok].sum())
        keep = ok & ((a + b) > 0) & ((a + b) >= min_count)
        if exclude_names and name_tokens:
            keep[[self._term_pos[t] for t in name_tokens if t in self._term_pos]] = False
            for i, t in enumerate(extra_terms, start=len(self.vocabulary_)):
                keep[i] &= t not in name_tokens
            if ref_name == "corpus":  # the target's names in the reference corpus leave its total too
                d = float(b[ok & ~pd.Index(vocab).isin(sorted(name_tokens))].sum())
        terms = vocab[keep]
        order = np.argsort(terms, kind="stable")  # sorted terms, as the reference does
        terms, a, b = terms[order], a[keep][order].astype(float), b[keep][order].astype(float)
        return {"terms": terms, "surfaces": surfaces[keep][order], "a": a, "b": b, "c": c, "d": d,
                "targets": targets, "n_docs_target": int(in_target.sum()),
                "n_docs_reference": int((~in_target).sum()) if n_ref is None else int(n_ref),
                "stopwords_source": sw_source, "names_excluded": sorted(name_tokens) if exclude_names else [],
                "reference": ref_name}

    def _blanked(self, tm: pd.DataFrame, name_tokens: set[str], delta: Counter) -> None:
        """Collect the target's name tokens and the tokens blanking takes out of the target articles."""
        rows = self._rows()
        fields = set(self.fields_)
        aid = tm["article_id"].astype(str).to_numpy(dtype=object)
        fld = tm["field"].astype(str).to_numpy(dtype=object)
        starts = tm["start"].to_numpy()
        ends = tm["end"].to_numpy()
        order = np.lexsort((starts, fld, aid)) if len(aid) else np.zeros(0, dtype=np.int64)
        aid, fld, starts, ends = aid[order], fld[order], starts[order], ends[order]
        bounds = np.flatnonzero((aid[1:] != aid[:-1]) | (fld[1:] != fld[:-1])) + 1
        lo_hi = zip(np.concatenate(([0], bounds)).tolist(), np.concatenate((bounds, [len(aid)])).tolist())
        for lo, hi in lo_hi:
            a, f = aid[lo], fld[lo]
            if f not in fields or a not in rows:
                continue
            spans = list(zip(starts[lo:hi].tolist(), ends[lo:hi].tolist()))
            for r in rows[a]:
                text = self._texts[f].iat[r]
                if not isinstance(text, str):
                    continue
                exp = [_expand(text, s, e) for s, e in spans]
                n = len(text)
                exact = True
                for s, e in exp:
                    name_tokens.update(_piece_tokens(text[s:e]))
                    if (s > 0 and _changes_under_normalization(text[s - 1])) or (
                            e < n and _changes_under_normalization(text[e])):
                        exact = False
                if not exact:  # the old way for this field: tokens before minus tokens after blanking
                    blanked, _ = _blank(text, spans)
                    delta.update(tokenize(text))
                    delta.subtract(tokenize(blanked))
                    continue
                # merged spans: their tokens are exactly the ones blanking removes
                exp.sort()
                cs, ce = exp[0]
                for s, e in exp[1:]:
                    if s <= ce:
                        ce = max(ce, e)
                    else:
                        delta.update(_piece_tokens(text[cs:ce]))
                        cs, ce = s, e
                delta.update(_piece_tokens(text[cs:ce]))


def _surfaces_of(terms, forms: pd.Series) -> np.ndarray:
    """The surface form of each term (the term itself where the text has none)."""
    terms = np.asarray(terms, dtype=object)
    out = np.array(forms.reindex(terms).to_numpy(dtype=object), dtype=object)  # a writable copy
    missing = pd.isna(out)
    out[missing] = terms[missing]
    return out


# (content hash of the articles table, fields) -> KeynessIndex; the last two kept
_INDEX_CACHE: "OrderedDict[tuple, KeynessIndex]" = OrderedDict()
_INDEX_CACHE_SIZE = 2
_INDEX_LOCK = threading.Lock()


def keyness_index(articles: pd.DataFrame, fields: Sequence[str] = ("title", "text"), progress: bool = False,
                  _key: tuple | None = None) -> KeynessIndex:
    """The :class:`KeynessIndex` of ``articles`` (built once per content of the table, the last two kept)."""
    require_columns(articles, ["article_id"], "articles")
    flds = tuple(f for f in fields if f in articles.columns)
    key = _fingerprint(articles, flds) if _key is None else _key
    with _INDEX_LOCK:
        idx = _INDEX_CACHE.get(key)
        if idx is not None:
            _INDEX_CACHE.move_to_end(key)
            return idx
    idx = KeynessIndex(articles, flds, progress=progress)  # outside the lock: other keys stay usable
    with _INDEX_LOCK:
        idx = _INDEX_CACHE.setdefault(key, idx)
        _INDEX_CACHE.move_to_end(key)
        while len(_INDEX_CACHE) > _INDEX_CACHE_SIZE:
            _INDEX_CACHE.popitem(last=False)
    return idx


def _sentence_offsets(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(paragraph, start, end) of the sentences of ``text``: :func:`analysis.text.segment.split_sentences`'s
    columns, from ``sentence_spans`` (the same arrays, without building a DataFrame)."""
    from analysis.text.segment import sentence_spans

    para, _, start, end = sentence_spans(text)
    return para, start, end


KWIC_COLUMNS = ["article_id", "published", "outlet", "field", "paragraph", "sentence", "start", "end", "text",
                "spans_a", "spans_b", "surface_a", "surface_b"]


def _window_row(art, published, outlet, field, paragraph, sentence, s0, e0, text, spans_a, spans_b) -> dict:
    """One row of the kwic table: the window ``text[s0:e0]`` and the mentions' spans and forms."""
    return {"article_id": art, "published": published, "outlet": outlet, "field": field, "paragraph": paragraph,
            "sentence": sentence, "start": s0, "end": e0, "text": text[s0:e0], "spans_a": spans_a,
            "spans_b": spans_b, "surface_a": ";".join(text[s:e] for s, e in spans_a),
            "surface_b": ";".join(text[s:e] for s, e in spans_b)}


def _windows_table(rows: list[dict]) -> pd.DataFrame:
    """The kwic table of ``rows``, sorted by published, article_id, field, paragraph, sentence."""
    out = pd.DataFrame(rows, columns=KWIC_COLUMNS)
    return out.sort_values(["published", "article_id", "field", "paragraph", "sentence"], kind="mergesort",
                           na_position="last").reset_index(drop=True)


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

    The windows come from the mentions table alone: its rows are grouped by
    window, ``(article_id, field, paragraph[, sentence])``, and the windows
    holding both ``a`` and ``b`` kept; only the fields of those windows are
    segmented (:func:`analysis.text.segment.split_sentences`) to find the window's
    offsets: the sentence (or paragraph) holding ``a``'s first mention in
    it, or, when the segmentation has none there, the extent of the
    window's mentions. A window whose article is not in ``articles`` is left
    out; an article id that occurs twice in ``articles`` is read from its
    first row.
    """
    articles, mentions = articles_and_mentions(articles, mentions, "kwic")
    if level not in ("sentence", "paragraph"):
        raise ValueError(f"level must be 'sentence' or 'paragraph'; got {level!r}")
    keys = WINDOW_KEYS[level]
    require_columns(mentions, keys + ["entity_id", "start", "end"], "mentions")
    ent = resolve_entities(mentions, resolve)
    is_a = ent.isin({a} if isinstance(a, str) else set(map(str, a))).to_numpy()
    is_b = ent.isin({b} if isinstance(b, str) else set(map(str, b))).to_numpy() if b is not None else None
    sel = is_a | is_b if b is not None else is_a
    first_sentence = level == "paragraph" and "sentence" in mentions.columns
    m = mentions.loc[sel, keys + ["start", "end"] + (["sentence"] if first_sentence else [])]
    m = m.assign(article_id=m["article_id"].astype(str))
    # one code per window; windows of a, of b, and the ones they share
    code = m.groupby(keys, sort=False, dropna=True).ngroup().to_numpy()
    side_a, side_b = is_a[sel] & (code >= 0), (is_b[sel] & (code >= 0)) if b is not None else None
    win = np.unique(code[side_a])
    if b is not None:
        win = np.intersect1d(win, code[side_b])
    if len(win) == 0:
        return pd.DataFrame(columns=KWIC_COLUMNS)
    in_win = np.zeros(int(code.max()) + 1, dtype=bool)
    in_win[win] = True
    ok = (code >= 0) & in_win[np.maximum(code, 0)]
    start, end = m["start"].to_numpy(), m["end"].to_numpy()

    def by_window(side):
        """Rows of one side in the shared windows, sorted by (window, start, end), and each window's [lo, hi)."""
        rows = np.flatnonzero(ok & side)
        rows = rows[np.lexsort((end[rows], start[rows], code[rows]))]
        c = code[rows]
        return rows, np.searchsorted(c, win, "left"), np.searchsorted(c, win, "right")

    rows_a, lo_a, hi_a = by_window(side_a)
    rows_b, lo_b, hi_b = by_window(side_b) if b is not None else (rows_a[:0], np.zeros_like(win), np.zeros_like(win))
    sa, ea, sb, eb = (x.astype(np.int64).tolist() for x in (start[rows_a], end[rows_a], start[rows_b], end[rows_b]))
    head = rows_a[lo_a]  # a row of each window: its keys
    w_art = m["article_id"].to_numpy(dtype=object)[head]
    w_field = m["field"].to_numpy(dtype=object)[head]
    w_para = m["paragraph"].to_numpy()[head].tolist()
    if level == "sentence":
        w_sent = m["sentence"].to_numpy()[head].tolist()
    elif first_sentence:  # the window's first sentence with a mention of a
        sent = m["sentence"].to_numpy()[rows_a]
        w_sent = [int(sent[lo:hi].min()) for lo, hi in zip(lo_a, hi_a)]
    else:
        w_sent = [None] * len(win)

    # the articles of these windows only: row positions, and their fields' segmentation once each
    aid = articles["article_id"].astype(str)
    pos = pd.Series(np.arange(len(aid)), index=aid.to_numpy())
    pos = pos[~pos.index.duplicated()].reindex(pd.unique(w_art))
    pos = dict(zip(pos.index, pos.to_numpy()))
    pub = articles["published"] if "published" in articles.columns else None
    outlet = articles["outlet"] if "outlet" in articles.columns else None
    texts = {f: articles[f] for f in pd.unique(w_field) if f in articles.columns}  # column lookups copy attrs
    seg_cache: dict = {}
    out = []
    for j, (art, field) in enumerate(zip(w_art, w_field)):
        p = pos.get(art)
        if p is None or np.isnan(p) or field not in texts:
            continue
        p = int(p)
        text = texts[field].iat[p]
        if not isinstance(text, str):
            continue
        seg = seg_cache.get((art, field))
        if seg is None:
            seg = seg_cache[(art, field)] = _sentence_offsets(text)
        s_para, s_start, s_end = seg
        la, ha, lb, hb = int(lo_a[j]), int(hi_a[j]), int(lo_b[j]), int(hi_b[j])
        spans_a = list(zip(sa[la:ha], ea[la:ha]))
        spans_b = list(zip(sb[lb:hb], eb[lb:hb]))
        first = min(sa[la:ha])
        i = int(np.searchsorted(s_start, first, "right")) - 1  # spans are sorted and disjoint
        if i < 0 or s_end[i] <= first:  # offsets outside the segmentation: use the mentions' own extent
            s0 = min(s for s, _ in spans_a + spans_b)
            e0 = max(e for _, e in spans_a + spans_b)
        elif level == "paragraph":
            same = s_para == s_para[i]
            s0, e0 = int(s_start[same].min()), int(s_end[same].max())
        else:
            s0, e0 = int(s_start[i]), int(s_end[i])
        out.append(_window_row(art, pub.iat[p] if pub is not None else pd.NaT,
                               outlet.iat[p] if outlet is not None else None, field, w_para[j], w_sent[j],
                               s0, e0, text, spans_a, spans_b))
    return _windows_table(out)


def _kwic_reference(
    articles: pd.DataFrame,
    mentions: pd.DataFrame,
    a,
    b=None,
    *,
    level: str = "sentence",
    resolve: str | None = None,
) -> pd.DataFrame:
    """The reference :func:`kwic` is tested against (one pandas group per window, every window's article
    segmented with a DataFrame per field; the implementation before the fast path, kept readable).
    Same parameters and table as :func:`kwic`."""
    from analysis.text.segment import split_sentences

    if level not in ("sentence", "paragraph"):
        raise ValueError(f"level must be 'sentence' or 'paragraph'; got {level!r}")
    keys = WINDOW_KEYS[level]
    require_columns(mentions, keys + ["entity_id", "start", "end"], "mentions")
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
    if win.empty:
        return pd.DataFrame(columns=KWIC_COLUMNS)
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
        rows.append(_window_row(
            art, arts.at[art, "published"] if "published" in arts.columns else pd.NaT,
            arts.at[art, "outlet"] if "outlet" in arts.columns else None, field, key[2],
            key[3] if level == "sentence" else int(ra["sentence"].min()) if "sentence" in ra else None,
            s0, e0, text, spans_a, spans_b))
    return _windows_table(rows)
