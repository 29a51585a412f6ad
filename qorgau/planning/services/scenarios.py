"""Scenarios: created by a planner (planning.plan) in a region of their scope, solved by a background task."""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau.core.audit import record
from qorgau.core.models import Region, User
from qorgau.core.permissions import in_scope
from qorgau.facilities import queries as facilities_queries

from ..demand import DEFAULT_RULES, rule_parameters
from ..models import DemandPoint, Scenario, ScenarioModel, ScenarioStatus
from ..solve import SolveError, TravelMatrixError, parse_travel_csv

# name -> (type, lowest, highest, default): the scenario's parameters, as data.
PARAMETERS: dict[str, tuple[type, float, float, Any]] = {
    "p": (int, 0, 200, 3),
    "radius_km": (float, 1, 2000, 100.0),
    "fixed_existing": (bool, 0, 1, True),
    "budget": (float, 0, 1e12, 0.0),
    "site_cost": (float, 0, 1e12, 0.0),
    "bed_cost": (float, 0, 1e12, 0.0),
    "max_new_beds": (int, 0, 1000, 50),
    "time_limit": (int, 1, 600, 120),
}


def clean_parameters(raw: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for name in raw:
        if name not in PARAMETERS:
            errors[name] = _("Unknown parameter.")
    for name, (kind, low, high, default) in PARAMETERS.items():
        value = raw.get(name, default)
        if kind is bool:
            if not isinstance(value, bool):
                errors[name] = _("Enter yes or no.")
            out[name] = bool(value)
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            errors[name] = _("Enter a number.")
            continue
        if not math.isfinite(number) or not low <= number <= high or (kind is int and number != int(number)):
            errors[name] = _("Enter a number from %(low)s to %(high)s.") % {
                "low": f"{low:g}",
                "high": f"{high:g}",
            }
            continue
        out[name] = int(number) if kind is int else number
    if errors:
        raise ValidationError(errors)
    return out


def do_create_scenario(
    *,
    actor: User,
    region: Region,
    name: str,
    facility_type: str,
    model: str,
    parameters: dict[str, Any],
    travel_csv: str = "",
) -> Scenario:
    """Save a scenario after checking every input (nothing is saved when one fails), then enqueue its run."""
    if not actor.can("planning.plan"):
        raise PermissionDenied
    if not in_scope(Region.objects.filter(pk=region.pk), Region.scope_paths, actor).exists():
        raise ValidationError({"region": _("Choose a region of your scope.")})
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name or len(name) > 120:
        errors["name"] = _("Give the scenario a name of at most 120 characters.")
    if facility_type not in DEFAULT_RULES:
        errors["facility_type"] = _("Unknown facility type.")
    if model not in ScenarioModel.values:
        errors["model"] = _("Unknown model.")
    if errors:
        raise ValidationError(errors)
    params = clean_parameters(parameters)
    points = list(DemandPoint.objects.filter(region=region).order_by("id").values_list("code", flat=True))
    if not points:
        raise ValidationError({"region": _("The region has no demand points: nothing to plan.")})
    existing = [
        s
        for s in facilities_queries.planning_supply(actor)
        if s["type"] == facility_type and s["region"] == region.pk
    ]
    if params["p"] > len(points):
        raise ValidationError(
            {
                "p": _("p = %(p)s is larger than the %(n)s candidate sites of the region.")
                % {"p": params["p"], "n": len(points)}
            }
        )
    if model == "p_median" and params["p"] == 0 and not (params["fixed_existing"] and existing):
        raise ValidationError({"p": _("p-median needs at least one facility open.")})
    if travel_csv:
        sites = [f"FAC-{s['facility']:04d}" for s in existing] + points
        try:
            parse_travel_csv(travel_csv, points, sites)
        except TravelMatrixError as exc:
            raise ValidationError({"travel_csv": str(exc)}) from None
    with transaction.atomic():
        scenario = Scenario.objects.create(
            region=region,
            name=name,
            facility_type=facility_type,
            model=model,
            parameters=params,
            demand_rule=rule_parameters(facility_type),
            travel_csv=travel_csv,
            created_by=actor,
        )
        record(
            actor=actor,
            action="scenario.add",
            obj=scenario,
            region=region,
            changes={
                "model": {"old": None, "new": model},
                "facility_type": {"old": None, "new": facility_type},
                "parameters": {"old": None, "new": params},
            },
        )
        pk = scenario.pk
        transaction.on_commit(lambda: _enqueue(pk))
    return scenario


def _enqueue(pk: int) -> None:
    from ..tasks import run_scenario

    run_scenario.enqueue(pk)


def _progress(scenario: Scenario, text: str) -> None:
    Scenario.objects.filter(pk=scenario.pk).update(progress=text[:200])


def do_run_scenario(*, scenario_id: int) -> Scenario:
    """Solve a queued scenario (the task; safe to run twice: a finished scenario is left as it is)."""
    from ..runner import run

    with transaction.atomic():
        scenario = Scenario.objects.select_for_update().select_related("created_by").get(pk=scenario_id)
        if scenario.status in (ScenarioStatus.DONE, ScenarioStatus.FAILED):
            return scenario
        scenario.status = ScenarioStatus.RUNNING
        scenario.save(update_fields=["status"])
    try:
        result = run(scenario, lambda text: _progress(scenario, text))
    except (SolveError, TravelMatrixError) as exc:
        scenario.status, scenario.error, result = ScenarioStatus.FAILED, str(exc)[:500], {}
    else:
        scenario.status, scenario.error = ScenarioStatus.DONE, ""
    with transaction.atomic():
        scenario.result = result
        scenario.progress = ""
        scenario.finished_at = timezone.now()
        scenario.save(update_fields=["status", "error", "result", "progress", "finished_at"])
        record(
            actor=scenario.created_by,
            action="scenario.run",
            obj=scenario,
            region=scenario.region_id,
            changes={
                "status": {"old": "running", "new": scenario.status},
                "optimal": {"old": None, "new": result.get("optimal")},
            },
        )
    return scenario
