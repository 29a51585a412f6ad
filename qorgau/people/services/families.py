"""Every write to families: register one with its first members, add and remove members."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qorgau.core.audit import record
from qorgau.core.models import District, Region, User

from ..models import Family, FamilyMember, Person, Relationship
from ._common import _audit_changes, _check_district, _check_work_region, _ensure_visible, _require


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
    _check_work_region(actor, region)
    _check_district(region, district)
    limit = Family._meta.get_field("address").max_length or 0
    if len(address.strip()) > limit:
        raise ValidationError(
            {
                "address": _("At most %(limit)d characters; %(length)d were entered.")
                % {"limit": limit, "length": len(address.strip())}
            }
        )
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
                **_audit_changes({}, {"region": region, "district": district, "address": family.address}),
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
