"""Validation on your own corpus: sample mentions, code them by hand, score precision.

1. :func:`sample_mentions` draws a stratified, seeded sample of the mentions
   table (by entity type, by default) with each mention's context, and an
   empty ``code`` column (``analysis validate sample ... --out codes.csv``).
2. You fill ``code`` with ``correct``, ``wrong`` or ``unsure`` (also accepted:
   c / w / u, yes / no, 1 / 0, ✓ / ✗, صح / خطأ).
3. :func:`score_validation` reads the codes and reports precision per type
   and per entity with 95 % Wilson intervals, and for the whole sample
   weighted by the size of each stratum (``analysis validate score codes.csv``).

:func:`accuracy_table` is what the report's Methods section shows: your
corpus's figures when you pass your codes, otherwise the package's gold-set
figures (``data/matching_accuracy.json``, written by
``benchmarks/eval_mentions.py``) flagged as measured on other outlets.
"""
from __future__ import annotations

import json
import math
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["sample_mentions", "score_validation", "accuracy_table", "read_codes", "SAMPLE_COLUMNS",
           "SCORE_COLUMNS", "ACCURACY_COLUMNS", "CODES", "ValidationError"]

SAMPLE_COLUMNS = ["sample_id", "mention_id", "stratum", "stratum_size", "article_id", "field", "paragraph",
                  "sentence", "start", "end", "entity_id", "entity_type", "mention_kind", "label_en",
                  "left", "surface", "right", "code", "note"]
SCORE_COLUMNS = ["level", "group", "n_coded", "correct", "wrong", "unsure", "uncoded", "precision",
                 "precision_low", "precision_high"]
ACCURACY_COLUMNS = ["source", "scope", "target", "n", "precision", "precision_low", "precision_high",
                    "recall", "recall_low", "recall_high", "f1", "other_outlets"]
CODES = {
    "correct": {"correct", "c", "yes", "y", "1", "true", "ok", "✓", "✔", "صح", "صحيح", "نعم"},
    "wrong": {"wrong", "w", "no", "n", "0", "false", "x", "✗", "✘", "خطأ", "خطا", "خاطئ", "لا"},
    "unsure": {"unsure", "u", "?", "maybe", "غير متأكد", "لا أدري", "لا ادري"},
}
_CODE_OF = {v: k for k, vs in CODES.items() for v in vs}


class ValidationError(ValueError):
    """A codes file cannot be scored; the message names the file and line."""


def _wilson(k, n):
    from analysis.measures.compare import wilson_interval

    lo, hi = wilson_interval(np.asarray(k, dtype=float), np.asarray(n, dtype=float))
    return lo, hi


def _mention_id(df: pd.DataFrame) -> pd.Series:
    return (df["article_id"].astype(str) + "|" + df["field"].astype(str) + "|" + df["start"].astype(str) + "|"
            + df["end"].astype(str) + "|" + df["entity_id"].astype(str))


