"""Measures over mentions: the co-occurrence core, co-mentions, coverage, keyness."""
