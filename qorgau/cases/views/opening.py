"""Opening a case (from a signal's victim, or on a self-referral) and linking a child to a case.

A person is found or registered through `people`, never duplicated: the search is people's audited
`find_persons`; registering uses people's `PersonForm`, which stops a likely duplicate (same name and birth
date) until the worker confirms it is someone else, and `do_create_person`, which reuses the record of an
IIN already registered. Search, pick, register and save are buttons of one POST form, so nothing typed is
lost and names and IINs never travel in a URL.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from qorgau.core.models import User
from qorgau.core.permissions import has_action
from qorgau.core.ratelimit import RateLimited
from qorgau.core.views_base import RequireActionMixin, apply_errors, get_visible_or_404, require_action
from qorgau.intake.models import Signal
from qorgau.intake.queries import signal_victims
from qorgau.people.forms import PersonForm, PersonSearchForm
from qorgau.people.lookups import find_persons
from qorgau.people.models import Person
from qorgau.people.services import do_create_person

from ..forms import ChildNeedsForm, OpenFromSignalForm
from ..models import Case
from ..services import do_add_child, do_open_case
from .common import case_url

SEARCH_LIMIT = 20


def quiet(form: forms.BaseForm) -> forms.BaseForm:
    """Keep what was typed but show no errors (the form was not the one submitted)."""
    form._errors = ErrorDict()  # type: ignore[attr-defined]
    return form


class PersonPickerView(View):
    """One form that finds a person (search), or registers one (create), then does `pick` with them."""

    template_name = ""
    context_name = "case_open"  # the audited search's context

    def pick(self, request: HttpRequest, person: Person, data: Any) -> HttpResponse | None:
        """Do the work with `person`: a response on success, None to re-render (errors on `self.top`)."""
        raise NotImplementedError

    def extra_forms(self, data: Any = None) -> dict[str, forms.Form]:
        return {}

    def extra_context(self) -> dict[str, Any]:
        return {}

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        user = request.user
        self.top = forms.Form()
        return self.render(
            request,
            find=PersonSearchForm(prefix="find"),
            new=PersonForm(prefix="new", user=user),
            extra=self.extra_forms(),
        )

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        user: User = request.user  # type: ignore[assignment]
        data = request.POST
        verb, _sep, rest = data.get("action", "search").partition(":")
        self.top = forms.Form(data)
        self.top.is_valid()
        find = PersonSearchForm(data, prefix="find")
        new = PersonForm(data, prefix="new", user=user)
        extra = self.extra_forms(data)
        found: list[Person] | None = None
        announcement = ""
        if verb == "search":
            quiet(new)
            if find.is_valid() and find.has_criteria():
                try:
                    found = find_persons(
                        user,
                        iin=find.cleaned_data["iin"],
                        name=find.cleaned_data["name"],
                        birth_year=find.cleaned_data["birth_year"],
                        context=self.context_name,
                        limit=SEARCH_LIMIT,
                    )
                except RateLimited as exc:
                    find.add_error(None, exc.message)
                else:
                    announcement = (
                        ngettext("%(count)d person found.", "%(count)d persons found.", len(found))
                        % {"count": len(found)}
                        if found
                        else _("No person in your scope matches. Register the person below.")
                    )
            elif find.is_valid():
                find.add_error(None, _("Enter an IIN, a name or a birth year to search."))
        elif verb == "pick" and rest.isdigit():
            quiet(find)
            quiet(new)
            person = Person.objects.visible_to(user).filter(pk=int(rest)).first()
            if person is None:
                raise Http404
            if all(form.is_valid() for form in extra.values()):
                response = self.pick(request, person, extra)
                if response is not None:
                    return response
        elif verb == "create":
            quiet(find)
            if not has_action(user, "people.add"):
                raise PermissionDenied
            valid = new.is_valid()
            if valid and all(form.is_valid() for form in extra.values()):
                person = self.create(new)
                if person is not None:
                    response = self.pick(request, person, extra)
                    if response is not None:
                        return response
        else:
            quiet(find)
            quiet(new)
        return self.render(request, find=find, new=new, extra=extra, found=found, announcement=announcement)

    def create(self, new: PersonForm) -> Person | None:
        fields = {k: v for k, v in new.cleaned_data.items() if v is not None or k in ("region", "district")}
        try:
            person, created = do_create_person(actor=self.request.user, **fields)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_errors(new, exc)
            return None
        except RateLimited as exc:
            new.add_error(None, exc.message)
            return None
        if not created:
            messages.info(
                self.request,
                _("A person with this IIN is already registered: their record is used (%(name)s).")
                % {"name": person.short_name},
            )
        return person

    def render(
        self,
        request: HttpRequest,
        *,
        find: PersonSearchForm,
        new: PersonForm,
        extra: dict[str, forms.Form],
        found: list[Person] | None = None,
        announcement: str = "",
    ) -> HttpResponse:
        context = {
            "top": self.top,
            "find": find,
            "new": new,
            "extra": extra,
            "found": found,
            "searched": found is not None,
            "announcement": announcement,
            "can_add_person": has_action(request.user, "people.add"),
            **self.extra_context(),
        }
        return render(request, self.template_name, context)

    def fail(self, exc: ValidationError) -> None:
        """A service's refusal, shown on top of the page (the person is not a field of this form)."""
        for message in exc.messages:
            self.top.add_error(None, message)


