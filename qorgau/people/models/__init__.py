"""The people tables: persons, families and their members, consent to disclose."""

from .consent import Consent, ConsentPurpose
from .families import Family, FamilyMember, Relationship
from .persons import Person, Sex

__all__ = ["Consent", "ConsentPurpose", "Family", "FamilyMember", "Person", "Relationship", "Sex"]
