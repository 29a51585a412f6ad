"""Factories for persons and families, for this app's tests and any domain that needs a person.

    from qorgau.people.tests.factories import PersonFactory, FamilyFactory
    PersonFactory(agency=personas.astana_police, region=personas.astana, iin="900101300017")
    PersonFactory(iin="")  # a person without an IIN

The IIN (a parameter, not a field) is valid by construction (`make_iin`) and stored the way the
service stores it: keyed hash, ciphertext and last four digits.
"""

from __future__ import annotations

import datetime

import factory

from qorgau.core.testing import AgencyFactory
from qorgau.people.iin import encrypt_iin, hash_iin, make_iin
from qorgau.people.models import Family, FamilyMember, Person, Relationship, Sex


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    class Params:
        iin = factory.LazyAttributeSequence(lambda o, n: make_iin(o.birth_date, o.sex, serial=n * 10))

    surname = factory.Iterator(["Әлібеков", "Сейтқали", "Иванова", "Омарова", "Жұмабаев"])
    given_name = factory.Iterator(["Нұрсұлтан", "Айгерім", "Мария", "Жанар", "Ерлан"])
    patronymic = ""
    birth_date = factory.Sequence(
        lambda n: datetime.date(1970, 1, 1) + datetime.timedelta(days=(n * 53) % 15000)
    )
    sex = factory.Iterator([Sex.MALE, Sex.FEMALE])
    agency = factory.SubFactory(AgencyFactory)
    region = factory.LazyAttribute(lambda o: o.agency.region)
    created_by = None

    iin_hash = factory.LazyAttribute(lambda o: hash_iin(o.iin) if o.iin else None)
    iin_encrypted = factory.LazyAttribute(lambda o: encrypt_iin(o.iin) if o.iin else "")
    iin_last4 = factory.LazyAttribute(lambda o: o.iin[-4:] if o.iin else "")


class FamilyFactory(factory.django.DjangoModelFactory[Family]):
    class Meta:
        model = Family

    code = factory.Sequence(lambda n: f"FAM-T{n:05d}")
    agency = factory.SubFactory(AgencyFactory)
    region = factory.LazyAttribute(lambda o: o.agency.region)
    address = factory.Sequence(lambda n: f"Street {n}, flat {n % 90 + 1}")
    created_by = None


class FamilyMemberFactory(factory.django.DjangoModelFactory[FamilyMember]):
    class Meta:
        model = FamilyMember

    family = factory.SubFactory(FamilyFactory)
    person = factory.SubFactory(PersonFactory, agency=factory.SelfAttribute("..family.agency"))
    relationship = Relationship.SPOUSE
