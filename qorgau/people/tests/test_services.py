import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from qorgau.core.models import AuditEvent
from qorgau.core.testing import DistrictFactory, Personas, UserFactory, role
from qorgau.people.iin import hash_iin
from qorgau.people.models import FamilyMember, Person, Relationship
from qorgau.people.services import (
    do_add_family_member,
    do_create_family,
    do_create_person,
    do_remove_family_member,
    do_update_person,
)

from .factories import FamilyFactory, PersonFactory

IIN = "900101300017"
OTHER_IIN = "900101300027"  # the same birth date and sex, another serial


@pytest.fixture(autouse=True)
def _english(settings):
    # Assertions read English messages; the UI default is Russian and its catalogue grows meanwhile.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def test_it_creates_a_person_of_the_actors_agency_with_the_iin_hidden(personas: Personas) -> None:
    person, created = do_create_person(
        actor=personas.astana_officer, iin=IIN, surname="Әлібеков", given_name="Нұрсұлтан"
    )
    assert created
    assert person.agency == personas.astana_police
    assert person.region == personas.astana
    assert person.created_by == personas.astana_officer
    assert person.iin_hash == hash_iin(IIN)
    assert IIN not in person.iin_encrypted
    assert person.reveal_iin() == IIN
    assert person.iin_masked.endswith("0017")
    # Birth date and sex come from the IIN.
    assert person.birth_date == datetime.date(1990, 1, 1)
    assert person.sex == "M"
    assert person.name_key == "alibekov nursultan"
    event = AuditEvent.objects.get(action="person.create")
    assert event.object_id == str(person.pk)
    assert event.changes["iin"] == "changed"
    assert IIN not in str(event.changes)


def test_it_returns_the_existing_person_for_a_known_iin(personas: Personas) -> None:
    first, _ = do_create_person(
        actor=personas.astana_officer, iin=IIN, surname="Әлібеков", given_name="Нұрсұлтан"
    )
    second, created = do_create_person(
        actor=personas.astana_inspector, iin="9001 0130 0017", surname="Alibekov", given_name="Nursultan"
    )
    assert not created
    assert second == first
    assert Person.objects.count() == 1
    assert AuditEvent.objects.filter(action="person.duplicate_prevented", object_id=str(first.pk)).exists()


def test_it_does_not_leak_a_person_registered_by_another_agency(personas: Personas) -> None:
    theirs, _ = do_create_person(
        actor=personas.shymkent_worker, iin=IIN, surname="Сейтқали", given_name="Жанар"
    )
    mine, created = do_create_person(actor=personas.astana_officer, iin=IIN, surname="X", given_name="Y")
    # The same answer as for a new IIN: a record of the officer's own, holding only what was typed.
    assert created and mine.pk != theirs.pk
    assert (mine.surname, mine.agency_id, mine.linked_to_id) == ("X", personas.astana_police.pk, theirs.pk)
    assert not Person.objects.visible_to(personas.astana_officer).filter(pk=theirs.pk).exists()
    # A second registration by the same officer finds their own record, not another copy.
    again, created = do_create_person(actor=personas.astana_officer, iin=IIN, surname="X", given_name="Y")
    assert (again.pk, created) == (mine.pk, False)
    # The Shymkent auditor's view of the log shows the link to their record.
    shymkent_auditor = UserFactory.create(
        agency=personas.shymkent_crisis, role=role("auditor"), scope="agency"
    )
    linked = AuditEvent.objects.visible_to(shymkent_auditor).get(action="person.identity_linked")
    assert linked.object_id == str(theirs.pk) and linked.actor == personas.astana_officer


def test_it_rejects_a_bad_iin_as_a_field_error(personas: Personas) -> None:
    with pytest.raises(ValidationError) as exc:
        do_create_person(actor=personas.astana_officer, iin="900101300018", surname="A", given_name="B")
    assert "check digit" in exc.value.message_dict["iin"][0]


def test_it_rejects_birth_date_and_sex_contradicting_the_iin(personas: Personas) -> None:
    with pytest.raises(ValidationError) as exc:
        do_create_person(
            actor=personas.astana_officer,
            iin=IIN,
            surname="A",
            given_name="B",
            birth_date=datetime.date(1991, 1, 1),
            sex="F",
        )
    assert set(exc.value.message_dict) == {"birth_date", "sex"}


def test_it_requires_the_add_action(personas: Personas) -> None:
    for user in (personas.outsider, personas.astana_chair):
        with pytest.raises(PermissionDenied):
            do_create_person(actor=user, surname="A", given_name="B")


def test_it_rejects_a_district_of_another_region(personas: Personas) -> None:
    district = DistrictFactory.create(region=personas.shymkent)
    with pytest.raises(ValidationError) as exc:
        do_create_person(actor=personas.astana_officer, surname="A", given_name="B", district=district)
    assert "district" in exc.value.message_dict


