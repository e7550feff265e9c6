"""benchmarks/eval_quotes.py's matching of predicted statements to gold rows."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd

_spec = importlib.util.spec_from_file_location(
    "eval_quotes", Path(__file__).resolve().parents[1] / "benchmarks" / "eval_quotes.py")
eval_quotes = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(eval_quotes)


def test_an_according_row_does_not_take_the_verb_of_the_row_after_it():
    text = "وحسب رويترز، قال البيت الأبيض إن المعلومات جديدة."
    h = text.index("حسب")
    q = text.index("قال")
    gold = pd.DataFrame({
        "sentence_id": ["s1", "s1"], "article_id": ["a", "a"], "field": ["text", "text"],
        "sent_start": [0, 0], "sent_end": [len(text)] * 2, "has_statement": [True, True],
        "verb_start": [h, q], "verb_end": [h + 3, q + 3], "complement": ["according", "clause"],
        "gold_id": ["s1-1", "s1-2"]})
    arts = pd.DataFrame({"article_id": ["a"], "text": [text], "title": [""]})
    # only the verb is predicted: it pairs with its own row, and the according row is missed
    pred = pd.DataFrame({"article_id": ["a"], "field": ["text"], "verb_start": [q], "verb_end": [q + 3]})
    pairs, g_left, p_left = eval_quotes.match(gold, pred, arts)
    assert [g.gold_id for g, _ in pairs] == ["s1-2"]
    assert [g.gold_id for g in g_left] == ["s1-1"] and not p_left
    # "بحسب ما أفاد": the verb after the preposition is still the according row's
    text2 = "وارتفعت الحصيلة، بحسب ما أفاد المرصد."
    b, v = text2.index("بحسب"), text2.index("أفاد")
    gold2 = gold.iloc[:1].assign(verb_start=b, verb_end=b + 4, sent_end=len(text2))
    pred2 = pred.assign(verb_start=v, verb_end=v + 4)
    pairs, g_left, _ = eval_quotes.match(gold2, pred2, arts.assign(text=[text2]))
    assert [g.gold_id for g, _ in pairs] == ["s1-1"] and not g_left
