"""Measures over mentions: co-mentions, coverage, keyness."""
