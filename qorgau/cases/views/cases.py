"""Case pages: the list (codes, never names), a case's page (its sections as the user may see them, and its
history), and closing, reopening and assigning a case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qorgau.core.grants import grant_sections
from qorgau.core.pagination import IdFirstPaginator
from qorgau.core.panels import panels_for
from qorgau.core.permissions import has_action
from qorgau.core.views_base import ScopedDetailView, ScopedListView, htmx_partial
from qorgau.people.queries import visible_person_ids

from ..filters import CaseFilter, latest_review_due
from ..forms import AssignForm, CloseForm, ReasonForm
from ..models import (
    SECTIONS,
    Case,
    CaseService,
    CaseTransfer,
    Referral,
    ReferralStatus,
    ServiceSession,
    ServiceType,
    TransferStatus,
)
from ..queries import case_list
from ..services import do_assign_case, do_close_case, do_reopen_case
from .common import CaseActionView


class CaseListView(ScopedListView):
    """The cases of the user's scope and those referred to their agency: codes and states, no names."""

    model = Case
    template_name = "cases/case_list.html"
    context_object_name = "cases"
    paginator_class = IdFirstPaginator

    def get_queryset(self) -> QuerySet[Any]:
        self.filterset = CaseFilter(
            self.request.GET or None, queryset=case_list(self.request.user), request=self.request
        )
        if self.filterset.is_bound and not self.filterset.is_valid():
            return Case.objects.none()
        reviews = latest_review_due(self.request.user)
        return self.filterset.qs.annotate(current_review=reviews).order_by("-opened_at", "-id")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            filter=self.filterset,
            form=self.filterset.form,
            filtered=bool(self.filterset.is_bound and self.filterset.used_filters()),
            can_add=has_action(self.request.user, "cases.add"),
            today=timezone.localdate(),
        )
        return context

    def get_template_names(self) -> list[str]:
        if htmx_partial(self.request):
            return ["cases/case_list.html#results"]
        return [self.template_name]


@dataclass(frozen=True)
class Event:
    """One line of a case's history."""

    at: dt.datetime
    what: str
    who: Any = None
    detail: str = ""
    kind: str = ""