def test_update_records_old_and_new_but_never_the_iin(personas: Personas) -> None:
    person, _ = do_create_person(actor=personas.astana_officer, surname="Иванова", given_name="Мария")
    updated = do_update_person(
        actor=personas.astana_inspector, person=person, phone="+77010000000", iin=IIN, sex="M"
    )
    assert updated.phone == "+77010000000"
    assert updated.reveal_iin() == IIN
    event = AuditEvent.objects.get(action="person.change")
    # Identifying values are not copied into the append-only log: it says that they changed.
    assert event.changes["phone"] == "changed"
    assert event.changes["sex"] == {"old": "U", "new": "M"}
    assert event.changes["iin"] == "changed"
    assert IIN not in str(event.changes) and "+77010000000" not in str(event.changes)


def test_update_refuses_an_iin_held_by_another_record_the_actor_sees(personas: Personas) -> None:
    PersonFactory.create(iin=IIN, agency=personas.astana_police)
    person, _ = do_create_person(actor=personas.astana_officer, surname="A", given_name="B")
    with pytest.raises(ValidationError) as exc:
        do_update_person(actor=personas.astana_officer, person=person, iin=IIN)
    assert "iin" in exc.value.message_dict
    # The refused change still counts as a look-up of that IIN: its audit row is not rolled back.
    lookup = AuditEvent.objects.get(action="person.iin_lookup", changes__context="change")
    assert lookup.actor == personas.astana_officer


def test_update_to_an_iin_held_elsewhere_links_without_telling(personas: Personas) -> None:
    theirs = PersonFactory.create(iin=IIN, agency=personas.shymkent_crisis)
    person, _ = do_create_person(actor=personas.astana_officer, surname="A", given_name="B")
    updated = do_update_person(actor=personas.astana_officer, person=person, iin=IIN)
    assert updated.linked_to_id == theirs.pk and updated.reveal_iin() == IIN


def test_a_changed_iin_hands_the_identity_to_the_linked_record(personas: Personas) -> None:
    first, _ = do_create_person(actor=personas.shymkent_worker, iin=IIN, surname="A", given_name="B")
    linked, _ = do_create_person(actor=personas.astana_officer, iin=IIN, surname="A", given_name="B")
    do_update_person(actor=personas.shymkent_worker, person=first, iin=OTHER_IIN)
    linked.refresh_from_db()
    assert linked.linked_to_id is None  # now the record of IIN for everyone who registers it later


def test_update_outside_scope_is_refused(personas: Personas) -> None:
    person = PersonFactory.create(agency=personas.shymkent_crisis)
    with pytest.raises(PermissionDenied):
        do_update_person(actor=personas.astana_officer, person=person, phone="1")


def test_update_keeps_the_name_key_in_step(personas: Personas) -> None:
    person, _ = do_create_person(actor=personas.astana_officer, surname="Иванова", given_name="Мария")
    do_update_person(actor=personas.astana_officer, person=person, surname_latin="IVANOVA", surname="Петрова")
    person.refresh_from_db()
    assert person.name_key == "petrova maria ivanova"


def test_family_gets_a_code_and_members(personas: Personas) -> None:
    officer = personas.astana_officer
    head, _ = do_create_person(actor=officer, surname="Әлібеков", given_name="Нұрсұлтан")
    wife, _ = do_create_person(actor=officer, surname="Әлібекова", given_name="Айгерім")
    family = do_create_family(
        actor=officer,
        region=personas.astana,
        address="Abay 1",
        members=[(head, Relationship.HEAD), (wife, Relationship.SPOUSE)],
    )
    assert family.code == f"FAM-{family.pk:06d}"
    assert family.agency == personas.astana_police
    assert set(family.members.all()) == {head, wife}
    assert AuditEvent.objects.filter(action="family.create", object_id=str(family.pk)).exists()

    child, _ = do_create_person(actor=officer, surname="Әлібеков", given_name="Ерлан")
    do_add_family_member(actor=officer, family=family, person=child, relationship=Relationship.CHILD)
    with pytest.raises(ValidationError):
        do_add_family_member(actor=officer, family=family, person=child, relationship=Relationship.CHILD)
    with pytest.raises(ValidationError):
        do_add_family_member(
            actor=officer,
            family=family,
            person=PersonFactory.create(agency=personas.astana_police),
            relationship=Relationship.HEAD,
        )
    do_remove_family_member(actor=officer, family=family, person=wife)
    assert set(family.members.all()) == {head, child}
    assert AuditEvent.objects.filter(action="family.member_remove").count() == 1


def test_family_members_must_be_visible_to_the_actor(personas: Personas) -> None:
    stranger = PersonFactory.create(agency=personas.shymkent_crisis)
    with pytest.raises(ValidationError):
        do_create_family(actor=personas.astana_officer, region=personas.astana, members=[(stranger, "head")])
    family = FamilyFactory.create(agency=personas.astana_police)
    with pytest.raises(ValidationError):
        do_add_family_member(
            actor=personas.astana_officer, family=family, person=stranger, relationship="child"
        )
    assert not FamilyMember.objects.exists()


def test_family_of_another_agency_cannot_be_changed(personas: Personas) -> None:
    family = FamilyFactory.create(agency=personas.shymkent_crisis)
    person = PersonFactory.create(agency=personas.astana_police)
    with pytest.raises(PermissionDenied):
        do_add_family_member(
            actor=personas.astana_officer, family=family, person=person, relationship="child"
        )
