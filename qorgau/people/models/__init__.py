"""The people tables: persons, families and their members, consent to disclose."""

from .consent import Consent, ConsentPurpose, ConsentRule, ConsentRuleMissing
from .families import Family, FamilyMember, Relationship
from .persons import NameWordsStart, NameWordsWhole, Person, Sex

__all__ = [
    "Consent",
    "ConsentPurpose",
    "ConsentRule",
    "ConsentRuleMissing",
    "Family",
    "FamilyMember",
    "NameWordsStart",
    "NameWordsWhole",
    "Person",
    "Relationship",
    "Sex",
]
