"""Person pages: the person index with its search, a person's record. Thin: forms parse, queries read,
services write.

The IIN never travels in a URL: the search is a POST (htmx posts it as you type), and lists show it masked.
Lists show surname and initial only (DOMAIN.md 8.5); full names are on the detail page, whose every view
is audited by ScopedDetailView.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView

from qorgau.core.panels import panels_for
from qorgau.core.ratelimit import RateLimited
from qorgau.core.views_base import (
    RequireActionMixin,
    ScopedDetailView,
    ScopedListView,
    apply_errors,
    get_visible_or_404,
    htmx_partial,
    require_action,
)

from ..forms import PersonForm, PersonSearchForm
from ..lookups import find_persons
from ..models import Person
from ..queries import families_of, person_page
from ..services import (
    do_create_person,
    do_update_person,
)

SEARCH_LIMIT = 50


def live_search(form: Form, url: str, target: str) -> None:
    """htmx attributes on each search field: post the whole form as the user types."""
    for field in form.fields.values():
        field.widget.attrs.update(
            {
                "hx-post": url,
                "hx-trigger": "input changed delay:300ms",
                "hx-target": target,
                "hx-swap": "outerHTML",
            }
        )


def _page_key(value: str | None) -> int | None:
    """The `after` key of a person list page; anything but a positive integer means the first page."""
    return int(value) if value and value.isdigit() and 0 < int(value) < 2**63 else None


class PersonListView(ScopedListView):
    """The person index. GET lists the persons in scope; POST searches (IIN, name, birth year)."""

    model = Person
    template_name = "people/person_list.html"
    context_object_name = "persons"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Person]:
        user = self.request.user
        self.form = PersonSearchForm(self.request.POST if self.request.method == "POST" else None)
        self.searching = self.request.method == "POST"
        if not self.searching:
            # Pages by key (?after=<id>), never by count: see queries.person_page.
            self.paginate_by = None  # type: ignore[assignment]
            rows, self.next_key = person_page(user, after=_page_key(self.request.GET.get("after")))
            self.first_page = "after" in self.request.GET
            return rows  # type: ignore[return-value]
        if not self.form.is_valid():
            return Person.objects.none()
        # Search results are not paginated (a POST has no page links): the first ones, and a hint to refine.
        self.paginate_by = None  # type: ignore[assignment]
        try:
            return find_persons(user, **self.form.cleaned_data, limit=SEARCH_LIMIT + 1)  # type: ignore[return-value]
        except RateLimited as exc:
            self.form.add_error(None, exc.message)
            return Person.objects.none()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        live_search(self.form, reverse("people:person_list"), "#person-results")
        rows = list(context["persons"])
        context.update(
            form=self.form,
            searching=self.searching,
            persons=rows[:SEARCH_LIMIT] if self.searching else rows,
            truncated=self.searching and len(rows) > SEARCH_LIMIT,
            next_key=getattr(self, "next_key", None),
            show_first_page=getattr(self, "first_page", False),
            can_add=self.request.user.can("people.add"),  # type: ignore[union-attr]
        )
        return context

    def get_template_names(self) -> list[str]:
        if htmx_partial(self.request):
            return ["people/person_list.html#results"]
        return [self.template_name]


class PersonCreateView(RequireActionMixin, FormView):
    required_action = "people.add"
    form_class = PersonForm
    template_name = "people/person_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form: PersonForm) -> HttpResponse:
        data = {k: v for k, v in form.cleaned_data.items() if v is not None or k in ("region", "district")}
        try:
            person, created = do_create_person(actor=self.request.user, **data)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        except RateLimited as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        if created:
            messages.success(self.request, _("The person is registered."))
        else:
            messages.info(
                self.request, _("A person with this IIN is already registered: this is their record.")
            )
        return redirect("people:person_detail", pk=person.pk)


class PersonDetailView(ScopedDetailView):
    model = Person
    template_name = "people/person_detail.html"
    context_object_name = "person"

    def get_queryset(self) -> QuerySet[Person]:
        return super().get_queryset().select_related("region", "district", "agency")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        person: Person = self.object
        user = self.request.user
        show_iin = user.can("people.view_iin")  # type: ignore[union-attr]
        context.update(
            iin_display=person.reveal_iin() if show_iin else person.iin_masked,
            iin_in_full=show_iin and person.has_iin,
            memberships=families_of(user, person),
            can_change=Person.objects.visible_to(user, "change").filter(pk=person.pk).exists(),
            panels=panels_for(user, person),
        )
        return context


class PersonUpdateView(RequireActionMixin, FormView):
    required_action = "people.change"
    form_class = PersonForm
    template_name = "people/person_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            require_action(request, self.required_action)  # 403 without the action, before the lookup
            self.person = get_visible_or_404(
                Person.objects.visible_to(request.user, "change"), request.user, pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.person, "user": self.request.user}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "person": self.person}

    def form_valid(self, form: PersonForm) -> HttpResponse:
        fields = dict(form.cleaned_data)
        iin = fields.pop("iin", "")
        extra = {"iin": iin} if iin else {}
        try:
            do_update_person(actor=self.request.user, person=self.person, **extra, **fields)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        except RateLimited as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("The changes are saved."))
        return redirect("people:person_detail", pk=self.person.pk)
