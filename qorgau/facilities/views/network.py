"""The network manager's page (facilities.network): occupancy and vacancies by region and type today,
turn-aways and average stay over the last 30 days, and the facilities whose data is stale. Counts only."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from qorgau.core.views_base import require_action

from ..queries import occupancy, stale_facilities, turnaways_and_stays

PERIOD = dt.timedelta(days=30)


@login_required
@require_safe
def network(request: HttpRequest) -> HttpResponse:
    require_action(request, "facilities.network")
    context = {
        **occupancy(request.user),
        "stale": list(stale_facilities(request.user)[:200]),
        "period": turnaways_and_stays(request.user, timezone.now() - PERIOD),
        "period_days": PERIOD.days,
    }
    return render(request, "facilities/network.html", context)
