"""Family pages: the list, registration, a family's record, finding and adding members, removing them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import FormView

from qorgau.core.permissions import has_action
from qorgau.core.ratelimit import RateLimited
from qorgau.core.views_base import (
    RequireActionMixin,
    ScopedDetailView,
    ScopedListView,
    apply_errors,
    get_visible_or_404,
    htmx_partial,
)

from ..forms import FamilyForm, FamilyMemberForm, PersonSearchForm
from ..lookups import find_persons
from ..models import Family, Person, Relationship
from ..queries import family_list, visible_person_ids
from ..services import (
    do_add_family_member,
    do_create_family,
    do_remove_family_member,
)
from .persons import SEARCH_LIMIT, live_search


class FamilyListView(ScopedListView):
    model = Family
    template_name = "people/family_list.html"
    context_object_name = "families"

    def get_queryset(self) -> QuerySet[Family]:
        return family_list(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "can_add": self.request.user.can("people.add")}  # type: ignore[union-attr]


class FamilyCreateView(RequireActionMixin, FormView):
    required_action = "people.add"
    form_class = FamilyForm
    template_name = "people/family_form.html"

    def get_initial(self) -> dict[str, Any]:
        agency = getattr(self.request.user, "agency", None)
        return {"region": agency.region_id if agency else None}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form: FamilyForm) -> HttpResponse:
        try:
            family = do_create_family(actor=self.request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The family is registered. Add its members below."))
        return redirect("people:family_detail", pk=family.pk)


class FamilyDetailView(ScopedDetailView):
    model = Family
    template_name = "people/family_detail.html"
    context_object_name = "family"

    def get_queryset(self) -> QuerySet[Family]:
        return super().get_queryset().select_related("region", "district", "agency")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(family_context(self.request, self.object))
        return context


def family_context(
    request: HttpRequest, family: Family, search_form: PersonSearchForm | None = None
) -> dict[str, Any]:
    user = request.user
    memberships = list(family.memberships.select_related("person"))
    visible = visible_person_ids(user, [m.person_id for m in memberships])
    can_change = Family.objects.visible_to(user, "change").filter(pk=family.pk).exists()
    form = search_form or PersonSearchForm()
    live_search(form, reverse("people:family_candidates", kwargs={"pk": family.pk}), "#family-candidates")
    return {
        "family": family,
        "members": [(m, m.person_id in visible) for m in memberships],
        "can_change": can_change,
        "search_form": form,
        "relationships": Relationship.choices,
    }


def _family_for_change(request: HttpRequest, pk: int) -> Family:
    if not has_action(request.user, "people.change"):
        raise PermissionDenied
    return get_visible_or_404(Family.objects.visible_to(request.user, "change"), request.user, pk=pk)


class FamilyCandidatesView(LoginRequiredMixin, View):
    """POST: persons to add to a family, found like on the person index (htmx fragment)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        family = _family_for_change(request, pk)
        form = PersonSearchForm(request.POST)
        candidates: list[Person] = []
        if form.is_valid() and form.has_criteria():
            member_ids = set(family.memberships.values_list("person_id", flat=True))
            try:
                found = find_persons(
                    request.user, **form.cleaned_data, context="family", limit=SEARCH_LIMIT * 2
                )
            except RateLimited as exc:
                form.add_error(None, exc.message)
                found = []
            candidates = [p for p in found if p.pk not in member_ids][:SEARCH_LIMIT]
        context = {**family_context(request, family, form), "candidates": candidates, "searched": True}
        template = (
            "people/family_detail.html#candidates" if htmx_partial(request) else "people/family_detail.html"
        )
        return render(request, template, context)


@require_POST
def family_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"{reverse('core:login')}?next={request.path}")
    family = _family_for_change(request, pk)
    form = FamilyMemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a person and a relationship."))
        return redirect("people:family_detail", pk=family.pk)
    person = get_visible_or_404(
        Person.objects.visible_to(request.user), request.user, pk=form.cleaned_data["person"]
    )
    try:
        do_add_family_member(
            actor=request.user,
            family=family,
            person=person,
            relationship=form.cleaned_data["relationship"],
        )
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("The member is added."))
    return redirect("people:family_detail", pk=family.pk)


@require_POST
def family_member_remove(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"{reverse('core:login')}?next={request.path}")
    family = _family_for_change(request, pk)
    member = get_object_or_404(family.memberships.select_related("person"), person_id=person_pk)
    try:
        do_remove_family_member(actor=request.user, family=family, person=member.person)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("The member is removed from the family."))
    return HttpResponseRedirect(reverse("people:family_detail", kwargs={"pk": family.pk}))
