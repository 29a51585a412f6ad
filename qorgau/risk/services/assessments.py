"""Assessments: started with a victim of a signal or the victim of a case, answered (saved as a draft as
often as needed), completed: the version's rule computes the score and level, professional judgement may
raise it with a reason (never lower it), the conference criteria are evaluated, and a victim who meets any
of them is referred to the risk conference."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau.cases.models import Case
from qorgau.core.audit import record
from qorgau.core.idempotency import once
from qorgau.intake.models import PartyRole, Signal
from qorgau.people.models import Person

from ..models import (
    Answer,
    AnswerValue,
    Assessment,
    AssessmentStatus,
    ConferenceReferral,
    InstrumentMissing,
    InstrumentVersion,
    ReferralRule,
)
from ..scoring import JudgementError, result
from ._common import ensure_still_visible, locked_visible, raise_if, require, text
from .criteria import evaluate

DEFAULT_INSTRUMENT = "dash"


@transaction.atomic
def do_start_assessment(
    *,
    actor: Any,
    victim: Person,
    signal: Signal | None = None,
    case: Case | None = None,
    with_victim: bool = True,
    instrument: str = DEFAULT_INSTRUMENT,
    idempotency_key: str | None = None,
) -> Assessment:
    """A draft assessment of `victim` for `signal` (one of its victims) or `case` (its victim), on the
    version of `instrument` in force today. With `idempotency_key` (core/idempotency.py) a retry returns
    the assessment it started (`idempotent_replay` set) and starts nothing."""
    require(actor, "risk.assess")
    if idempotency_key:
        payload = {
            "victim": victim.pk,
            "signal": getattr(signal, "pk", None),
            "case": getattr(case, "pk", None),
            "with_victim": bool(with_victim),
        }
        assessment, replayed = once(
            actor=actor,
            operation="risk.start_assessment",
            key=idempotency_key,
            payload=payload,
            model=Assessment,
            create=lambda: do_start_assessment(
                actor=actor,
                victim=victim,
                signal=signal,
                case=case,
                with_victim=with_victim,
                instrument=instrument,
            ),
        )
        assessment.idempotent_replay = replayed
        return assessment
    if (signal is None) == (case is None):
        raise ValidationError({"__all__": _("An assessment belongs to a signal or to a case.")})
    if signal is not None:
        if not Signal.objects.visible_to(actor).filter(pk=signal.pk).exists():
            raise PermissionDenied("Not found.")
        if not signal.parties.filter(person=victim, role=PartyRole.VICTIM).exists():
            raise ValidationError({"victim": _("Choose a victim of this signal.")})
    if case is not None:
        if not Case.objects.visible_to(actor, grants=False).filter(pk=case.pk).exists():
            raise PermissionDenied("Not found.")
        if case.victim_id != victim.pk:
            raise ValidationError({"victim": _("The victim of the case is assessed on the case.")})
    now = timezone.now()
    try:
        version = InstrumentVersion.in_force(instrument, now)
    except InstrumentMissing as exc:
        raise ValidationError({"__all__": _("No version of the instrument is in force today.")}) from exc
    assessment = Assessment.objects.create(
        signal=signal,
        case=case,
        victim=victim,
        version=version,
        with_victim=bool(with_victim),
        assessed_by=actor,
        started_at=now,
    )
    record(
        actor=actor,
        action="assessment.add",
        obj=assessment,
        changes={"version": version.audit_label, "with_victim": assessment.with_victim},
    )
    ensure_still_visible(Assessment, assessment, actor)
    return assessment


def _answers(assessment: Assessment, answers: Mapping[Any, Any]) -> dict[int, str]:
    """The answers by item id, checked against the version's items and the scale ("" clears one)."""
    items = {item.pk: item for item in assessment.version.items.all()}
    by_code = {item.code: item.pk for item in items.values()}
    cleaned: dict[int, str] = {}
    errors: dict[str, Any] = {}
    for key, value in answers.items():
        item_id = by_code.get(key) if isinstance(key, str) and not key.isdigit() else int(key)
        if item_id not in items:
            errors["answers"] = _("An answer names an item that is not in this version.")
            continue
        value = text(value)
        if value and value not in AnswerValue.values:
            errors["answers"] = _("Answer yes, no or don't know.")
            continue
        cleaned[item_id] = value
    raise_if(errors)
    return cleaned


