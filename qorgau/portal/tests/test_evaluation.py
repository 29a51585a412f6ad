"""The campaign evaluation: the segmented regression recovers a known step change; the evaluation counts
only the signals in the user's scope."""

from __future__ import annotations

import datetime as dt
import math
import random

import pytest
from django.test import Client
from django.utils import timezone

from qorgau.core.models import User
from qorgau.core.testing import Personas, otp_login
from qorgau.intake.services import do_receive_public_message

from ..evaluation import fit_segmented
from ..queries import evaluate
from ..services.messages import SERVICE_ACCOUNT
from .factories import activity, prevention_worker


def test_a_known_step_change_is_recovered_with_its_interval() -> None:
    rng = random.Random(7)
    start, step = 60, 1.5
    y = [
        2
        + 0.01 * t
        + 0.5 * math.sin(2 * math.pi * t / 52.18)
        + (step if t >= start else 0)
        + rng.gauss(0, 0.2)
        for t in range(110)
    ]
    fit = fit_segmented(y, start)
    low, high = fit.interval("step")
    assert low < step < high
    assert abs(fit.coefficients["step"] - step) < 0.25
    assert abs(fit.coefficients["slope_change"]) < 0.02
    assert abs(fit.coefficients["season_sin"] - 0.5) < 0.1
    # the counterfactual carries the pre-campaign line on; the observed weeks after sit above its band
    after = range(start + 5, 110)
    assert sum(y[t] > fit.high[t] for t in after) > 0.9 * len(after)


def test_no_step_gives_an_interval_around_zero() -> None:
    rng = random.Random(3)
    y = [5 + rng.gauss(0, 0.3) for _ in range(80)]
    low, high = fit_segmented(y, 40).interval("step")
    assert low < 0 < high


def test_too_short_a_series_is_refused() -> None:
    with pytest.raises(ValueError):
        fit_segmented([1.0] * 20, 5)
    with pytest.raises(ValueError):
        fit_segmented([1.0] * 20, 18)


@pytest.mark.django_db
def test_the_evaluation_counts_the_signals_the_user_sees(personas: Personas) -> None:
    via = User.objects.get(username=SERVICE_ACCOUNT)
    starts = dt.date(2025, 3, 3)  # a Monday
    for week in range(-52, 28):
        monday = starts + dt.timedelta(weeks=week)
        for _ in range(1 if week < 0 else 4):
            do_receive_public_message(
                via=via,
                region=personas.astana,
                text="synthetic",
                received_at=timezone.make_aware(dt.datetime.combine(monday, dt.time(12))),
            )
    worker = prevention_worker(personas)
    a = activity(worker, personas, starts_on=starts, ends_on=starts + dt.timedelta(days=13))
    chair = User.objects.get(pk=personas.astana_chair.pk)  # intake.view over Astana
    result = evaluate(chair, a, today=dt.date(2026, 1, 5))
    assert len(result.weeks) == 52 + 2 + 26 and result.start_week == 52 and result.end_week == 54
    assert result.region.counts[:52] == [1] * 52 and result.region.counts[52:] == [4] * 28
    per_signal = 10_000 / personas.astana.population
    assert result.means["region"]["before"] == pytest.approx(per_signal)
    assert result.region.fit is not None
    assert result.region.fit.coefficients["step"] == pytest.approx(3 * per_signal, rel=0.05)
    assert result.sees_signals
    # The worker of the akimat sees no signals: the same page says there is nothing to compare.
    blind = evaluate(worker, a, today=dt.date(2026, 1, 5))
    assert not blind.sees_signals and sum(blind.region.counts) == 0
    page = otp_login(Client(HTTP_ACCEPT_LANGUAGE="en"), chair)
    html = page.get(f"/prevention/{a.pk}/evaluation/").content.decode()
    assert "An association, not proof." in html
    assert "raises reporting first" in html
    assert 'data-series="region"' in html and "<svg" in html
