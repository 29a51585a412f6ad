"""Every write to persons and families. Views and API viewsets call these; nothing else saves the models.

Each function is keyword-only, runs in one transaction, writes its audit row inside it and re-checks,
before committing, that the actor can still see what was written. The IIN never reaches an audit row:
a change of IIN is recorded as `"iin": "changed"`.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from qorgau.core.audit import diff, record
from qorgau.core.models import District, Region, User
from qorgau.core.permissions import has_action

from .iin import hash_iin, iin_birth_date, iin_sex, normalize_iin, validate_iin
from .models import Family, FamilyMember, Person, Relationship, Sex

# What a person's record holds besides the IIN: forms, serializers and the services share these lists.
PERSON_DETAIL_FIELDS = (
    "surname",
    "given_name",
    "patronymic",
    "surname_latin",
    "given_name_latin",
    "patronymic_latin",
    "birth_date",
    "sex",
    "phone",
    "address",
)
PERSON_FIELDS = (*PERSON_DETAIL_FIELDS, "region", "district")
UNCHANGED: Any = object()  # "leave the IIN as it is" in do_update_person


def _require(actor: User, action: str) -> None:
    if not has_action(actor, action):
        raise PermissionDenied(_("Your role does not allow this."))


def _snapshot(person: Person) -> dict[str, Any]:
    return {field: getattr(person, field) for field in PERSON_FIELDS}


def _clean_iin(iin: str, *, birth_date: datetime.date | None, sex: str) -> str:
    """The normalised IIN, or a field error; birth date and sex given with it must agree with it."""
    iin = normalize_iin(iin)
    if not iin:
        return ""
    try:
        validate_iin(iin)
    except ValidationError as exc:
        raise ValidationError({"iin": exc.messages}) from exc
    errors: dict[str, str] = {}
    if birth_date is not None and birth_date != iin_birth_date(iin):
        errors["birth_date"] = _("The birth date does not match the IIN.")
    if sex in (Sex.MALE, Sex.FEMALE) and sex != iin_sex(iin):
        errors["sex"] = _("The sex does not match the IIN.")
    if errors:
        raise ValidationError(errors)
    return iin


def _check_district(region: Region | None, district: District | None) -> None:
    if district is not None and (region is None or district.region_id != region.pk):
        raise ValidationError({"district": _("The district is not in the selected region.")})


def _ensure_visible(actor: User, obj: Person | Family) -> None:
    """Roll the transaction back when the actor could not see what they just wrote."""
    if not type(obj).objects.visible_to(actor).filter(pk=obj.pk).exists():
        raise PermissionDenied(_("The record would be outside your scope."))


def _iin_taken_error() -> ValidationError:
    return ValidationError(
        {
            "iin": _(
                "A person with this IIN is already registered by another agency; the record cannot be "
                "shown to you. Ask that agency for a referral or contact your administrator."
            )
        },
        code="iin_registered_elsewhere",
    )


def do_create_person(
    *,
    actor: User,
    surname: str,
    given_name: str,
    iin: str = "",
    patronymic: str = "",
    surname_latin: str = "",
    given_name_latin: str = "",
    patronymic_latin: str = "",
    birth_date: datetime.date | None = None,
    sex: str = Sex.UNKNOWN,
    phone: str = "",
    address: str = "",
    region: Region | None = None,
    district: District | None = None,
) -> tuple[Person, bool]:
    """Register a person, or return the one already registered with this IIN (`created` is False).

    Duplicates are prevented by the IIN: when the actor can see the existing person, it is returned
    (audited as `person.duplicate_prevented`). When it exists outside the actor's scope, the record is
    not shown: a ValidationError on `iin` says it is registered by another agency. This tells the actor
    that the IIN is known, which is less harm than a second record of the same victim that the agencies
    would not know about; the attempt is audited (`person.duplicate_blocked`) for the owning agency.
    Birth date and sex, when missing, are taken from the IIN.
    """
    _require(actor, "people.add")
    if actor.agency_id is None:
        raise PermissionDenied(_("Only staff of an agency can register persons."))
    iin = _clean_iin(iin, birth_date=birth_date, sex=sex)
    if iin:
        birth_date = birth_date or iin_birth_date(iin)
        if sex not in (Sex.MALE, Sex.FEMALE):
            sex = iin_sex(iin)
    if region is None:
        region = actor.agency.region if actor.agency else None
    _check_district(region, district)

    blocked = False
    with transaction.atomic():
        existing = _existing_by_iin(actor, iin) if iin else None
        if existing is not None:
            person, visible = existing
            if visible:
                record(actor=actor, action="person.duplicate_prevented", obj=person)
                return person, False
            record(
                actor=actor,
                action="person.duplicate_blocked",
                object_type="people.person",
                object_id=person.pk,
            )
            blocked = True
        else:
            person = Person(
                surname=surname.strip(),
                given_name=given_name.strip(),
                patronymic=patronymic.strip(),
                surname_latin=surname_latin.strip(),
                given_name_latin=given_name_latin.strip(),
                patronymic_latin=patronymic_latin.strip(),
                birth_date=birth_date,
                sex=sex,
                phone=phone.strip(),
                address=address.strip(),
                region=region,
                district=district,
                agency=actor.agency,
                created_by=actor,
            )
            person.set_iin(iin)
            try:
                with transaction.atomic():
                    person.save()
            except IntegrityError:
                # Another request registered the same IIN a moment ago: answer as if it had come first.
                existing = _existing_by_iin(actor, iin) if iin else None
                if existing is None:
                    raise
                person, visible = existing
                if visible:
                    record(actor=actor, action="person.duplicate_prevented", obj=person)
                    return person, False
                record(
                    actor=actor,
                    action="person.duplicate_blocked",
                    object_type="people.person",
                    object_id=person.pk,
                )
                blocked = True
            else:
                changes: dict[str, Any] = diff({}, _snapshot(person))
                if iin:
                    changes["iin"] = "changed"
                record(actor=actor, action="person.create", obj=person, changes=changes)
                _ensure_visible(actor, person)
                return person, True
    # Outside the transaction, so that the audit row of the blocked attempt is kept.
    assert blocked
    raise _iin_taken_error()


def _existing_by_iin(actor: User, iin: str) -> tuple[Person, bool] | None:
    person = Person.objects.filter(iin_hash=hash_iin(iin)).first()
    if person is None:
        return None
    return person, Person.objects.visible_to(actor).filter(pk=person.pk).exists()


@transaction.atomic
def do_update_person(*, actor: User, person: Person, iin: str = UNCHANGED, **fields: Any) -> Person:
    """Change a person's fields (any of PERSON_FIELDS) and, when `iin` is given, the IIN.

    An empty `iin` leaves the stored one as it is (forms do not show the IIN for editing). An IIN that
    another record holds is refused without saying which record.
    """
    _require(actor, "people.change")
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    locked = Person.objects.visible_to(actor, "change").select_for_update().filter(pk=person.pk).first()
    if locked is None:
        raise PermissionDenied(_("The record is outside your scope."))
    person = locked
    old = _snapshot(person)
    for field, value in fields.items():
        setattr(person, field, value.strip() if isinstance(value, str) else value)

    new_iin = "" if iin is UNCHANGED else normalize_iin(iin)
    current_iin = person.reveal_iin()
    effective_iin = new_iin or current_iin
    if effective_iin:
        _clean_iin(
            effective_iin,
            birth_date=person.birth_date if "birth_date" in fields or new_iin else None,
            sex=person.sex if "sex" in fields or new_iin else Sex.UNKNOWN,
        )
    _check_district(person.region, person.district)
    iin_changed = bool(new_iin) and new_iin != current_iin
    if iin_changed:
        if Person.objects.filter(iin_hash=hash_iin(new_iin)).exclude(pk=person.pk).exists():
            raise ValidationError(
                {"iin": _("Another person is already registered with this IIN.")}, code="iin_taken"
            )
        person.set_iin(new_iin)

    changes: dict[str, Any] = diff(old, _snapshot(person))
    if iin_changed:
        changes["iin"] = "changed"
    if not changes:
        return person
    person.save()
    record(actor=actor, action="person.change", obj=person, changes=changes)
    _ensure_visible(actor, person)
    return person


def _check_member(actor: User, person: Person) -> None:
    if not Person.objects.visible_to(actor).filter(pk=person.pk).exists():
        # The same answer as for a person that does not exist.
        raise ValidationError({"person": _("Person not found.")})


def _check_head(family: Family, relationship: str) -> None:
    if (
        relationship == Relationship.HEAD
        and family.memberships.filter(relationship=Relationship.HEAD).exists()
    ):
        raise ValidationError({"relationship": _("The family already has a head of household.")})


def do_create_family(
    *,
    actor: User,
    region: Region,
    district: District | None = None,
    address: str = "",
    members: list[tuple[Person, str]] | tuple[tuple[Person, str], ...] = (),
) -> Family:
    """Register a family (code FAM-000123 from its number) with its first members, persons the actor sees."""
    _require(actor, "people.add")
    if actor.agency_id is None:
        raise PermissionDenied(_("Only staff of an agency can register families."))
    _check_district(region, district)
    heads = [p for p, rel in members if rel == Relationship.HEAD]
    if len(heads) > 1:
        raise ValidationError({"relationship": _("A family has one head of household.")})
    if len({p.pk for p, _rel in members}) != len(members):
        raise ValidationError({"person": _("A person is listed twice.")})
    for person, relationship in members:
        _check_member(actor, person)
        if relationship not in Relationship.values:
            raise ValidationError({"relationship": _("Unknown relationship.")})
    with transaction.atomic():
        family = Family.objects.create(
            code=f"NEW-{uuid.uuid4().hex[:16]}",
            region=region,
            district=district,
            address=address.strip(),
            agency=actor.agency,  # type: ignore[misc]  # checked above: the actor has an agency
            created_by=actor,
        )
        family.code = f"FAM-{family.pk:06d}"
        family.save(update_fields=["code"])
        FamilyMember.objects.bulk_create(
            [FamilyMember(family=family, person=p, relationship=rel) for p, rel in members]
        )
        record(
            actor=actor,
            action="family.create",
            obj=family,
            changes={
                **diff({}, {"region": region, "district": district, "address": family.address}),
                "members": {"old": None, "new": [[p.pk, rel] for p, rel in members]},
            },
        )
        _ensure_visible(actor, family)
    return family


def _lock_family(actor: User, family: Family) -> Family:
    locked = Family.objects.visible_to(actor, "change").select_for_update().filter(pk=family.pk).first()
    if locked is None:
        raise PermissionDenied(_("The record is outside your scope."))
    return locked


@transaction.atomic
def do_add_family_member(*, actor: User, family: Family, person: Person, relationship: str) -> FamilyMember:
    _require(actor, "people.change")
    family = _lock_family(actor, family)
    _check_member(actor, person)
    if relationship not in Relationship.values:
        raise ValidationError({"relationship": _("Unknown relationship.")})
    if family.memberships.filter(person=person).exists():
        raise ValidationError({"person": _("This person is already a member of the family.")})
    _check_head(family, relationship)
    member = FamilyMember.objects.create(family=family, person=person, relationship=relationship)
    record(
        actor=actor,
        action="family.member_add",
        obj=family,
        changes={"member": {"old": None, "new": {"person": person.pk, "relationship": relationship}}},
    )
    _ensure_visible(actor, family)
    return member


@transaction.atomic
def do_remove_family_member(*, actor: User, family: Family, person: Person) -> None:
    _require(actor, "people.change")
    family = _lock_family(actor, family)
    member = family.memberships.filter(person=person).first()
    if member is None:
        raise ValidationError({"person": _("This person is not a member of the family.")})
    member.delete()
    record(
        actor=actor,
        action="family.member_remove",
        obj=family,
        changes={"member": {"old": {"person": person.pk, "relationship": member.relationship}, "new": None}},
    )
    _ensure_visible(actor, family)
