"""The referral criteria of the risk conference, each evaluated with the figures behind it (DOMAIN.md 6):

- high_risk: the score is at or above the threshold of a level that refers (14 "yes" for the DASH default);
- escalation: N or more signals with this victim as a victim within the rule's window (3 in 365 days);
- repeat: a conference discussed this victim within the rule's window before this assessment;
- judgement: professional judgement raised the level to one that refers.

A criterion is stored as {code, met, params}; `describe` words it in the page's language. The signals and
conferences counted are those the assessor sees (`visible_to`), as everything the assessor reads.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qorgau.intake.models import PartyRole, SignalParty

from ..models import Assessment, ConferenceReferral, InstrumentVersion, ReferralRule, ReferralStatus
from ..scoring import Result, rank

CODES = ("high_risk", "escalation", "repeat", "judgement")
TITLES = {
    "high_risk": gettext_lazy("High risk (score at or above the threshold)"),
    "escalation": gettext_lazy("Potential escalation"),
    "repeat": gettext_lazy("Repeat incident after a conference"),
    "judgement": gettext_lazy("Professional judgement"),
}


def titles(codes: list[str]) -> str:
    """The criteria codes of a referral, named in the active language."""
    return ", ".join(str(TITLES.get(code, code)) for code in codes)


def signals_in_window(actor: Any, victim: Any, at: dt.datetime, days: int) -> int:
    """Signals in the actor's view with `victim` as a victim, received within `days` before `at`."""
    return (
        SignalParty.objects.visible_to(actor)
        .filter(
            person=victim,
            role=PartyRole.VICTIM,
            signal__received_at__gt=at - dt.timedelta(days=days),
            signal__received_at__lte=at,
        )
        .values("signal")
        .distinct()
        .count()
    )


def last_conference(actor: Any, victim: Any, before: dt.date) -> dt.date | None:
    """The date of the last conference that discussed `victim`, on or before `before`, in the actor's view."""
    referral = (
        ConferenceReferral.objects.visible_to(actor)
        .filter(victim=victim, status=ReferralStatus.DISCUSSED, conference__date__lte=before)
        .order_by("-conference__date")
        .values_list("conference__date", flat=True)
        .first()
    )
    return referral


def evaluate(
    *,
    actor: Any,
    assessment: Assessment,
    version: InstrumentVersion,
    rule: ReferralRule,
    result: Result,
    at: dt.datetime,
) -> list[dict[str, Any]]:
    bands = version.band_list()
    threshold = version.referral_threshold
    criteria: list[dict[str, Any]] = []
    criteria.append(
        {
            "code": "high_risk",
            "met": threshold is not None and result.score >= threshold,
            "params": {"score": result.score, "threshold": threshold, "items": version.items.count()},
        }
    )
    count = signals_in_window(actor, assessment.victim, at, rule.escalation_days)
    criteria.append(
        {
            "code": "escalation",
            "met": count >= rule.escalation_signals,
            "params": {"count": count, "needed": rule.escalation_signals, "days": rule.escalation_days},
        }
    )
    day = at.date()
    last = last_conference(actor, assessment.victim, day)
    within = last is not None and (day - last).days <= rule.repeat_days
    criteria.append(
        {
            "code": "repeat",
            "met": within,
            "params": {"last": last.isoformat() if last else None, "days": rule.repeat_days},
        }
    )
    raised = rank(result.final_band, bands) > rank(result.band, bands)
    final = version.band(result.final_band)
    criteria.append(
        {
            "code": "judgement",
            "met": raised and bool(final and final.refer),
            "params": {"from": result.band, "to": result.final_band, "raised": raised},
        }
    )
    return criteria


def describe(criterion: dict[str, Any], version: InstrumentVersion | None = None) -> tuple[str, str]:
    """(title, reason) of a stored criterion, in the active language."""
    code, met, p = criterion.get("code"), criterion.get("met"), criterion.get("params") or {}

    def label(band: str) -> str:
        found = version.band(band) if version else None
        return found.label if found else band

    match code:
        case "high_risk":
            title = str(TITLES["high_risk"])
            if p.get("threshold") is None:
                reason = _("This version has no level that refers to the conference.")
            elif met:
                reason = _('%(score)s "yes" answers: at or above the threshold of %(threshold)s.') % p
            else:
                reason = _('%(score)s "yes" answers: below the threshold of %(threshold)s.') % p
        case "escalation":
            title = str(TITLES["escalation"])
            reason = (
                _(
                    "Signals with this victim in the last %(days)s days: %(count)s; "
                    "%(needed)s or more show escalation."
                )
                % p
            )
        case "repeat":
            title = str(TITLES["repeat"])
            if p.get("last"):
                reason = _("Last discussed at a conference on %(last)s; the window is %(days)s days.") % p
            else:
                reason = _("No conference has discussed this victim.")
        case "judgement":
            title = str(TITLES["judgement"])
            if p.get("raised"):
                reason = _("The level was raised from %(from)s to %(to)s.") % {
                    "from": label(p.get("from", "")),
                    "to": label(p.get("to", "")),
                }
            else:
                reason = _("The level was not raised.")
        case _other:
            title, reason = str(code), ""
    return title, reason
