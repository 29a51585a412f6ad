"""Programmes for offenders: the referral from a signal's page, the provider's referral page (intake
assessment, sessions, the end), the inspector's acknowledgement of an unacceptable absence, the victim's
case worker's partner contacts, and court requirements recorded from a signal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qorgau.core.permissions import has_action
from qorgau.core.views_base import ScopedDetailView, ScopedListView
from qorgau.intake.models import Signal

from ..forms import (
    AssessForm,
    EndForm,
    PartnerAnswerForm,
    ProgrammeReferForm,
    RequirementCheckForm,
    RequirementForm,
    SessionForm,
)
from ..models import (
    OUTCOMES,
    Attendance,
    CourtRequirement,
    PartnerContact,
    ProgrammeReferral,
    ProgrammeSession,
    ProgrammeStatus,
    ReferralBasis,
)
from ..queries import (
    offender_reoffending,
    partner_contacts,
    programme_referral_detail,
    programme_referrals,
    programmes_offered,
    signal_offenders,
)
from ..services import (
    do_acknowledge_absence,
    do_answer_partner_contact,
    do_assess,
    do_check_requirement,
    do_end_programme,
    do_record_requirement,
    do_record_safety_review,
    do_record_session,
    do_refer_to_programme,
)
from .common import ObjectActionView


def referral_url(referral: ProgrammeReferral | int) -> str:
    return reverse("offenders:programme_referral_detail", args=[getattr(referral, "pk", referral)])


class ProgrammeReferralListView(ScopedListView):
    model = ProgrammeReferral
    template_name = "offenders/programme_referral_list.html"
    context_object_name = "referrals"

    def get_queryset(self) -> QuerySet[Any]:
        rows = programme_referrals(self.request.user).order_by("-referred_at", "-id")
        status = self.request.GET.get("status")
        if status in ProgrammeStatus.values:
            rows = rows.filter(status=status)
        return rows

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(statuses=ProgrammeStatus.choices, chosen=self.request.GET.get("status", ""))
        return context


class ProgrammeReferralDetailView(ScopedDetailView):
    model = ProgrammeReferral
    template_name = "offenders/programme_referral_detail.html"
    context_object_name = "referral"

    def get_queryset(self) -> QuerySet[Any]:
        return programme_referral_detail(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        referral: ProgrammeReferral = self.object
        user = self.request.user
        provider = has_action(user, "offenders.programme") and referral.programme.agency_id == getattr(
            user, "agency_id", None
        )
        sessions = list(referral.attendance.all())
        context.update(
            provider=provider,
            sessions=sessions,
            attended=sum(1 for s in sessions if s.attendance == Attendance.ATTENDED),
            assess_form=AssessForm() if provider and referral.status == ProgrammeStatus.REFERRED else None,
            session_form=SessionForm()
            if provider and referral.status in (ProgrammeStatus.ASSESSED, ProgrammeStatus.STARTED)
            else None,
            end_form=EndForm() if provider and referral.is_open else None,
            outcomes=[(OUTCOMES.get(k, k), v) for k, v in referral.outcomes.items()],
            inspector=has_action(user, "offenders.refer")
            and referral.referring_agency_id == getattr(user, "agency_id", None),
            sees_signal=referral.signal_id is not None
            and Signal.objects.visible_to(user, "view").filter(pk=referral.signal_id).exists(),
        )
        if referral.ended_at is not None:
            context["reoffending"] = offender_reoffending(
                user, referral.offender_id, referral.referred_at, referral.ended_at
            )
        return context


class ProgrammeReferView(ObjectActionView):
    required_action = "offenders.refer"
    title = gettext_lazy("Refer the offender to a programme")
    intro = gettext_lazy(
        "The provider sees the offender and the referral only. The victim's case worker, if the victim has "
        "an open case, is offered contact with the partner automatically."
    )
    submit_label = gettext_lazy("Refer")

    def queryset(self, user: Any) -> QuerySet[Signal]:
        return Signal.objects.visible_to(user, "view")

    def get_form(self, data: Any = None) -> forms.Form:
        return ProgrammeReferForm(
            data,
            parties=signal_offenders(self.object),
            programmes=programmes_offered(self.request.user),
            initial={"basis": ReferralBasis.POLICE},
        )

    def perform(self, form: Any) -> tuple[str, str]:
        data = form.cleaned_data
        offender = next(p.person for p in signal_offenders(self.object) if p.person_id == data["offender"])
        requirement = None
        if data["basis"] == ReferralBasis.COURT:
            requirement = (
                CourtRequirement.objects.visible_to(self.request.user, "view")
                .filter(signal=self.object, offender=offender)
                .order_by("-starts_on")
                .first()
            )
        referral = do_refer_to_programme(
            actor=self.actor,
            programme=data["programme"],
            offender=offender,
            basis=data["basis"],
            signal=self.object,
            requirement=requirement,
            legal_basis=data.get("legal_basis") or "",
        )
        return _("Referral %(code)s sent to the programme.") % {"code": referral.code}, referral_url(referral)

    def cancel_url(self) -> str:
        return reverse("intake:signal_detail", args=[self.object.pk])


class RequirementAddView(ObjectActionView):
    required_action = "offenders.refer"
    title = gettext_lazy("Record the court's special requirements")
    submit_label = gettext_lazy("Record")

    def queryset(self, user: Any) -> QuerySet[Signal]:
        return Signal.objects.visible_to(user, "view")

    def get_form(self, data: Any = None) -> forms.Form:
        return RequirementForm(data, parties=signal_offenders(self.object))

    def perform(self, form: Any) -> tuple[str, str]:
        data = form.cleaned_data
        offender = next(p.person for p in signal_offenders(self.object) if p.person_id == data["offender"])
        requirement = do_record_requirement(
            actor=self.actor,
            signal=self.object,
            offender=offender,
            kinds=data["kinds"],
            months=data["months"],
            starts_on=data["starts_on"],
            court_reference=data["court_reference"],
        )
        return _("Court requirements %(code)s recorded.") % {"code": requirement.code}, self.cancel_url()

    def cancel_url(self) -> str:
        return reverse("intake:signal_detail", args=[self.object.pk])


class _ProviderView(ObjectActionView):
    required_action = "offenders.programme"

    def queryset(self, user: Any) -> QuerySet[ProgrammeReferral]:
        return (
            ProgrammeReferral.objects.visible_to(user, "programme", grants=False)
            .filter(programme__agency_id=getattr(user, "agency_id", None))
            .select_related("programme")
        )

    def cancel_url(self) -> str:
        return referral_url(self.object)


class AssessView(_ProviderView):
    title = gettext_lazy("Intake assessment")
    submit_label = gettext_lazy("Record the assessment")

    def get_form(self, data: Any = None) -> forms.Form:
        return AssessForm(data)

    def perform(self, form: Any) -> tuple[str, str]:
        referral = do_assess(
            actor=self.actor,
            referral=self.object,
            items=form.cleaned_data["items"],
            suitable=form.cleaned_data["suitable"],
        )
        return _("Assessment recorded: score %(score)s.") % {"score": referral.risk_score}, referral_url(
            referral
        )


class SessionView(_ProviderView):
    title = gettext_lazy("Record a session")
    submit_label = gettext_lazy("Record the session")

    def get_form(self, data: Any = None) -> forms.Form:
        return SessionForm(data)

    def perform(self, form: Any) -> tuple[str, str]:
        session = do_record_session(actor=self.actor, referral=self.object, **form.cleaned_data)
        return _("Session %(number)s recorded.") % {"number": session.number}, referral_url(self.object)


class EndView(_ProviderView):
    title = gettext_lazy("End the programme")
    submit_label = gettext_lazy("Record the end")

    def get_form(self, data: Any = None) -> forms.Form:
        return EndForm(data)

    def perform(self, form: Any) -> tuple[str, str]:
        data = form.cleaned_data
        referral = do_end_programme(
            actor=self.actor,
            referral=self.object,
            completed=data["completed"],
            dropout_reason=data.get("dropout_reason") or "",
            outcomes=form.outcomes(),
        )
        return _("Programme ended: %(status)s.") % {"status": referral.get_status_display()}, referral_url(
            referral
        )


class AcknowledgeAbsenceView(ObjectActionView):
    required_action = "offenders.refer"
    title = gettext_lazy("Unacceptable absence seen")
    intro = gettext_lazy("Confirm you have seen the absence and will follow it up with the person.")
    submit_label = gettext_lazy("Confirm")

    def queryset(self, user: Any) -> QuerySet[ProgrammeSession]:
        return ProgrammeSession.objects.visible_to(user, "refer", grants=False).select_related("referral")

    def get_form(self, data: Any = None) -> forms.Form:
        return forms.Form(data)

    def perform(self, form: Any) -> tuple[str, str]:
        do_acknowledge_absence(actor=self.actor, session=self.object)
        return _("Absence marked as seen."), referral_url(self.object.referral_id)

    def cancel_url(self) -> str:
        return referral_url(self.object.referral_id)


class PartnerContactListView(ScopedListView):
    model = PartnerContact
    action = "partner"
    template_name = "offenders/partner_contact_list.html"
    context_object_name = "contacts"

    def get_queryset(self) -> QuerySet[Any]:
        return (
            PartnerContact.objects.visible_to(self.request.user, "partner")
            .select_related("case")
            .order_by("-offered_at", "-id")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["due"] = list(partner_contacts(self.request.user)[:50])
        return context


class PartnerContactView(ObjectActionView):
    """The victim's case worker answers the contact offer, or records the safety review after a drop-out."""

    required_action = "offenders.partner"
    title = gettext_lazy("Partner contact")
    template_name = "offenders/partner_contact.html"

    def queryset(self, user: Any) -> QuerySet[PartnerContact]:
        return PartnerContact.objects.visible_to(user, "partner", grants=False).select_related(
            "case", "referral__programme"
        )

    @property
    def reviewing(self) -> bool:
        return self.object.safety_review_due is not None and self.object.safety_reviewed_at is None

    def get_form(self, data: Any = None) -> forms.Form:
        return forms.Form(data) if self.reviewing else PartnerAnswerForm(data)

    def perform(self, form: Any) -> tuple[str, str]:
        if self.reviewing:
            do_record_safety_review(actor=self.actor, contact=self.object)
            message = _("Safety review recorded.")
        else:
            do_answer_partner_contact(
                actor=self.actor, contact=self.object, status=form.cleaned_data["status"]
            )
            message = _("Answer recorded.")
        return message, reverse("offenders:partner_contact_list")

    def context(self, form: forms.Form) -> dict[str, Any]:
        return {**super().context(form), "contact": self.object, "reviewing": self.reviewing}

    def cancel_url(self) -> str:
        return reverse("offenders:partner_contact_list")


class RequirementCheckView(ObjectActionView):
    """A check of the court's requirements; a breach registers a new signal (intake) with its victims."""

    required_action = "offenders.refer"
    title = gettext_lazy("Check the court's requirements")
    submit_label = gettext_lazy("Record the check")

    def queryset(self, user: Any) -> QuerySet[CourtRequirement]:
        return CourtRequirement.objects.visible_to(user, "refer", grants=False).select_related("signal")

    def get_form(self, data: Any = None) -> forms.Form:
        return RequirementCheckForm(data)

    def perform(self, form: Any) -> tuple[str, str]:
        data = form.cleaned_data
        check = do_check_requirement(
            actor=self.actor,
            requirement=self.object,
            checked_on=data["checked_on"],
            complied=data["complied"],
            note=data.get("note") or "",
            forms=data.get("violence_forms") or [],
        )
        if check.breach_signal_id:
            return _("Breach registered as signal %(number)s.") % {
                "number": check.breach_signal.registration_number  # type: ignore[union-attr]
            }, reverse("intake:signal_detail", args=[check.breach_signal_id])
        return _("Check recorded."), self.cancel_url()

    def cancel_url(self) -> str:
        return reverse("intake:signal_detail", args=[self.object.signal_id])
