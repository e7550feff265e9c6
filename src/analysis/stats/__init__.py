"""Statistics a researcher can cite: intervals, clustered inference, event windows,
outlet-balanced shares, periods, specific partners, key findings and a glossary.

Every function takes and returns the package's tidy tables; resampling is
seeded (``seed=``), so the same inputs give the same numbers.
"""
