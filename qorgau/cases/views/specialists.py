"""The specialists of an agency and their qualifications (kind, document, issuer, validity)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from qorgau.core.permissions import has_action
from qorgau.core.views_base import RequireActionMixin, ScopedListView, apply_errors

from ..forms import QualificationForm, SpecialistChangeForm, SpecialistForm
from ..models import Qualification, Specialist
from ..services import do_add_qualification, do_add_specialist, do_change_specialist
from .common import ObjectActionView


class SpecialistListView(ScopedListView):
    """The specialists the user's scope sees, with every qualification and whether it is valid today."""

    model = Specialist
    template_name = "cases/specialist_list.html"
    context_object_name = "specialists"

    def get_queryset(self) -> QuerySet[Any]:
        qualifications = Qualification.objects.order_by("kind", "-valid_until")
        return (
            super()
            .get_queryset()
            .select_related("agency", "user")
            .prefetch_related(Prefetch("qualifications", queryset=qualifications))
            .order_by("agency__name", "full_name", "id")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            today=timezone.localdate(),
            can_change=has_action(self.request.user, "cases.change")
            and getattr(self.request.user, "agency_id", None) is not None,
        )
        return context


class SpecialistAddView(RequireActionMixin, View):
    required_action = "cases.change"
    template_name = "cases/specialist_form.html"

    def form(self, data: Any = None) -> SpecialistForm:
        return SpecialistForm(data, agency_id=getattr(self.request.user, "agency_id", None))

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": self.form()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form(request.POST)
        if form.is_valid():
            try:
                specialist = do_add_specialist(
                    actor=request.user,  # type: ignore[arg-type]
                    user=form.cleaned_data["user"],
                    full_name=form.cleaned_data["full_name"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            except PermissionDenied:
                form.add_error(None, _("Only staff of an agency record specialists."))
            else:
                messages.success(
                    request,
                    _("%(name)s is recorded as a specialist. Record their qualifications now.")
                    % {"name": specialist.display_name},
                )
                return redirect(reverse("cases:qualification_add", args=[specialist.pk]))
        return render(request, self.template_name, {"form": form})


class QualificationAddView(ObjectActionView):
    title = gettext_lazy("Record a qualification")
    intro = gettext_lazy(
        "A service of this type can be assigned to the specialist only while the qualification is valid."
    )
    submit_label = gettext_lazy("Record the qualification")
    template_name = "cases/qualification_form.html"

    def queryset(self, user: Any) -> QuerySet[Specialist]:
        return Specialist.objects.visible_to(user, "change").select_related("agency", "user")

    @property
    def case(self) -> Any:  # a specialist's page belongs to no case
        return None

    def get_form(self, data: Any = None) -> forms.Form:
        return QualificationForm(data)

    def perform(self, form: Any) -> str:
        if self.object.user_id == self.request.user.pk:
            raise ValidationError(_("You cannot record your own qualification."))
        do_add_qualification(actor=self.request.user, specialist=self.object, **form.cleaned_data)  # type: ignore[arg-type]
        return _("The qualification of %(name)s is recorded.") % {"name": self.object.display_name}

    def success_url(self) -> str:
        return reverse("cases:specialist_list")

    def context(self, form: forms.Form) -> dict[str, Any]:
        return {**super().context(form), "specialist": self.object}


class SpecialistChangeView(ObjectActionView):
    title = gettext_lazy("Change a specialist")
    submit_label = gettext_lazy("Save")
    template_name = "cases/qualification_form.html"

    def queryset(self, user: Any) -> QuerySet[Specialist]:
        agency = getattr(user, "agency_id", None) or 0
        return (
            Specialist.objects.visible_to(user, "change")
            .filter(agency=agency)
            .select_related("agency", "user")
        )

    @property
    def case(self) -> Any:  # a specialist's page belongs to no case
        return None

    def get_form(self, data: Any = None) -> forms.Form:
        initial = {"full_name": self.object.full_name, "is_active": self.object.is_active}
        return SpecialistChangeForm(data, initial=initial)

    def perform(self, form: Any) -> str:
        do_change_specialist(actor=self.request.user, specialist=self.object, **form.cleaned_data)  # type: ignore[arg-type]
        return _("The specialist is saved.")

    def success_url(self) -> str:
        return reverse("cases:specialist_list")

    def context(self, form: forms.Form) -> dict[str, Any]:
        return {**super().context(form), "specialist": self.object}
