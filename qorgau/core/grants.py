"""Sharing one object with an agency or a user: grants (`core.models.Grant`), read by the permission engine.

A domain shares an object (a signal, a case) by granting access to it; it never writes view code that lets
another agency in. While the grant is active, `Model.objects.visible_to(user, action)` includes the object
(and the rows declared as reached through it, `ScopePaths.grant`) for the grantee; the moment it expires or
is revoked, the next read answers 404. `grant_sections(user, obj)` tells a view which parts of the object
the grantee's purpose opens; the domain defines the section codes and what each one shows.

    grant = do_grant_access(
        actor=officer, obj=signal, agency=crisis_centre, purpose="referral", sections=["summary"],
        expires_at=now + timedelta(days=30), reason="Referred for psychological help",
    )
    do_revoke_grant(actor=officer, grant=grant, reason="Victim moved to another city")
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import record
from .models import Agency, Grant, User
from .permissions import ScopePaths, has_action, scope_q
from .roles import actions as action_catalogue

# A purpose and a section are codes the domain defines ("referral", "safety_plan"): short and plain, so
# that they can be stored, compared and shown in the audit log as they are.
CODE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


def _paths(obj: models.Model) -> ScopePaths:
    paths = getattr(type(obj), "scope", None)
    if not isinstance(paths, ScopePaths) or paths.grant != "":
        raise TypeError(f"{type(obj).__name__} does not declare itself shareable (ScopePaths(grant='')).")
    return paths


def _lock_changeable(actor: User, obj: models.Model) -> None:
    """The actor holds `obj` by their own scope with the domain's `change` action, or PermissionDenied.

    Grants do not count: an agency an object was shared with does not share it onward.
    """
    paths = _paths(obj)
    if not has_action(actor, f"{paths.domain}.change"):
        raise PermissionDenied(_("You may not share this record."))
    visible = type(obj).objects.visible_to(actor, "change", grants=False)  # type: ignore[attr-defined]
    if not visible.select_for_update().filter(pk=obj.pk).exists():
        raise PermissionDenied(_("The record is outside your scope."))


def _codes(values: Iterable[str], field: str) -> list[str]:
    codes = sorted(set(values))
    if any(not CODE.match(code) for code in codes):
        raise ValidationError({field: _("Use lower-case codes such as referral or safety_plan.")})
    return codes


def do_grant_access(
    *,
    actor: User,
    obj: models.Model,
    agency: Agency | None = None,
    user: User | None = None,
    purpose: str,
    sections: Iterable[str] = (),
    actions: Iterable[str] = ("view",),
    expires_at: dt.datetime,
    reason: str,
) -> Grant:
    """Share `obj` with exactly one of `agency` or `user` until `expires_at`, for `purpose`.

    The actor must be able to change `obj` by their own scope. `actions` are actions of the object's
    domain (`view` at least; `change` to let the grantee work on it). The audit row is about `obj`
    (`subject`), so the owner's auditors see who shared what with whom.
    """
    paths = _paths(obj)
    if (agency is None) == (user is None):
        raise ValidationError(_("Share with one agency or one user."))
    purpose_codes = _codes([purpose], "purpose")
    section_codes = _codes(sections, "sections")
    allowed = set(_codes(actions, "actions"))
    if "view" not in allowed:
        raise ValidationError({"actions": _("A grant allows at least viewing the record.")})
    catalogue = action_catalogue()
    unknown = sorted(a for a in allowed if f"{paths.domain}.{a}" not in catalogue)
    if unknown:
        raise ValidationError(
            {"actions": _("Unknown actions: %(actions)s.") % {"actions": ", ".join(unknown)}}
        )
    now = timezone.now()
    if expires_at <= now:
        raise ValidationError({"expires_at": _("The access must end in the future.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for sharing the record.")})
    with transaction.atomic():
        _lock_changeable(actor, obj)
        grant = Grant.objects.create(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            agency=agency,
            user=user,
            purpose=purpose_codes[0],
            sections=section_codes,
            actions=dict.fromkeys(sorted(allowed), True),
            reason=reason.strip(),
            granted_by=actor,
            granted_at=now,
            expires_at=expires_at,
        )
        record(
            actor=actor,
            action="grant.add",
            obj=grant,
            subject=obj,
            changes={
                "target": f"{obj._meta.label_lower}#{obj.pk}",
                "agency": agency.pk if agency else None,
                "user": user.pk if user else None,
                "purpose": grant.purpose,
                "sections": section_codes,
                "actions": grant.action_list,
                "expires_at": expires_at.isoformat(),
            },
            reason=grant.reason,
        )
    return grant


def do_revoke_grant(*, actor: User, grant: Grant, reason: str) -> Grant:
    """End `grant` now; the grantee's next read of the object answers 404. Audited on the object."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for revoking the access.")})
    with transaction.atomic():
        locked = Grant.objects.select_for_update().get(pk=grant.pk)
        obj = locked.target
        if obj is None:
            raise PermissionDenied(_("The record is outside your scope."))
        _lock_changeable(actor, obj)
        if locked.revoked_at is not None:
            raise ValidationError(_("This access was already revoked."))
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor
        locked.revoke_reason = reason.strip()
        locked.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        record(
            actor=actor,
            action="grant.revoke",
            obj=locked,
            subject=obj,
            changes={"revoked_at": {"old": None, "new": locked.revoked_at.isoformat()}},
            reason=locked.revoke_reason,
        )
    return locked


def grants_on(obj: models.Model) -> models.QuerySet[Grant]:
    """Every grant on `obj`, active or not, newest first (for the owner's page of who has access)."""
    return Grant.objects.on(obj).select_related("agency", "user", "granted_by", "revoked_by")


def grant_sections(user: Any, obj: models.Model, action: str = "view") -> frozenset[str] | None:
    """The sections of `obj` that `user` may see: None for all of them, else those their grants open.

    None when the user reaches `obj` by their own scope (no grant narrows that); otherwise the union of the
    sections of the grants active now that allow `action` on the object `obj` is shared through
    (`ScopePaths.grant`); empty when there are none, or the role lacks the action. A view shows a section
    only when the answer is None or holds its code.
    """
    paths: ScopePaths | None = getattr(type(obj), "scope", None)
    if not isinstance(paths, ScopePaths) or not has_action(user, f"{paths.domain}.{action}"):
        return frozenset()
    own = scope_q(paths, user)
    if own is not None and type(obj)._default_manager.filter(own, pk=obj.pk).exists():
        return None
    if paths.grant is None:
        return frozenset()
    target = obj
    for name in filter(None, paths.grant.split("__")):
        target = getattr(target, name)
    rows = Grant.objects.active().to(user).allowing(action).on(target).values_list("sections", flat=True)
    return frozenset(section for sections in rows for section in sections)
