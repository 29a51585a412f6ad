"""What a case holds: safety plans (a new version each time), children, goals, services and sessions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.audit import diff, record
from qorgau.core.models import User
from qorgau.people.models import Person

from ..models import (
    Case,
    CaseChild,
    CaseGoal,
    CaseService,
    SafetyPlan,
    ServiceSession,
    ServiceStatus,
    ServiceType,
    Specialist,
)
from ._common import locked_case, locked_visible, raise_if, refresh_state, require, text
from .specialists import check_qualified

SAFETY_TEXT = ("safe_contacts", "safe_place", "children_plan", "code_word", "hotline_numbers")


def do_record_safety_plan(
    *,
    actor: User,
    case: Case,
    review_due: dt.date,
    safe_contacts: str = "",
    safe_place: str = "",
    documents_ready: bool = False,
    keys_ready: bool = False,
    children_plan: str = "",
    code_word: str = "",
    hotline_numbers: str = "",
) -> SafetyPlan:
    """Record the safety plan made with the victim as a new version (earlier versions are kept)."""
    require(actor, "cases.change")
    values = {
        "safe_contacts": text(safe_contacts),
        "safe_place": text(safe_place),
        "children_plan": text(children_plan),
        "code_word": text(code_word),
        "hotline_numbers": text(hotline_numbers),
    }
    errors: dict[str, Any] = {}
    if not isinstance(review_due, dt.date):
        errors["review_due"] = _("Enter the date the plan is to be reviewed.")
    elif review_due < timezone.localdate():
        errors["review_due"] = _("The review date cannot be in the past.")
    if not (values["safe_contacts"] or values["safe_place"]):
        errors["safe_place"] = _("Record at least a safe contact or a safe place.")
    if len(values["code_word"]) > 100:
        errors["code_word"] = _("The code word is at most 100 characters.")
    raise_if(errors)
    with transaction.atomic():
        case = locked_case(actor, case)
        last = SafetyPlan.objects.filter(case=case).aggregate(v=Max("version"))["v"] or 0
        plan = SafetyPlan.objects.create(
            case=case,
            version=last + 1,
            review_due=review_due,
            documents_ready=bool(documents_ready),
            keys_ready=bool(keys_ready),
            recorded_by=actor,
            **values,
        )
        old_state = case.state
        refresh_state(case)
        # The plan's contents are about the victim: the audit row says which parts were filled, not what.
        new = {
            "version": plan.version,
            "review_due": review_due,
            "documents_ready": plan.documents_ready,
            "keys_ready": plan.keys_ready,
            **{field: "changed" for field in SAFETY_TEXT if values[field]},
        }
        record(actor=actor, action="safety_plan.record", obj=plan, subject=case, changes=diff({}, new))
        if case.state != old_state:
            record(
                actor=actor,
                action="case.state",
                obj=case,
                changes=diff({"state": old_state}, {"state": case.state}),
            )
    return plan


def do_add_child(
    *, actor: User, case: Case, person: Person, needs: Sequence[str] = (), notes: str = ""
) -> CaseChild:
    """Link a child of the victim to the case with the child's own needs (service types)."""
    require(actor, "cases.change")
    needs = sorted(set(needs))
    errors: dict[str, Any] = {}
    if [n for n in needs if n not in ServiceType.values]:
        errors["needs"] = _("Choose needs from the list.")
    if not Person.objects.visible_to(actor, "view").filter(pk=person.pk).exists():
        errors["person"] = _("Person not found.")
    raise_if(errors)
    with transaction.atomic():
        case = locked_case(actor, case)
        if person.pk == case.victim_id:
            raise ValidationError({"person": _("The victim cannot be linked as a child in their own case.")})
        if CaseChild.objects.filter(case=case, person=person).exists():
            raise ValidationError({"person": _("This child is already linked to the case.")})
        child = CaseChild.objects.create(
            case=case, person=person, needs=needs, notes=text(notes), added_by=actor
        )
        record(
            actor=actor,
            action="case_child.add",
            obj=child,
            subject=case,
            changes=diff({}, {"person": person.pk, "needs": needs}),
        )
    return child


