"""The offenders work queues on the home page (declared in registry.py): codes and deadlines, no names."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from qorgau.core.home import WorkQueue, local_date

from .queries import absences_to_follow, partner_contacts, provider_intake, steps_owed


def describe_step(referral: Any) -> str:
    text = gettext("%(code)s · %(step)s · due %(due)s") % {
        "code": referral.code,
        "step": referral.get_status_display(),
        "due": local_date(referral.step_due) if referral.step_due else "-",
    }
    return gettext("%(step)s (overdue)") % {"step": text} if referral.is_overdue else text


def describe_intake(referral: Any) -> str:
    return gettext("%(code)s · %(basis)s · contact due %(due)s") % {
        "code": referral.code,
        "basis": referral.get_basis_display(),
        "due": local_date(referral.contact_due),
    }


def describe_absence(session: Any) -> str:
    return gettext("%(code)s · session %(number)s on %(day)s: unacceptable absence") % {
        "code": session.referral.code,
        "number": session.number,
        "day": session.held_on,
    }


def describe_contact(contact: Any) -> str:
    if contact.safety_review_due and not contact.safety_reviewed_at:
        return gettext("%(case)s · the offender dropped out of a programme: review safety by %(due)s") % {
            "case": contact.case.code,
            "due": local_date(contact.safety_review_due),
        }
    return gettext("%(case)s · the offender was referred to a programme: contact the partner") % {
        "case": contact.case.code
    }


def _treatment(row: Any) -> str:
    return reverse("offenders:treatment_detail", args=[row.pk])


def _programme(row: Any) -> str:
    return reverse(
        "offenders:programme_referral_detail",
        args=[row.referral_id if hasattr(row, "referral_id") else row.pk],
    )


def _contact(row: Any) -> str:
    return reverse("offenders:partner_contact", args=[row.pk])


QUEUES = [
    WorkQueue(
        key="treatment-owed",
        title=_("Treatment referral steps your agency owes, overdue first"),
        empty_message=_("Referrals to compulsory treatment waiting for your agency's step will appear here."),
        action="offenders.view",
        items=steps_owed,
        url_name="offenders:treatment_list",
        url_query="owed=mine",
        describe=describe_step,
        link=_treatment,
        order=61,
    ),
    WorkQueue(
        key="programme-intake",
        title=_("New referrals to your programmes"),
        empty_message=_("Offenders referred to your agency's programmes will appear here."),
        action="offenders.programme",
        items=provider_intake,
        url_name="offenders:programme_referral_list",
        describe=describe_intake,
        link=_programme,
        order=62,
    ),
    WorkQueue(
        key="programme-absences",
        title=_("Unacceptable absences from offender programmes"),
        empty_message=_("When an offender you referred misses a session without a reason, it appears here."),
        action="offenders.refer",
        items=absences_to_follow,
        url_name="offenders:programme_referral_list",
        describe=describe_absence,
        link=_programme,
        order=63,
    ),
    WorkQueue(
        key="partner-contacts",
        title=_("Partner contacts and safety reviews"),
        empty_message=_("When a victim's partner is referred to a programme or drops out, it appears here."),
        action="offenders.partner",
        items=partner_contacts,
        url_name="offenders:partner_contact_list",
        describe=describe_contact,
        link=_contact,
        order=64,
    ),
]
