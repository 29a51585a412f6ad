"""The auditor's search of the audit log (django-filter).

Every filter narrows a queryset that already went through `AuditEvent.objects.visible_to(user)`, so the
choices offered (agencies, actions, object types) are only suggestions; they never widen what is seen.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import Agency, AuditEvent
from .permissions import in_scope


def agencies_for(request: HttpRequest | None) -> QuerySet[Agency]:
    """The agencies an auditor may pick: those whose events their scope covers."""
    return in_scope(Agency.objects.all(), Agency.scope_paths, getattr(request, "user", None))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class AuditEventFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(
        field_name="actor_username",
        lookup_expr="istartswith",
        label=_("User name"),
        help_text=_("The beginning of the user name is enough."),
    )
    agency = django_filters.ModelChoiceFilter(
        field_name="actor_agency", queryset=agencies_for, label=_("Agency of the user"), empty_label=_("any")
    )
    action = django_filters.CharFilter(
        field_name="action",
        lookup_expr="startswith",
        label=_("Action"),
        help_text=_("An action such as person.view, or its beginning such as person."),
        widget=forms.TextInput(attrs={"list": "audit-actions", "autocomplete": "off"}),
    )
    object_type = django_filters.CharFilter(
        field_name="object_type",
        lookup_expr="iexact",
        label=_("Object type"),
        widget=forms.TextInput(attrs={"list": "audit-object-types", "autocomplete": "off"}),
    )
    object_id = django_filters.CharFilter(field_name="object_id", lookup_expr="exact", label=_("Object id"))
    date_from = django_filters.DateFilter(
        field_name="time", lookup_expr="date__gte", label=_("From (date)"), widget=DateInput()
    )
    date_to = django_filters.DateFilter(
        field_name="time", lookup_expr="date__lte", label=_("To (date)"), widget=DateInput()
    )
    ip = django_filters.CharFilter(
        field_name="ip",
        lookup_expr="startswith",
        label=_("IP address"),
        help_text=_("A full address or its beginning, such as 10.12."),
    )

    class Meta:
        model = AuditEvent
        fields: list[str] = []

    def used_filters(self) -> dict[str, str]:
        """The filters the auditor filled in, as text, for the audit row of the search itself."""
        if not self.is_bound:
            return {}
        return {
            name: str(self.data.get(name, "")).strip()[:200]
            for name in self.filters
            if str(self.data.get(name, "")).strip()
        }
