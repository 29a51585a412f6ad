"""Referrals between agencies and transfers of a case: the owner refers, revokes or hands over; the
receiving agency accepts or declines (a reason is required), and either side completes a referral.

A referral that waits for an answer shows the receiving agency the case's code, the purpose and what is
asked, never the victim: the case opens to it only once it accepts, with the purpose's sections.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qorgau.core.permissions import has_action
from qorgau.core.views_base import ScopedDetailView, ScopedListView

from ..forms import CompleteForm, ReasonForm, ReferralForm, TransferForm
from ..models import ACTIVE_REFERRAL, Case, CaseTransfer, Referral, ReferralStatus, TransferStatus
from ..queries import referrals_waiting
from ..services import (
    do_accept_referral,
    do_accept_transfer,
    do_complete_referral,
    do_decline_referral,
    do_decline_transfer,
    do_refer_case,
    do_request_transfer,
    do_revoke_referral,
)
from .common import CaseActionView, ObjectActionView, case_url

REFERRAL_RELATED = ("case", "case__agency", "to_agency", "purpose", "requested_by", "consent")


def referral_url(referral: Referral) -> str:
    return reverse("cases:referral_detail", args=[referral.pk])


def transfers_waiting(user: Any) -> QuerySet[CaseTransfer]:
    """Transfers to the user's agency that wait for an answer, longest waiting first."""
    if not getattr(user, "agency_id", None):
        return CaseTransfer.objects.none()
    return (
        CaseTransfer.objects.visible_to(user, "view")
        .filter(to_agency=user.agency_id, status=TransferStatus.REQUESTED)
        .select_related("case", "from_agency")
        .order_by("requested_at", "id")
    )


class ReferralListView(ScopedListView):
    """Referrals the user's scope sees, sent and received, newest first; those waiting for the agency's
    answer and the transfers offered to it on top."""

    model = Referral
    template_name = "cases/referral_list.html"
    context_object_name = "referrals"

    def get_queryset(self) -> QuerySet[Any]:
        return (
            super()
            .get_queryset()
            .select_related("case", "case__agency", "to_agency", "purpose")
            .order_by("-requested_at", "-id")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            waiting=list(referrals_waiting(user).select_related("case__agency")),
            transfers=list(transfers_waiting(user)),
            now=timezone.now(),
        )
        return context


