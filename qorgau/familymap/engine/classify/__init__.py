"""Indicators and Alkire-Foster classification as Ibis expressions (DuckDB by default, Spark the same)."""

from .indicators import SPINE, families, hits, inputs_of
from .score import aggregates, classify

__all__ = ["SPINE", "aggregates", "classify", "families", "hits", "inputs_of"]