@transaction.atomic
def do_save_assessment(
    *,
    actor: Any,
    assessment: Assessment,
    answers: Mapping[Any, Any],
    judgement_band: str = "",
    judgement_reason: str = "",
    complete: bool = False,
) -> Assessment:
    """Save answers (keyed by item id or code) of a draft; `complete` finishes it: every item answered, the
    result computed, the criteria evaluated, the referral made when one is met."""
    require(actor, "risk.assess")
    assessment = locked_visible(Assessment, assessment, actor, "assess")
    if assessment.is_completed:
        raise ValidationError({"__all__": _("The assessment is completed; start a new one to reassess.")})
    cleaned = _answers(assessment, answers)
    existing = {answer.item_id: answer for answer in assessment.answers.all()}
    for item_id, value in cleaned.items():
        answer = existing.get(item_id)
        if not value:
            if answer is not None:
                answer.delete()
                del existing[item_id]
        elif answer is None:
            existing[item_id] = Answer.objects.create(assessment=assessment, item_id=item_id, value=value)
        elif answer.value != value:
            answer.value = value
            answer.save(update_fields=["value"])
    assessment.judgement_band = text(judgement_band)
    assessment.judgement_reason = text(judgement_reason)
    changes: dict[str, Any] = {"answered": len(existing)}
    if complete:
        changes.update(_complete(actor, assessment, existing))
    assessment.save()
    record(
        actor=actor,
        action="assessment.complete" if complete else "assessment.change",
        obj=assessment,
        changes=changes,
    )
    ensure_still_visible(Assessment, assessment, actor)
    return assessment


def _complete(actor: Any, assessment: Assessment, answers: dict[int, Answer]) -> dict[str, Any]:
    version = assessment.version
    items = list(version.items.values_list("pk", flat=True))
    missing = [pk for pk in items if pk not in answers]
    if missing:
        raise ValidationError(
            {
                "answers": _("Answer every question (don't know is an answer): %(count)s left.")
                % {"count": len(missing)}
            }
        )
    try:
        outcome = result(
            (answer.value for answer in answers.values()),
            version.band_list(),
            assessment.judgement_band,
            assessment.judgement_reason,
        )
    except JudgementError as exc:
        message = {
            "lower": _("Professional judgement may raise the level, never lower it."),
            "reason": _("Say why your professional judgement raises the level."),
        }.get(str(exc), _("Choose a level of this instrument."))
        raise ValidationError({exc.field: message}) from exc
    now = timezone.now()
    try:
        rule = ReferralRule.in_force(now)
    except InstrumentMissing as exc:
        raise ValidationError({"__all__": _("No conference referral rule is in force today.")}) from exc
    if outcome.final_band == outcome.band:
        assessment.judgement_band, assessment.judgement_reason = "", ""
    assessment.score, assessment.band, assessment.final_band = outcome.score, outcome.band, outcome.final_band
    assessment.criteria = evaluate(
        actor=actor, assessment=assessment, version=version, rule=rule, result=outcome, at=now
    )
    assessment.referral_rule = rule
    assessment.refer = any(criterion["met"] for criterion in assessment.criteria)
    assessment.status = AssessmentStatus.COMPLETED
    assessment.completed_at = now
    if assessment.refer:
        _refer(actor, assessment, now)
    return {
        "score": outcome.score,
        "band": outcome.band,
        "final_band": outcome.final_band,
        "criteria_met": [c["code"] for c in assessment.criteria if c["met"]],
    }


def _refer(actor: Any, assessment: Assessment, now: Any) -> ConferenceReferral:
    owner = assessment.signal if assessment.signal_id else assessment.case
    assert owner is not None
    referral = ConferenceReferral.objects.create(
        assessment=assessment,
        victim=assessment.victim,
        case=assessment.case,
        signal=assessment.signal,
        region_id=owner.region_id,
        district_id=owner.district_id,
        agency_id=owner.agency_id,
        referred_at=now,
        referred_by=actor,
        criteria=[c["code"] for c in assessment.criteria if c["met"]],
    )
    record(
        actor=actor, action="conferencereferral.add", obj=referral, changes={"criteria": referral.criteria}
    )
    return referral