class CaseOpenView(RequireActionMixin, PersonPickerView):
    """A self-referral at a crisis or family support centre: find or register the person, open the case."""

    required_action = "cases.add"
    template_name = "cases/case_open.html"

    def pick(self, request: HttpRequest, person: Person, data: Any) -> HttpResponse | None:
        try:
            case = do_open_case(actor=request.user, victim=person)  # type: ignore[arg-type]
        except ValidationError as exc:
            self.fail(exc)
            return None
        except PermissionDenied:
            self.top.add_error(None, _("Only staff of a regional agency open cases."))
            return None
        messages.success(request, _("Case %(code)s is opened.") % {"code": case.code})
        return redirect(case_url(case))


class ChildAddView(LoginRequiredMixin, PersonPickerView):
    """Link a child to the case: find or register the child, with the child's own needs."""

    template_name = "cases/child_form.html"
    context_name = "case_child"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            require_action(request, "cases.change")
            self.case = get_visible_or_404(
                Case.objects.visible_to(request.user, "change"), request.user, pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)  # type: ignore[return-value]

    def extra_forms(self, data: Any = None) -> dict[str, forms.Form]:
        return {"needs": ChildNeedsForm(data, prefix="child")}

    def extra_context(self) -> dict[str, Any]:
        return {"case": self.case, "title": gettext_lazy("Link a child to the case")}

    def pick(self, request: HttpRequest, person: Person, data: Any) -> HttpResponse | None:
        needs = data["needs"]
        try:
            do_add_child(
                actor=request.user,  # type: ignore[arg-type]
                case=self.case,
                person=person,
                needs=needs.cleaned_data["needs"],
                notes=needs.cleaned_data["notes"],
            )
        except ValidationError as exc:
            self.fail(exc)
            return None
        except PermissionDenied:
            raise Http404 from None
        messages.success(request, _("The child is linked to the case."))
        return redirect(case_url(self.case))


class CaseFromSignalView(RequireActionMixin, View):
    """Open a case for a victim of a signal (the button on the signal's page)."""

    required_action = "cases.add"
    template_name = "cases/case_from_signal.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            require_action(request, self.required_action)
            self.signal = get_visible_or_404(
                Signal.objects.visible_to(request.user, "view"), request.user, pk=kwargs["pk"]
            )
            self.victims = list(signal_victims(request.user, self.signal))
        return super().dispatch(request, *args, **kwargs)  # type: ignore[return-value]

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render(request, OpenFromSignalForm(victims=self.victims))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = OpenFromSignalForm(request.POST, victims=self.victims)
        if form.is_valid():
            victim = next(p for p in self.victims if p.pk == form.cleaned_data["victim"])
            try:
                case = do_open_case(actor=request.user, signal=self.signal, victim=victim)  # type: ignore[arg-type]
            except ValidationError as exc:
                apply_errors(form, exc)
            except PermissionDenied:
                form.add_error(None, _("Only staff of a regional agency open cases."))
            else:
                messages.success(request, _("Case %(code)s is opened.") % {"code": case.code})
                return redirect(case_url(case))
        return self.render(request, form)

    def render(self, request: HttpRequest, form: forms.Form) -> HttpResponse:
        return render(request, self.template_name, {"signal": self.signal, "form": form})