class ReferralDetailView(ScopedDetailView):
    """A referral: the case's code, purpose, basis and status (never the victim's name), with the actions
    the user's side may take."""

    model = Referral
    template_name = "cases/referral_detail.html"
    context_object_name = "referral"

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related(*REFERRAL_RELATED, "decided_by", "ended_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        referral: Referral = self.object
        user = self.request.user
        receiving = getattr(user, "agency_id", None) == referral.to_agency_id
        owner = Case.objects.visible_to(user, "change", grants=False).filter(pk=referral.case_id).exists()
        requested = referral.status == ReferralStatus.REQUESTED
        accepted = referral.status == ReferralStatus.ACCEPTED
        context.update(
            case_visible=Case.objects.visible_to(user).filter(pk=referral.case_id).exists(),
            can_answer=receiving and requested and has_action(user, "cases.change"),
            can_revoke=owner and referral.status in ACTIVE_REFERRAL and has_action(user, "cases.refer"),
            can_complete=accepted
            and (
                (owner and has_action(user, "cases.refer"))
                or (receiving and has_action(user, "cases.change"))
            ),
            waited=(referral.decided_at or timezone.now()) - referral.requested_at,
        )
        return context


class ReferView(CaseActionView):
    required_action = "cases.refer"
    owner_only = True
    title = gettext_lazy("Refer the case to another agency")
    intro = gettext_lazy(
        "Nothing is shared until the agency accepts; then it sees only the sections its purpose needs, "
        "while the referral is active. A referral that discloses who the victim is needs the person's "
        "consent in force for that purpose and agency, or a legal mandate with its reason."
    )
    submit_label = gettext_lazy("Refer")

    def get_form(self, data: Any = None) -> forms.Form:
        return ReferralForm(data, case=self.object)

    def perform(self, form: Any) -> str:
        self.referral = do_refer_case(actor=self.request.user, case=self.object, **form.cleaned_data)  # type: ignore[arg-type]
        return _("Referral %(code)s is sent to %(agency)s.") % {
            "code": self.referral.code,
            "agency": self.referral.to_agency,
        }


class ReferralActionView(ObjectActionView):
    """A page about one referral; back to the referral's page."""

    def queryset(self, user: Any) -> QuerySet[Referral]:
        return Referral.objects.visible_to(user, "change").select_related(*REFERRAL_RELATED)

    def success_url(self) -> str:
        return referral_url(self.object)

    def context(self, form: forms.Form) -> dict[str, Any]:
        return {**super().context(form), "referral": self.object}


class ReceivingMixin:
    """Accepting and declining: the receiving agency's staff only (anyone else: 404)."""

    def queryset(self, user: Any) -> QuerySet[Referral]:
        return (
            Referral.objects.visible_to(user, "change")
            .filter(to_agency=getattr(user, "agency_id", None) or 0)
            .select_related(*REFERRAL_RELATED)
        )


class AcceptReferralView(ReceivingMixin, ReferralActionView):
    title = gettext_lazy("Accept the referral")
    intro = gettext_lazy(
        "Your agency will see this case, with the sections of the referral's purpose, while the referral is "
        "active."
    )
    submit_label = gettext_lazy("Accept")

    def get_form(self, data: Any = None) -> forms.Form:
        return forms.Form(data)

    def perform(self, form: Any) -> str:
        do_accept_referral(actor=self.request.user, referral=self.object)  # type: ignore[arg-type]
        return _("Referral %(code)s is accepted: case %(case)s is open to your agency.") % {
            "code": self.object.code,
            "case": self.object.case.code,
        }

    def success_url(self) -> str:
        return case_url(self.object.case_id)

    def cancel_url(self) -> str:
        return referral_url(self.object)


class DeclineReferralView(ReceivingMixin, ReferralActionView):
    title = gettext_lazy("Decline the referral")
    submit_label = gettext_lazy("Decline")
    submit_class = "btn-danger"

    def get_form(self, data: Any = None) -> forms.Form:
        return ReasonForm(data, label=gettext_lazy("Reason for declining"))

    def perform(self, form: Any) -> str:
        do_decline_referral(actor=self.request.user, referral=self.object, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
        return _("Referral %(code)s is declined.") % {"code": self.object.code}


class CompleteReferralView(ReferralActionView):
    title = gettext_lazy("Complete the referral")
    intro = gettext_lazy("The receiving agency's access to the case ends at once.")
    submit_label = gettext_lazy("Complete")

    required_action = "cases.view"  # and cases.change (receiving side) or cases.refer (owner): dispatch

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        user = request.user
        if user.is_authenticated and not (
            has_action(user, "cases.change") or has_action(user, "cases.refer")
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, data: Any = None) -> forms.Form:
        return CompleteForm(data)

    def perform(self, form: Any) -> str:
        do_complete_referral(actor=self.request.user, referral=self.object, note=form.cleaned_data["note"])  # type: ignore[arg-type]
        return _("Referral %(code)s is completed.") % {"code": self.object.code}


class RevokeReferralView(ReferralActionView):
    required_action = "cases.refer"
    title = gettext_lazy("Revoke the referral")
    intro = gettext_lazy("The receiving agency's access to the case ends at once.")
    submit_label = gettext_lazy("Revoke")
    submit_class = "btn-danger"

    def queryset(self, user: Any) -> QuerySet[Referral]:
        owned = Case.objects.visible_to(user, "change", grants=False).values("pk")
        return super().queryset(user).filter(case__in=owned)

    def get_form(self, data: Any = None) -> forms.Form:
        return ReasonForm(data, label=gettext_lazy("Reason for revoking"))

    def perform(self, form: Any) -> str:
        do_revoke_referral(actor=self.request.user, referral=self.object, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
        return _("Referral %(code)s is revoked: the agency no longer sees the case.") % {
            "code": self.object.code
        }


class TransferRequestView(CaseActionView):
    required_action = "cases.refer"
    owner_only = True
    title = gettext_lazy("Hand the case over to another agency")
    intro = gettext_lazy(
        "The case moves to the other agency when it accepts, with its history; until then it stays yours."
    )
    submit_label = gettext_lazy("Request the transfer")

    def get_form(self, data: Any = None) -> forms.Form:
        return TransferForm(data, case=self.object)

    def perform(self, form: Any) -> str:
        do_request_transfer(actor=self.request.user, case=self.object, **form.cleaned_data)  # type: ignore[arg-type]
        return _("The transfer to %(agency)s is requested.") % {"agency": form.cleaned_data["to_agency"]}


class TransferActionView(ObjectActionView):
    """Accepting or declining a transfer: the receiving agency's staff only (anyone else: 404)."""

    required_action = "cases.add"
    template_name = "cases/transfer_action.html"

    def queryset(self, user: Any) -> QuerySet[CaseTransfer]:
        return (
            CaseTransfer.objects.visible_to(user, "view")
            .filter(to_agency=getattr(user, "agency_id", None) or 0)
            .select_related("case", "from_agency", "to_agency", "requested_by")
        )

    def success_url(self) -> str:
        return reverse("cases:referral_list")

    def context(self, form: forms.Form) -> dict[str, Any]:
        return {**super().context(form), "transfer": self.object}


class AcceptTransferView(TransferActionView):
    title = gettext_lazy("Accept the case")
    intro = gettext_lazy(
        "Your agency owns the case from now on, with its history, and you become its case worker."
    )
    submit_label = gettext_lazy("Accept the case")

    def get_form(self, data: Any = None) -> forms.Form:
        return forms.Form(data)

    def perform(self, form: Any) -> str:
        case = do_accept_transfer(actor=self.request.user, transfer=self.object)  # type: ignore[arg-type]
        return _("Case %(code)s is now your agency's.") % {"code": case.code}

    def success_url(self) -> str:
        return case_url(self.object.case_id)

    def cancel_url(self) -> str:
        return reverse("cases:referral_list")


class DeclineTransferView(TransferActionView):
    title = gettext_lazy("Decline the case")
    submit_label = gettext_lazy("Decline")
    submit_class = "btn-danger"

    def get_form(self, data: Any = None) -> forms.Form:
        return ReasonForm(data, label=gettext_lazy("Reason for declining"))

    def perform(self, form: Any) -> str:
        do_decline_transfer(actor=self.request.user, transfer=self.object, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
        return _("The transfer is declined; the case stays with %(agency)s.") % {
            "agency": self.object.from_agency
        }
