"""Voices: who is quoted in the news, saying what, about whom.

* :func:`extract_quotes` (:mod:`analysis.voices.extract`): the statements table;
* :mod:`analysis.voices.verbs`: the reporting-verb lexicon and speaker word lists;
* :func:`voices_tables` (:mod:`analysis.voices.measures`): shares of statements by
  speaker country per outlet and period, who speaks about whom, most quoted speakers;
* :func:`plot_voice_shares` (:mod:`analysis.voices.plotting`): the shares figure.
"""
from __future__ import annotations

from analysis.voices.extract import STATEMENT_COLUMNS, SPEAKER_KINDS, extract_quotes

__all__ = ["extract_quotes", "STATEMENT_COLUMNS", "SPEAKER_KINDS", "voices_tables", "plot_voice_shares"]


def __getattr__(name):
    if name == "voices_tables":
        from analysis.voices.measures import voices_tables

        return voices_tables
    if name == "plot_voice_shares":
        from analysis.voices.plotting import plot_voice_shares

        return plot_voice_shares
    raise AttributeError(f"module 'analysis.voices' has no attribute {name!r}")