def _who(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def case_history(
    case: Case,
    plans: list[Any],
    goals: list[Any],
    services: list[Any],
    referrals: list[Any],
    transfers: list[Any],
) -> list[Event]:
    """The case's history from what was recorded (newest first): opening, assessment, plans, services,
    closures and reopenings, referrals and transfers. No free text of the victim's plans in it."""
    events = [
        Event(
            case.opened_at,
            _("Case opened (%(via)s)") % {"via": case.get_opened_via_display()},
            _who(case.opened_by),
            kind="open",
        )
    ]
    if case.assessed_at:
        events.append(Event(case.assessed_at, _("Needs assessed"), _who(case.assessed_by), kind="assessment"))
    for plan in plans:
        events.append(
            Event(
                plan.recorded_at,
                _("Safety plan version %(n)d recorded") % {"n": plan.version},
                _who(plan.recorded_by),
                kind="safety_plan",
            )
        )
    for goal in goals:
        events.append(
            Event(goal.created_at, _("Goal added to the case plan"), _who(goal.created_by), kind="goal")
        )
    for service in services:
        events.append(
            Event(
                service.created_at,
                _("Service assigned to %(specialist)s: %(type)s")
                % {"type": service.get_type_display(), "specialist": service.specialist.display_name},
                _who(service.created_by),
                kind="service",
            )
        )
    for closure in case.closures.all():
        events.append(
            Event(
                closure.closed_at,
                _("Case closed: %(outcome)s") % {"outcome": closure.get_outcome_display()},
                _who(closure.closed_by),
                closure.reason,
                kind="close",
            )
        )
        if closure.reopened_at:
            events.append(
                Event(
                    closure.reopened_at,
                    _("Case reopened"),
                    _who(closure.reopened_by),
                    closure.reopen_reason,
                    kind="reopen",
                )
            )
    for referral in referrals:
        args = {"code": referral.code, "agency": referral.to_agency, "purpose": referral.purpose}
        events.append(
            Event(
                referral.requested_at,
                _("%(code)s: referred to %(agency)s (%(purpose)s)") % args,
                _who(referral.requested_by),
                kind="referral",
            )
        )
        if referral.decided_at:
            what = (
                _("%(code)s accepted by %(agency)s")
                if referral.status != ReferralStatus.DECLINED
                else _("%(code)s declined by %(agency)s")
            )
            events.append(
                Event(
                    referral.decided_at,
                    what % args,
                    _who(referral.decided_by),
                    referral.decline_reason,
                    kind="referral",
                )
            )
        if referral.ended_at:
            what = (
                _("%(code)s completed")
                if referral.status == ReferralStatus.COMPLETED
                else _("%(code)s revoked")
            )
            reason = referral.end_reason if referral.status == ReferralStatus.REVOKED else ""
            events.append(
                Event(referral.ended_at, what % args, _who(referral.ended_by), reason, kind="referral")
            )
    for transfer in transfers:
        args = {"from": transfer.from_agency, "to": transfer.to_agency}
        events.append(
            Event(
                transfer.requested_at,
                _("Transfer from %(from)s to %(to)s requested") % args,
                _who(transfer.requested_by),
                transfer.reason,
                kind="transfer",
            )
        )
        if transfer.decided_at:
            what = (
                _("Transfer to %(to)s accepted")
                if transfer.status == TransferStatus.ACCEPTED
                else _("Transfer to %(to)s declined")
            )
            events.append(
                Event(
                    transfer.decided_at,
                    what % args,
                    _who(transfer.decided_by),
                    transfer.decline_reason,
                    kind="transfer",
                )
            )
    return sorted(events, key=lambda event: event.at, reverse=True)


class CaseDetailView(ScopedDetailView):
    """A case's page (an audited read, `case.view`). The sections shown are those of `case_sections`: all
    of them by the user's own scope, only the purpose's for an agency the case is referred to. The victim's
    name only with the identity section."""

    model = Case
    template_name = "cases/case_detail.html"
    context_object_name = "case"

    def get_queryset(self) -> QuerySet[Any]:
        return (
            super()
            .get_queryset()
            .select_related(
                "agency", "region", "district", "assigned_to", "opened_by", "assessed_by", "victim", "signal"
            )
            .prefetch_related("closures__closed_by", "closures__reopened_by")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        case: Case = self.object
        user = self.request.user
        sections = grant_sections(user, case)  # what queries.case_sections answers, read once
        owner = sections is None
        show = {code: owner or code in (sections or ()) for code in SECTIONS}
        today = timezone.localdate()
        plans = (
            list(case.safety_plans.select_related("recorded_by").order_by("-version"))
            if show["safety_plan"]
            else []
        )
        goals = list(case.goals.select_related("created_by").order_by("id")) if show["case_plan"] else []
        services: list[CaseService] = []
        if show["services"]:
            sessions = ServiceSession.objects.select_related("recorded_by").order_by("-held_on", "-id")
            services = list(
                case.services.select_related("specialist__user", "goal", "child__person", "created_by")
                .prefetch_related(Prefetch("sessions", queryset=sessions))
                .order_by("id")
            )
        children = list(case.children.select_related("person").order_by("id")) if show["children"] else []
        labels = dict(ServiceType.choices)
        for child in children:
            child.need_labels = [labels.get(need, need) for need in child.needs]  # type: ignore[attr-defined]
        referrals = list(
            Referral.objects.visible_to(user)
            .filter(case=case)
            .select_related("to_agency", "purpose", "consent", "requested_by", "decided_by", "ended_by")
            .order_by("-requested_at", "-id")
        )
        transfers = (
            list(
                CaseTransfer.objects.visible_to(user)
                .filter(case=case)
                .select_related("from_agency", "to_agency", "requested_by", "decided_by")
                .order_by("-requested_at", "-id")
            )
            if owner
            else []
        )
        current = plans[0] if plans else None
        can = {
            verb: owner and has_action(user, f"cases.{verb}") for verb in ("change", "refer", "close", "add")
        }
        open_case = not case.is_closed
        context.update(
            show=show,
            owner=owner,
            plan=current,
            plans=plans,
            review_overdue=bool(current and open_case and current.review_due < today),
            goals=goals,
            services=services,
            children=children,
            child_links=visible_person_ids(user, [c.person_id for c in children]) if children else set(),
            victim_link=show["identity"] and bool(visible_person_ids(user, [case.victim_id])),
            need_labels=[label for value, label in ServiceType.choices if value in case.needs],
            referrals=referrals,
            transfers=transfers,
            pending_transfer=next((t for t in transfers if t.status == TransferStatus.REQUESTED), None),
            history=case_history(case, plans, goals, services, referrals, transfers) if owner else [],
            can=can,
            open=open_case,
            panels=panels_for(user, case),
            today=today,
        )
        return context


class CloseView(CaseActionView):
    required_action = "cases.close"
    owner_only = True
    title = gettext_lazy("Close the case")
    intro = gettext_lazy(
        "The outcome and the reason are required. The closure stays in the case's history; the case can be "
        "reopened later with a reason."
    )
    submit_label = gettext_lazy("Close the case")
    submit_class = "btn-danger"

    def get_form(self, data: Any = None) -> forms.Form:
        return CloseForm(data)

    def perform(self, form: Any) -> str:
        do_close_case(
            actor=self.request.user,  # type: ignore[arg-type]
            case=self.object,
            outcome=form.cleaned_data["outcome"],
            reason=form.cleaned_data["reason"],
        )
        return _("Case %(code)s is closed.") % {"code": self.object.code}


class ReopenView(CaseActionView):
    required_action = "cases.close"
    owner_only = True
    title = gettext_lazy("Reopen the case")
    submit_label = gettext_lazy("Reopen the case")

    def get_form(self, data: Any = None) -> forms.Form:
        return ReasonForm(data, label=gettext_lazy("Reason for reopening"))

    def perform(self, form: Any) -> str:
        do_reopen_case(actor=self.request.user, case=self.object, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
        return _("Case %(code)s is reopened.") % {"code": self.object.code}


class AssignView(CaseActionView):
    owner_only = True
    title = gettext_lazy("Assign the case to a case worker")
    submit_label = gettext_lazy("Assign")

    def get_form(self, data: Any = None) -> forms.Form:
        return AssignForm(data, case=self.object, initial={"assignee": self.object.assigned_to_id})

    def perform(self, form: Any) -> str:
        assignee = form.cleaned_data["assignee"]
        do_assign_case(actor=self.request.user, case=self.object, assignee=assignee)  # type: ignore[arg-type]
        return _("The case is assigned to %(name)s.") % {"name": assignee.get_full_name() or assignee}
