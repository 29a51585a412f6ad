"""The page where an agency administrator manages their agency's accounts (core/agency_users.py)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .administrators import administers
from .agency_users import (
    AGENCY_ADMIN_SCOPES,
    agency_users,
    assignable_roles,
    do_create_agency_user,
    do_update_agency_user,
    manages_agency_users,
)
from .auth.enrolment import do_issue_enrolment_code, may_issue_enrolment_code
from .models import Role, User
from .views_base import apply_errors

SCOPE_CHOICES = [(scope.value, scope.label) for scope in AGENCY_ADMIN_SCOPES]


class AgencyUserForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    role: forms.ModelChoiceField[Role] = forms.ModelChoiceField(
        label=_("Role"), queryset=Role.objects.none(), required=False, empty_label=_("No role")
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=SCOPE_CHOICES,
        help_text=_("Which records the role applies to: own assignments or the whole agency."),
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["role"]).queryset = assignable_roles(actor)


class NewAgencyUserForm(AgencyUserForm):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Tell it to the user in person; they set up their authenticator with the enrolment code."
        ),
    )
    field_order = ["username", "first_name", "last_name", "email", "role", "scope", "password"]


class ChangeAgencyUserForm(AgencyUserForm):
    is_active = forms.BooleanField(
        label=_("Active"), required=False, help_text=_("An inactive account cannot sign in.")
    )


def _actor(request: HttpRequest) -> User:
    if not manages_agency_users(request.user):
        raise PermissionDenied
    return request.user  # type: ignore[return-value]


def _administered(actor: User, pk: int) -> User:
    """A user of the actor's agency whom the actor administers; anyone else answers 404."""
    user = agency_users(actor).filter(pk=pk).first()
    if user is None or not administers(actor, user):
        raise Http404
    return user


@login_required
@require_safe  # a read: GET (and HEAD) only
def user_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    users = list(agency_users(actor))
    rows = [{"user": user, "administered": administers(actor, user)} for user in users]
    return render(request, "core/agency_users.html", {"rows": rows, "agency": actor.agency})


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = NewAgencyUserForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = do_create_agency_user(
                actor=actor,
                username=data["username"],
                password=data["password"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                role=data["role"],
                scope=data["scope"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _issued(request, actor, user, created=True)
    return render(request, "core/agency_user_form.html", {"form": form, "agency": actor.agency})


@login_required
@require_http_methods(["GET", "POST"])
def user_change(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    user = _administered(actor, pk)
    initial = {
        field: getattr(user, field) for field in ("first_name", "last_name", "email", "scope", "is_active")
    }
    initial["role"] = user.role_id
    form = ChangeAgencyUserForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            do_update_agency_user(actor=actor, user=user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("core:agency_users")
    context = {"form": form, "agency": actor.agency, "account": user}
    return render(request, "core/agency_user_form.html", context)


@login_required
@require_POST
def user_enrolment_code(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    user = _administered(actor, pk)
    if not may_issue_enrolment_code(actor, user):
        raise Http404
    return _issued(request, actor, user, created=False)


def _issued(request: HttpRequest, actor: User, user: User, *, created: bool) -> HttpResponse:
    """The enrolment code, shown on this response only (never stored in clear, never in a message)."""
    code, clear = do_issue_enrolment_code(actor=actor, user=user)
    response = render(
        request,
        "core/agency_user_code.html",
        {"account": user, "code": code, "clear": clear, "created": created, "agency": actor.agency},
    )
    add_never_cache_headers(response)
    return response
