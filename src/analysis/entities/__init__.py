"""Entities: the gazetteer and the mention matcher."""
