"""Rule sets as data: indicators, the identification cut-off k, level thresholds and override rules.

A rule set is a JSON document (`default.json` is the shipped one); `parse` turns it into frozen
specifications the classifier reads, and refuses a document that does not add up (`RuleSetError`). The
Django side stores the same document per version (draft, published, retired); the engine never sees the
database.
"""

from .spec import (
    AGGREGATES,
    DOMAINS,
    LEVELS,
    OPERATORS,
    Condition,
    IndicatorSpec,
    MemberFilter,
    OverrideSpec,
    RuleSetError,
    RuleSetSpec,
    default_document,
    parse,
)

__all__ = [
    "AGGREGATES",
    "DOMAINS",
    "LEVELS",
    "OPERATORS",
    "Condition",
    "IndicatorSpec",
    "MemberFilter",
    "OverrideSpec",
    "RuleSetError",
    "RuleSetSpec",
    "default_document",
    "parse",
]
