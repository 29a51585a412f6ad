"""Scope cases of every portal route (see qorgau/core/testing_matrix.py).

The world: an Astana akimat's district social worker who records prevention activities, and one activity
of Astana. The Shymkent twin works at a Shymkent akimat: the activity is not theirs (404), and they cannot
record one in Astana. The public help page (/help/) is exempt: it has no login and no personal data,
its own tests (test_public.py, test_messages.py) check what it must never show or keep.
"""

from __future__ import annotations

from typing import Any

from qorgau.core.models import AgencyType, User
from qorgau.core.permissions import Scope
from qorgau.core.testing import AgencyFactory, UserFactory, role
from qorgau.core.testing_matrix import Case, World, builds

from ..models import Activity
from .factories import activity_values

WORKER = "prev_worker"
OTHER_REGION_FORM = (
    "the Astana region is not among the twin's regions: the form says so (200), nothing written"
)
OTHER_REGION_API = "the Astana region is not one the twin works in: 400 on the region, nothing written"


@builds(WORKER)
def _worker(w: World) -> User:
    akimat = AgencyFactory.create(type=AgencyType.AKIMAT, region=w.p.astana, name="Astana City Akimat")
    return UserFactory.create(
        username="prev_worker", agency=akimat, role=role("district_social_worker"), scope=Scope.AGENCY
    )


@builds("prev_activity")
def _activity(w: World) -> Activity:
    from ..services import do_record_activity

    return do_record_activity(actor=w.user(WORKER), **activity_values(w.p, title="Matrix school hour"))


def pk(w: World) -> dict[str, int]:
    return {"pk": w["prev_activity"].pk}


def form(w: World) -> dict[str, Any]:
    values = activity_values(w.p, title="Matrix new activity")
    return {
        **values,
        "region": w.p.astana.pk,
        "district": "",
        "starts_on": "2026-03-02",
        "ends_on": "2026-03-02",
    }


def created(w: World, response: Any) -> None:
    assert Activity.objects.filter(title="Matrix new activity").exists()


def changed(w: World, response: Any) -> None:
    assert Activity.objects.get(pk=w["prev_activity"].pk).reach == 777


CASES = [
    Case("portal:activity_list", "GET", WORKER, 200, shows=lambda w: w["prev_activity"].code),
    # The region choices are the user's own: the twin is not offered Astana.
    Case(
        "portal:activity_create",
        "GET",
        WORKER,
        200,
        shows=lambda w: f'<option value="{w.p.astana.pk}">{w.p.astana.name}</option>',
    ),
    Case(
        "portal:activity_create",
        "POST",
        WORKER,
        302,
        data=form,
        check=created,
        other_region=200,
        why=OTHER_REGION_FORM,
    ),
    Case("portal:activity_detail", "GET", WORKER, 200, kwargs=pk),
    Case("portal:activity_edit", "GET", WORKER, 200, kwargs=pk),
    Case(
        "portal:activity_edit",
        "POST",
        WORKER,
        302,
        kwargs=pk,
        data=lambda w: form(w) | {"reach": 777},
        check=changed,
    ),
    Case("portal:activity_evaluation", "GET", WORKER, 200, kwargs=pk),
    Case("activity-list", "GET", WORKER, 200, shows=lambda w: f'"code":"{w["prev_activity"].code}"'),
    Case(
        "activity-list",
        "POST",
        WORKER,
        201,
        data=lambda w: form(w) | {"district": None},
        headers={"Idempotency-Key": "matrix-portal-1"},
        check=created,
        other_region=400,
        why=OTHER_REGION_API,
    ),
    Case("activity-detail", "GET", WORKER, 200, kwargs=pk),
    Case("activity-detail", "PATCH", WORKER, 200, kwargs=pk, data=lambda w: {"reach": 777}, check=changed),
    Case("activity-evaluation", "GET", WORKER, 200, kwargs=pk),
]

_PUBLIC = "the public help page: no login by design, no personal data shown (portal/tests/test_public.py)"
EXEMPT: dict[str, str] = {
    "help:choose_language": _PUBLIC,
    "help:away": _PUBLIC,
    "help:home": _PUBLIC,
    "help:page": _PUBLIC,
    "help:regions": _PUBLIC,
    "help:region": _PUBLIC,
    "help:write": "the public 'write to us' form: anonymous by design, rate-limited (test_messages.py)",
    "help:add": "the public addition to a message: anonymous by design, rate-limited (test_messages.py)",
}