def sample_mentions(articles: pd.DataFrame, mentions: pd.DataFrame, n: int = 200, by="entity_type",
                    seed: int = 0, context: int = 80, gazetteer=None) -> pd.DataFrame:
    """A stratified random sample of ``mentions`` to code by hand.

    ``by``: a mentions column (or list of columns) defining the strata
    (default ``entity_type``; ``entity_id`` or ``["entity_type",
    "mention_kind"]`` work too). The ``n`` draws are split equally between the
    strata (a stratum smaller than its share gives all its mentions, the rest
    goes to the others), without replacement, with ``numpy.random.default_rng(seed)``:
    the same inputs and seed give the same sample. Rows are in random order.

    Returns the columns ``SAMPLE_COLUMNS``: sample_id (1..), mention_id (a stable
    key), stratum, stratum_size (mentions in the stratum, for weighting),
    the mention's article_id, field, paragraph, sentence, start, end,
    entity_id, entity_type, mention_kind, label_en (from the gazetteer), left
    / surface / right (``context`` characters each side, on one line), and
    empty code and note columns.
    """
    if not isinstance(mentions, pd.DataFrame) or not {"article_id", "entity_id", "start", "end"} <= set(mentions.columns):
        raise ValueError("sample_mentions expects the mentions table of analysis.extract_mentions")
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive number of mentions, not {n!r}")
    keys = [by] if isinstance(by, str) else list(by)
    missing = [k for k in keys if k not in mentions.columns]
    if missing:
        raise ValueError(f"by: no column {missing} in the mentions table (columns: {', '.join(mentions.columns)})")
    if len(mentions) == 0:
        return pd.DataFrame(columns=SAMPLE_COLUMNS)
    m = mentions.reset_index(drop=True)
    stratum = m[keys].astype(str).agg(" / ".join, axis=1)
    sizes = stratum.value_counts().sort_index()
    take = _allocate(sizes, n)
    rng = np.random.default_rng(seed)
    picked = []
    for name in sizes.index:  # sorted: deterministic
        idx = np.flatnonzero(stratum.to_numpy() == name)
        k = take[name]
        if k:
            picked.append(rng.choice(idx, size=k, replace=False))
    rows = np.concatenate(picked) if picked else np.zeros(0, dtype=int)
    rows = rows[rng.permutation(len(rows))]
    out = m.iloc[rows].reset_index(drop=True)
    out["stratum"] = stratum.iloc[rows].to_numpy()
    out["stratum_size"] = out["stratum"].map(sizes).astype(int)
    out["mention_id"] = _mention_id(out)
    out["sample_id"] = np.arange(1, len(out) + 1)
    if gazetteer is None:
        from analysis.entities.gazetteer import load_gazetteer

        gazetteer = load_gazetteer()
    out["label_en"] = [gazetteer.label(e, "en") for e in out["entity_id"]]
    texts = {}
    for field in ("title", "text"):
        if field in articles.columns:
            texts[field] = dict(zip(articles["article_id"], articles[field]))
    left, right = [], []
    for r in out.itertuples(index=False):
        src = texts.get(r.field, {}).get(r.article_id)
        src = src if isinstance(src, str) else ""
        left.append(" ".join(src[max(0, r.start - context):r.start].split()))
        right.append(" ".join(src[r.end:r.end + context].split()))
    out["left"], out["right"] = left, right
    out["code"] = ""
    out["note"] = ""
    for col in SAMPLE_COLUMNS:
        if col not in out.columns:
            out[col] = None
    return out[SAMPLE_COLUMNS]