def do_add_goal(*, actor: User, case: Case, description: str, due_on: dt.date | None = None) -> CaseGoal:
    """Add a goal to the case plan."""
    require(actor, "cases.change")
    description = text(description)
    if not description:
        raise ValidationError({"description": _("Describe the goal.")})
    with transaction.atomic():
        case = locked_case(actor, case)
        goal = CaseGoal.objects.create(case=case, description=description, due_on=due_on, created_by=actor)
        old_state = case.state
        refresh_state(case)
        record(
            actor=actor,
            action="case_goal.add",
            obj=goal,
            subject=case,
            changes=diff(
                {"state": old_state}, {"description": "changed", "due_on": due_on, "state": case.state}
            ),
        )
    return goal


def do_assign_service(
    *,
    actor: User,
    case: Case,
    type: str,
    specialist: Specialist,
    starts_on: dt.date | None = None,
    goal: CaseGoal | None = None,
    child: CaseChild | None = None,
) -> CaseService:
    """Assign a service of the case plan to a specialist qualified for its type on the day it starts.

    A missing, expired or not yet valid qualification blocks the assignment with a message naming it.
    """
    require(actor, "cases.change")
    starts_on = starts_on or timezone.localdate()
    if type not in ServiceType.values:
        raise ValidationError({"type": _("Choose the type of service.")})
    if not Specialist.objects.visible_to(actor, "view").filter(pk=specialist.pk).exists():
        raise ValidationError({"specialist": _("Specialist not found.")})
    check_qualified(specialist, type, starts_on)
    with transaction.atomic():
        case = locked_case(actor, case)
        if goal is not None and goal.case_id != case.pk:
            raise ValidationError({"goal": _("The goal belongs to another case.")})
        if child is not None and child.case_id != case.pk:
            raise ValidationError({"child": _("The child is not linked to this case.")})
        service = CaseService.objects.create(
            case=case,
            type=type,
            specialist=specialist,
            starts_on=starts_on,
            goal=goal,
            child=child,
            created_by=actor,
        )
        old_state = case.state
        refresh_state(case)
        record(
            actor=actor,
            action="case_service.assign",
            obj=service,
            subject=case,
            changes=diff(
                {"state": old_state},
                {
                    "type": type,
                    "specialist": specialist.pk,
                    "starts_on": starts_on,
                    "goal": getattr(goal, "pk", None),
                    "child": getattr(child, "pk", None),
                    "state": case.state,
                },
            ),
        )
    return service


def do_record_session(
    *, actor: User, service: CaseService, held_on: dt.date, duration_minutes: int, outcome: str
) -> ServiceSession:
    """Record one session or act of a service (the assigned worker or the specialist who delivers it)."""
    require(actor, "cases.change")
    outcome = text(outcome)
    errors: dict[str, Any] = {}
    if not isinstance(held_on, dt.date):
        errors["held_on"] = _("Enter the date of the session.")
    elif held_on > timezone.localdate():
        errors["held_on"] = _("A session cannot be recorded before it took place.")
    if type(duration_minutes) is not int or not 1 <= duration_minutes <= 24 * 60:
        errors["duration_minutes"] = _("The duration is a whole number of minutes, from 1 to 1440.")
    if not outcome:
        errors["outcome"] = _("Record the outcome of the session.")
    raise_if(errors)
    with transaction.atomic():
        service = locked_visible(CaseService, service, actor, "change")
        if service.case.is_closed:
            raise ValidationError({"__all__": _("The case is closed; reopen it before recording anything.")})
        if service.status != ServiceStatus.ACTIVE:
            raise ValidationError({"__all__": _("The service has ended; no sessions can be added to it.")})
        if isinstance(held_on, dt.date) and held_on < service.starts_on:
            raise ValidationError({"held_on": _("The session cannot be before the service started.")})
        session = ServiceSession.objects.create(
            service=service,
            held_on=held_on,
            duration_minutes=duration_minutes,
            outcome=outcome,
            recorded_by=actor,
        )
        record(
            actor=actor,
            action="service_session.record",
            obj=session,
            subject=service.case,
            changes=diff(
                {}, {"held_on": held_on, "duration_minutes": duration_minutes, "outcome": "changed"}
            ),
        )
        if not ServiceSession.objects.visible_to(actor, "view").filter(pk=session.pk).exists():
            raise PermissionDenied("The saved record would be outside your scope.")
    return session
