"""The case list's filters (GET query strings). Nothing personal in them: no name, IIN or address.

Every filter narrows a queryset that already went through `Case.objects.visible_to(user)` (queries.case_list),
so the choices only suggest; they never widen what is seen.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Case as DbCase
from django.db.models import OuterRef, QuerySet, Subquery, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Case, CaseState, OpenedVia, SafetyPlan

YES_NO = [("", _("any")), ("true", _("yes")), ("false", _("no"))]


def latest_review_due(user: Any) -> DbCase:
    """The review date of the case's current (latest) safety plan, for the cases `user` holds by their own
    scope; None for a case shared with their agency (its safety plan may not be a section they see)."""
    latest = SafetyPlan.objects.filter(case=OuterRef("pk")).order_by("-version").values("review_due")[:1]
    own = Case.objects.visible_to(user, "view", grants=False).values("pk")
    return DbCase(When(pk__in=own, then=Subquery(latest)), default=None)


class CaseFilter(django_filters.FilterSet):
    code = django_filters.CharFilter(
        method="filter_code",
        label=_("Case code"),
        help_text=_("All of it or its number, e.g. CASE-000042 or 42."),
        max_length=20,
    )
    state = django_filters.ChoiceFilter(choices=CaseState.choices, label=_("State"), empty_label=_("any"))
    mine = django_filters.BooleanFilter(
        method="filter_mine",
        label=_("Assigned to me"),
        widget=forms.Select(choices=[("", _("any")), ("true", _("assigned to me"))]),
    )
    review_overdue = django_filters.BooleanFilter(
        method="filter_review_overdue",
        label=_("Safety-plan review"),
        widget=forms.Select(choices=[("", _("any")), ("true", _("review overdue"))]),
    )
    opened_via = django_filters.ChoiceFilter(
        choices=OpenedVia.choices, label=_("How it was opened"), empty_label=_("any")
    )

    class Meta:
        model = Case
        fields: list[str] = []

    def filter_code(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        digits = value.strip().upper().removeprefix("CASE-").lstrip("0")
        if not digits:
            return queryset if not value.strip() else queryset.none()
        return queryset.filter(pk=int(digits)) if digits.isdigit() else queryset.none()

    def filter_mine(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if not value:
            return queryset
        user = getattr(self.request, "user", None)
        return queryset.filter(assigned_to=getattr(user, "pk", None))

    def filter_review_overdue(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if not value:
            return queryset
        user = getattr(self.request, "user", None)
        return queryset.annotate(current_review=latest_review_due(user)).filter(
            closed_at__isnull=True, current_review__lt=timezone.localdate()
        )

    def used_filters(self) -> bool:
        data = getattr(self.form, "cleaned_data", {})
        return any(value not in (None, "", False) for value in data.values())