def _allocate(sizes: pd.Series, n: int) -> dict:
    """Equal allocation of ``n`` over strata, capped by their sizes (largest remainders to the biggest)."""
    take = {k: 0 for k in sizes.index}
    left = min(n, int(sizes.sum()))
    open_ = [k for k in sizes.index if sizes[k] > 0]
    while left > 0 and open_:
        share = max(1, left // len(open_))
        for k in sorted(open_, key=lambda k: (-sizes[k], k)):
            add = min(share, int(sizes[k]) - take[k], left)
            take[k] += add
            left -= add
            if left == 0:
                break
        open_ = [k for k in open_ if take[k] < sizes[k]]
    return take


def read_codes(codes) -> pd.DataFrame:
    """The codes of a sample (a DataFrame or a CSV written by :func:`sample_mentions`).

    Adds ``code_norm`` (correct / wrong / unsure, "" when blank). Unknown codes
    raise :class:`ValidationError` naming the file and line.
    """
    source = "codes"
    if isinstance(codes, (str, Path)):
        source = str(codes)
        path = Path(codes)
        if not path.is_file():
            raise ValidationError(f"{path}: file not found")
        try:
            df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except (UnicodeDecodeError, pd.errors.ParserError) as exc:
            raise ValidationError(f"{path}: not a readable CSV file ({exc})") from None
    elif isinstance(codes, pd.DataFrame):
        df = codes.astype({c: str for c in ("code",) if c in codes.columns}).copy()
    else:
        raise TypeError("codes must be a CSV path or the DataFrame of sample_mentions")
    need = {"entity_id", "entity_type", "code", "stratum", "stratum_size"}
    missing = sorted(need - set(df.columns))
    if missing:
        raise ValidationError(f"{source}: missing column(s) {missing}: score the file written by "
                              "`analysis validate sample` (or sample_mentions)")
    norm = []
    for i, raw in enumerate(df["code"].tolist()):
        v = "" if raw is None or (isinstance(raw, float) and math.isnan(raw)) else str(raw).strip().lstrip("'")
        if v == "":
            norm.append("")
            continue
        code = _CODE_OF.get(v.casefold())
        if code is None:
            raise ValidationError(f"{source}:{i + 2}: code {v!r} is not one of correct / wrong / unsure "
                                  f"(or c, w, u, yes, no, 1, 0)")
        norm.append(code)
    df["code_norm"] = norm
    df["stratum_size"] = pd.to_numeric(df["stratum_size"], errors="coerce")
    return df


def score_validation(codes) -> pd.DataFrame:
    """Precision from hand-coded mentions (the file of :func:`sample_mentions`, filled in).

    Precision = correct / (correct + wrong); unsure and uncoded rows are
    counted, not scored. Returns the columns ``SCORE_COLUMNS``, one row per
    ``level``: "all" (the sample as drawn), "all (weighted)" (each stratum's
    precision weighted by its share of all mentions; interval from the
    stratified variance, normal approximation), "entity_type" and
    "entity_id" (``group`` holds the type or id). Intervals are 95 % Wilson.
    """
    df = read_codes(codes)
    coded = df[df["code_norm"].isin(["correct", "wrong"])]
    rows = []

    def add(level, group, part, full):
        c = int((part["code_norm"] == "correct").sum())
        w = int((part["code_norm"] == "wrong").sum())
        rows.append({"level": level, "group": group, "n_coded": c + w, "correct": c, "wrong": w,
                     "unsure": int((full["code_norm"] == "unsure").sum()),
                     "uncoded": int((full["code_norm"] == "").sum())})

    add("all", "all", coded, df)
    for t in sorted(df["entity_type"].unique()):
        add("entity_type", t, coded[coded["entity_type"] == t], df[df["entity_type"] == t])
    for e in sorted(df["entity_id"].unique()):
        add("entity_id", e, coded[coded["entity_id"] == e], df[df["entity_id"] == e])
    out = pd.DataFrame(rows)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["precision"] = np.where(out["n_coded"] > 0, out["correct"] / out["n_coded"].where(out["n_coded"] > 0), np.nan)
    out["precision_low"], out["precision_high"] = _wilson(out["correct"], out["n_coded"])
    weighted = _weighted(coded, df)
    if weighted is not None:
        out = pd.concat([out.iloc[:1], pd.DataFrame([weighted]), out.iloc[1:]], ignore_index=True)
    return out[SCORE_COLUMNS]


def _weighted(coded: pd.DataFrame, df: pd.DataFrame) -> dict | None:
    sizes = df.groupby("stratum")["stratum_size"].first()
    if sizes.isna().any() or not len(coded):
        return None
    total = float(sizes.sum())
    est, var = 0.0, 0.0
    for name, size in sizes.items():
        part = coded[coded["stratum"] == name]
        n_h = len(part)
        if n_h == 0:
            return None  # a stratum without codes: no weighted estimate
        p_h = float((part["code_norm"] == "correct").mean())
        w_h = size / total
        est += w_h * p_h
        fpc = max(0.0, 1 - n_h / size) if size else 0.0
        var += w_h * w_h * p_h * (1 - p_h) / max(n_h - 1, 1) * fpc
    half = 1.959963984540054 * math.sqrt(var)
    return {"level": "all (weighted)", "group": "all", "n_coded": int(len(coded)),
            "correct": int((coded["code_norm"] == "correct").sum()),
            "wrong": int((coded["code_norm"] == "wrong").sum()),
            "unsure": int((df["code_norm"] == "unsure").sum()), "uncoded": int((df["code_norm"] == "").sum()),
            "precision": est, "precision_low": max(0.0, est - half), "precision_high": min(1.0, est + half)}


def _package_accuracy() -> dict | None:
    try:
        path = Path(str(resources.files("analysis") / "data" / "matching_accuracy.json"))
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def accuracy_table(codes=None) -> pd.DataFrame:
    """The matching accuracy to show with results (the report's Methods section).

    With ``codes`` (a filled-in sample: path or DataFrame): your corpus's own
    precision per entity type and overall, from :func:`score_validation`
    (recall cannot be measured from a sample of mentions; left empty), with
    ``other_outlets`` False. Without: the package's gold-set figures (the
    held-out test halves; package data ``matching_accuracy.json`` written by
    ``benchmarks/eval_mentions.py``), with ``other_outlets`` True: they were
    measured on ANT (2018) and an Egyptian 2013 corpus, not on your outlets.

    Columns ``ACCURACY_COLUMNS``: source, scope, target, n (coded mentions, or
    predictions behind the precision), precision, precision_low,
    precision_high, recall, recall_low, recall_high, f1, other_outlets.
    ``attrs["note"]`` says where the figures come from.
    """
    if codes is not None:
        sc = score_validation(codes)
        name = str(codes) if isinstance(codes, (str, Path)) else "your codes"
        keep = sc[sc["level"].isin(["all", "all (weighted)", "entity_type"])]
        df = pd.DataFrame({
            "source": f"your corpus ({name})", "scope": keep["level"].to_numpy(), "target": keep["group"].to_numpy(),
            "n": keep["n_coded"].to_numpy(), "precision": keep["precision"].to_numpy(),
            "precision_low": keep["precision_low"].to_numpy(), "precision_high": keep["precision_high"].to_numpy(),
            "recall": np.nan, "recall_low": np.nan, "recall_high": np.nan, "f1": np.nan, "other_outlets": False})
        df.attrs["note"] = (f"Precision measured on {int(sc.loc[sc['level'] == 'all', 'n_coded'].iloc[0])} mentions "
                            f"of this corpus coded by hand ({name}); 95 % Wilson intervals.")
        return df[ACCURACY_COLUMNS]
    obj = _package_accuracy()
    if obj is None:
        df = pd.DataFrame(columns=ACCURACY_COLUMNS)
        df.attrs["note"] = "The package's accuracy figures (data/matching_accuracy.json) are missing."
        return df
    rows = []
    for scope, block in obj.items():
        if not isinstance(block, dict) or "test" not in scope or scope == "sets":
            continue
        source = "gold set: entities (ANT 2018 + Egyptian 2013)" if scope.startswith("entities") \
            else "gold set: countries (ANT 2018)"
        for target, v in block.items():
            if not isinstance(v, dict) or "precision" not in v:
                continue
            if scope.startswith("entities") and " / " in target:
                continue  # the per-class figures are in the JSON; the table keeps one row per type
            rows.append({"source": source, "scope": scope, "target": target,
                         "n": int(v.get("tp", 0)) + int(v.get("fp", 0)),
                         **{k: v.get(k) for k in ("precision", "precision_low", "precision_high", "recall",
                                                  "recall_low", "recall_high", "f1")},
                         "other_outlets": True})
    df = pd.DataFrame(rows, columns=ACCURACY_COLUMNS)
    df.attrs["note"] = ("Measured on the package's gold sets (held-out halves, scored once), i.e. on other "
                        "outlets and years than yours: ANT 2018 and Egyptian outlets of 2013. Measure your own "
                        "corpus with `analysis validate sample` / `analysis validate score` and pass the codes.")
    return df
