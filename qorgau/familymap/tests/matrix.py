"""Scope cases of every family map route (see qorgau/core/testing_matrix.py).

Runs and rule sets are national (one map of the country, one set of standard rules): a Shymkent analyst
opens the same run, but its figures are those of the user's scope, so the Astana rows must not show.
The world: a finished refresh with Astana and Shymkent aggregates, a failed refresh, a draft.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from qorgau.core.models import District, User
from qorgau.core.permissions import Scope
from qorgau.core.testing import UserFactory, role
from qorgau.core.testing_matrix import Case, World, builds

from ..engine.rules import default_document
from ..models import DistrictAggregate, RuleSet, RuleSetStatus, Run, RunKind, RunStatus

ANALYST = "fm_analyst"
NATIONAL = "runs and rule sets are national: the Shymkent analyst's answer is the same, with no region's rows"


@builds(ANALYST)
def _analyst(w: World) -> User:
    user = UserFactory.create(
        username="matrix_fm_analyst",
        agency=w.p.astana_police,
        role=role("analyst"),
        scope=Scope.REGIONS,
        regions=[w.p.astana],
    )
    return User.objects.get(pk=user.pk)


def _run(w: World, number: int, status: str) -> Run:
    return Run.objects.create(
        number=number,
        kind=RunKind.REFRESH,
        status=status,
        rule_set=RuleSet.objects.get(status=RuleSetStatus.PUBLISHED),
        reference_date=dt.date(2026, 12, 1),
        run_dir=f"/nonexistent/familymap/{number}",
        active=None,
        started_by=w.user(ANALYST),
    )


@builds("fm_done")
def _done(w: World) -> Run:
    run = _run(w, 901, RunStatus.DONE)
    district = District.objects.create(region=w.p.astana, code="FM-71-01", name_en="Matrix district")
    for region, code, d in ((w.p.astana, "FM-71-01", district), (w.p.shymkent, "FM-79-01", None)):
        DistrictAggregate.objects.create(
            run=run,
            region=region,
            district=d,
            district_code=code,
            families=10,
            identified=2,
            headcount=0.2,
            intensity=0.5,
            adjusted_headcount=0.1,
            levels={"A": 5, "B": 3, "C": 2, "D": 0, "E": 0},
        )
    return run


@builds("fm_failed")
def _failed(w: World) -> Run:
    run = _run(w, 902, RunStatus.FAILED)
    run.stages = {"validate": {"status": "failed", "error": "bad file"}}
    run.save(update_fields=["stages"])
    return run


@builds("fm_draft")
def _draft(w: World) -> RuleSet:
    return RuleSet.objects.create(
        version=900, name="Matrix draft", document=default_document(), created_by=w.user(ANALYST)
    )


def pk(name: str) -> Any:
    return lambda w: {"pk": w[name].pk}


def _queued(w: World, response: Any) -> None:
    assert Run.objects.filter(status=RunStatus.QUEUED, kind=RunKind.REFRESH).exists()


def _resumed(w: World, response: Any) -> None:
    assert Run.objects.get(pk=w["fm_failed"].pk).status == RunStatus.QUEUED


def _published(w: World, response: Any) -> None:
    assert RuleSet.objects.get(pk=w["fm_draft"].pk).status == RuleSetStatus.PUBLISHED


CASES = [
    Case("familymap:run_list", "GET", ANALYST, 200, other_region=None, why=NATIONAL),
    Case("familymap:run_list", "POST", ANALYST, 302, other_region=None, why=NATIONAL, check=_queued),
    Case(
        "familymap:run_detail",
        "GET",
        ANALYST,
        200,
        kwargs=pk("fm_done"),
        other_region=200,
        shows=lambda w: 'data-aggregate="KZ-71/FM-71-01"',
        why=NATIONAL,
    ),
    Case(
        "familymap:run_resume",
        "POST",
        ANALYST,
        302,
        kwargs=pk("fm_failed"),
        other_region=None,
        why=NATIONAL,
        check=_resumed,
    ),
    Case("familymap:ruleset_list", "GET", ANALYST, 200, other_region=None, why=NATIONAL),
    Case("familymap:ruleset_list", "POST", ANALYST, 302, other_region=None, why=NATIONAL),
    Case(
        "familymap:ruleset_detail",
        "GET",
        ANALYST,
        200,
        kwargs=pk("fm_draft"),
        other_region=None,
        why=NATIONAL,
    ),
    Case(
        "familymap:ruleset_detail",
        "POST",
        ANALYST,
        302,
        kwargs=pk("fm_draft"),
        data=lambda w: {"name": "Matrix draft 2", "document": json.dumps(default_document())},
        other_region=None,
        why=NATIONAL,
    ),
    Case(
        "familymap:ruleset_dry_run",
        "POST",
        ANALYST,
        302,
        kwargs=pk("fm_draft"),
        other_region=None,
        why=NATIONAL,
    ),
    Case(
        "familymap:ruleset_publish",
        "POST",
        ANALYST,
        302,
        kwargs=pk("fm_draft"),
        other_region=None,
        why=NATIONAL,
        check=_published,
    ),
]
