"""Every write to persons: register one, change one. The IIN never reaches an audit row: a change of
IIN is recorded as `"iin": "changed"`."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau.core.audit import record
from qorgau.core.models import District, Region, User

from ..iin import hash_iin, iin_birth_date, iin_sex, normalize_iin, validate_iin
from ..lookups import identity_by_iin, note_iin_lookup
from ..models import Person, Sex
from ._common import _audit_changes, _check_district, _check_work_region, _ensure_visible, _require

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


EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)


def _check_values(values: dict[str, Any]) -> None:
    """Refuse, never truncate: every text within its field's length, a birth date neither in the future
    nor before 1900. All problems at once, each on its field (one round of corrections in the form)."""
    errors: dict[str, str] = {}
    for field, value in values.items():
        if not isinstance(value, str):
            continue
        limit = Person._meta.get_field(field).max_length  # type: ignore[union-attr]
        length = len(value.strip())
        if limit is not None and length > limit:
            errors[field] = _("At most %(limit)d characters; %(length)d were entered.") % {
                "limit": limit,
                "length": length,
            }
    birth_date = values.get("birth_date")
    if isinstance(birth_date, datetime.date):
        if birth_date > timezone.localdate():
            errors["birth_date"] = _("The birth date is in the future.")
        elif birth_date < EARLIEST_BIRTH_DATE:
            errors["birth_date"] = _("The birth date is before 1900: check the year.")
    if errors:
        raise ValidationError(errors, code="invalid_value")


def _visible_by_iin(actor: User, iin: str) -> Person | None:
    """A record of this IIN the actor may see: the identity's own, or the actor's linked record."""
    return (
        Person.objects.visible_to(actor)
        .filter(iin_hash=hash_iin(iin))
        .order_by(F("linked_to").asc(nulls_first=True), "id")
        .first()
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
    """Register a person, or return the record of this IIN the actor already sees (`created` False).

    The answer never tells whether the IIN is registered outside the actor's scope: in that case the
    actor gets a record of their own holding what they entered, linked to the identity's record
    (`Person.linked_to`), exactly as if the IIN were new. The owner's auditor sees the link
    (`person.identity_linked`), repeat detection follows it, and nothing of the other record is shown.
    Every IIN given is an audited, rate-limited look-up (people.lookups). The region must be one the
    actor works in. Birth date and sex, when missing, are taken from the IIN.
    """
    _require(actor, "people.add")
    if actor.agency_id is None:
        raise PermissionDenied(_("Only staff of an agency can register persons."))
    _check_values(
        {
            "surname": surname,
            "given_name": given_name,
            "patronymic": patronymic,
            "surname_latin": surname_latin,
            "given_name_latin": given_name_latin,
            "patronymic_latin": patronymic_latin,
            "birth_date": birth_date,
            "phone": phone,
            "address": address,
        }
    )
    iin = _clean_iin(iin, birth_date=birth_date, sex=sex)
    if iin:
        birth_date = birth_date or iin_birth_date(iin)
        if sex not in (Sex.MALE, Sex.FEMALE):
            sex = iin_sex(iin)
    if region is None:
        region = actor.agency.region if actor.agency else None
    _check_work_region(actor, region)
    _check_district(region, district)
    if iin:
        note_iin_lookup(actor, iin, context="register")

    with transaction.atomic():
        for _attempt in range(2):
            # Lock the identity first, then look for a visible record: a concurrent registration of this
            # IIN either committed before the lock was granted (and is seen) or waits for this one.
            identity = identity_by_iin(iin, lock=True) if iin else None
            if iin and (seen := _visible_by_iin(actor, iin)) is not None:
                record(actor=actor, action="person.duplicate_prevented", obj=seen)
                return seen, False
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
                linked_to=identity,
            )
            person.set_iin(iin)
            try:
                with transaction.atomic():
                    person.save()
            except IntegrityError:
                # Another request registered the same IIN a moment ago: look again, as if it came first.
                if not iin:
                    raise
                continue
            changes = _audit_changes({}, _snapshot(person))
            if iin:
                changes["iin"] = "changed"
            record(actor=actor, action="person.create", obj=person, changes=changes)
            if identity is not None:
                _audit_link(actor, person, identity)
            _ensure_visible(actor, person)
            return person, True
    raise IntegrityError("the person's IIN could not be registered")  # pragma: no cover - needs 3 races


def _audit_link(actor: User, person: Person, identity: Person) -> None:
    """The owner's auditor learns that another agency's record now stands for the same IIN."""
    record(
        actor=actor,
        action="person.identity_linked",
        object_type="people.person",
        object_id=identity.pk,
        subject=identity,
        changes={"linked_record": person.pk},
    )


def _release_identity(person: Person) -> None:
    """`person` stops being the record of its IIN: the oldest linked record takes over, the rest follow."""
    heirs = list(Person.objects.select_for_update().filter(linked_to=person).order_by("id"))
    if not heirs:
        return
    heir, rest = heirs[0], heirs[1:]
    Person.objects.filter(pk=heir.pk).update(linked_to=None)
    Person.objects.filter(pk__in=[p.pk for p in rest]).update(linked_to=heir.pk)


def do_update_person(*, actor: User, person: Person, iin: str = UNCHANGED, **fields: Any) -> Person:
    """Change a person's fields (any of PERSON_FIELDS) and, when `iin` is given, the IIN.

    An empty `iin` leaves the stored one as it is (forms do not show the IIN for editing). A new IIN
    held by another record the actor sees is refused; one held outside the actor's scope links this
    record to it, as on registration, so that the answer does not tell whether the IIN is known.
    The look-up of a new IIN is audited (and rate-limited) before the change, so that its audit row
    stays when the change is refused.
    """
    _require(actor, "people.change")
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    _check_values({k: v for k, v in fields.items() if k in PERSON_DETAIL_FIELDS})
    new_iin = "" if iin is UNCHANGED else normalize_iin(iin)
    if new_iin and new_iin != person.reveal_iin():
        note_iin_lookup(actor, new_iin, context="change")
    return _update_person(actor=actor, person=person, new_iin=new_iin, fields=fields)


@transaction.atomic
def _update_person(*, actor: User, person: Person, new_iin: str, fields: dict[str, Any]) -> Person:
    locked = Person.objects.visible_to(actor, "change").select_for_update().filter(pk=person.pk).first()
    if locked is None:
        raise PermissionDenied(_("The record is outside your scope."))
    person = locked
    old = _snapshot(person)
    for field, value in fields.items():
        setattr(person, field, value.strip() if isinstance(value, str) else value)

    current_iin = person.reveal_iin()
    effective_iin = new_iin or current_iin
    if effective_iin:
        _clean_iin(
            effective_iin,
            birth_date=person.birth_date if "birth_date" in fields or new_iin else None,
            sex=person.sex if "sex" in fields or new_iin else Sex.UNKNOWN,
        )
    if "region" in fields and person.region_id != old["region"]:
        _check_work_region(actor, person.region)
    _check_district(person.region, person.district)
    iin_changed = bool(new_iin) and new_iin != current_iin
    identity: Person | None = None
    release = False
    if iin_changed:
        identity = identity_by_iin(new_iin, lock=True)
        seen = _visible_by_iin(actor, new_iin)
        if seen is not None and seen.pk != person.pk:
            raise ValidationError(
                {"iin": _("Another person you can see is already registered with this IIN.")},
                code="iin_taken",
            )
        release = person.linked_to_id is None and person.has_iin
        person.linked_to = identity
        person.set_iin(new_iin)

    changes = _audit_changes(old, _snapshot(person))
    if iin_changed:
        changes["iin"] = "changed"
    if not changes:
        return person
    person.save()
    if release:
        # After the save: the old IIN's hash is free for the record that takes over the identity.
        _release_identity(person)
    record(actor=actor, action="person.change", obj=person, changes=changes)
    if identity is not None:
        _audit_link(actor, person, identity)
    _ensure_visible(actor, person)
    return person
