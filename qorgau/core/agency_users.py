"""An agency administrator manages the accounts of their own agency, in the product, not the admin site.

The rules are those of the administration (core/administrators.py): an agency administrator administers
the users of their own agency except themselves and privileged colleagues (administrators, auditors),
hands out only roles without privileged actions and scopes no wider than the agency, and never makes a
user staff or superuser. System administrators use the administration site for everything else.

A new account gets a password from the administrator (the password validators apply) and an enrolment
code, shown once, with which its user sets up the second factor after the first sign-in.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from .administrators import PRIVILEGED_ACTIONS, administers, is_administrator
from .audit import diff, record
from .models import Role, User
from .permissions import Scope, in_scope

# Scopes an agency administrator may give: never beyond their own agency.
AGENCY_ADMIN_SCOPES = (Scope.NONE, Scope.OWN, Scope.AGENCY)
EDITABLE_FIELDS = ("first_name", "last_name", "email", "role", "scope", "is_active")


def manages_agency_users(user: Any) -> bool:
    """True for an administrator who belongs to an agency: the page of their agency's accounts."""
    return is_administrator(user) and getattr(user, "agency_id", None) is not None


def _require(actor: User) -> None:
    if not manages_agency_users(actor):
        raise PermissionDenied("Only an agency's administrator manages its accounts here.")


def assignable_roles(actor: User) -> QuerySet[Role]:
    """The roles an agency administrator may give: those without privileged actions."""
    allowed = [role.pk for role in Role.objects.all() if not PRIVILEGED_ACTIONS & set(role.actions)]
    return Role.objects.filter(pk__in=allowed).order_by("name")


def agency_users(actor: User) -> QuerySet[User]:
    """The accounts of the actor's own agency, with `has_second_factor` annotated."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not manages_agency_users(actor):
        return User.objects.none()
    users = in_scope(User.objects.all(), User.scope_paths, actor, Scope.AGENCY)
    totp = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    static = StaticDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (
        users.annotate(has_second_factor=Exists(totp) | Exists(static))
        .select_related("role", "agency")
        .order_by("-is_active", "last_name", "first_name", "username")
    )


def _check(errors: dict[str, Any], actor: User, role: Role | None, scope: str, email: str) -> None:
    if role is not None and not assignable_roles(actor).filter(pk=role.pk).exists():
        errors["role"] = _("This role can only be given by a system administrator.")
    if scope not in AGENCY_ADMIN_SCOPES:
        errors["scope"] = _("Choose no access, own assignments or own agency.")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Enter a valid e-mail address.")


def _snapshot(user: User) -> dict[str, Any]:
    return {field: getattr(user, f"{field}_id" if field == "role" else field) for field in EDITABLE_FIELDS}


@transaction.atomic
def do_create_agency_user(
    *,
    actor: User,
    username: str,
    password: str,
    first_name: str,
    last_name: str,
    email: str = "",
    role: Role | None,
    scope: str,
) -> User:
    """A new account in the actor's agency. Raises ValidationError with every field's problem at once."""
    _require(actor)
    username = (username or "").strip()
    errors: dict[str, Any] = {}
    username_field = User._meta.get_field("username")
    try:
        username_field.run_validators(username)
        if not username:
            raise ValidationError(_("Enter a username."))
    except ValidationError as exc:
        errors["username"] = exc.messages
    else:
        if User.objects.filter(username__iexact=username).exists():
            errors["username"] = _("This username is taken.")
    if not (first_name or "").strip() or not (last_name or "").strip():
        errors["last_name"] = _("Enter the first and the last name.")
    email = (email or "").strip()
    _check(errors, actor, role, scope, email)
    candidate = User(
        username=username, first_name=first_name.strip(), last_name=last_name.strip(), email=email
    )
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)
    candidate.agency_id = actor.agency_id
    candidate.role = role
    candidate.scope = scope
    candidate.is_staff = candidate.is_superuser = False
    candidate.set_password(password)
    candidate.save()
    record(
        actor=actor,
        action="agency_user.add",
        obj=candidate,
        changes={**diff({}, _snapshot(candidate)), "password": "changed"},
    )
    return candidate


@transaction.atomic
def do_update_agency_user(*, actor: User, user: User, **fields: Any) -> User:
    """Change an account the actor administers (names, e-mail, role, scope, active)."""
    _require(actor)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    target = User.objects.select_for_update().filter(pk=user.pk).first()
    if target is None or not administers(actor, target) or target.agency_id != actor.agency_id:
        raise PermissionDenied("This account is not administered by you.")
    before = _snapshot(target)
    for field, value in fields.items():
        setattr(target, field, value.strip() if isinstance(value, str) else value)
    errors: dict[str, Any] = {}
    if not target.first_name or not target.last_name:
        errors["last_name"] = _("Enter the first and the last name.")
    _check(errors, actor, target.role, target.scope, target.email)
    if errors:
        raise ValidationError(errors)
    changes = diff(before, _snapshot(target))
    if not changes:
        return target
    target.save()
    record(actor=actor, action="agency_user.change", obj=target, changes=changes)
    return target
