"""The pages in the three languages: the questions in the page's language, the result's criteria named."""

from __future__ import annotations

import pytest
from django.test import Client

from qorgau.core.testing import otp_login

from .factories import RiskWorld

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "question", "button"),
    [
        ("kk", "Осы оқиғада сізге дене жарақаты келтірілді ме?", "Жобаны сақтау"),
        ("ru", "Причинены ли вам телесные повреждения в результате этого случая?", "Сохранить черновик"),
        ("en", "Has the current incident resulted in an injury?", "Save the draft"),
    ],
)
def test_the_questions_in_the_pages_language(
    world: RiskWorld, language: str, question: str, button: str
) -> None:
    draft = world.start()
    client = otp_login(Client(), world.inspector)
    page = client.get(f"/risk/assessments/{draft.pk}/edit/", headers={"Accept-Language": language})
    assert page.status_code == 200
    text = page.content.decode()
    assert question in text and button in text


def test_draft_then_complete_through_the_page(world: RiskWorld) -> None:
    draft = world.start()
    client = otp_login(Client(headers={"Accept-Language": "en"}), world.inspector)
    items = list(draft.version.items.order_by("position"))
    first = {f"item_{item.pk}": "yes" for item in items[:5]}
    saved = client.post(f"/risk/assessments/{draft.pk}/edit/", {"action": "save", **first})
    assert saved.status_code == 302 and saved["Location"].endswith("/edit/")
    incomplete = client.post(f"/risk/assessments/{draft.pk}/edit/", {"action": "complete", **first})
    assert incomplete.status_code == 200 and "19 left" in incomplete.content.decode()
    every = {f"item_{item.pk}": "no" for item in items} | first
    lowered = client.post(
        f"/risk/assessments/{draft.pk}/edit/",
        {"action": "complete", **every, "judgement_band": "high", "judgement_reason": ""},
    )
    assert "Say why your professional judgement raises the level." in lowered.content.decode()
    done = client.post(
        f"/risk/assessments/{draft.pk}/edit/",
        {
            "action": "complete",
            **every,
            "judgement_band": "high",
            "judgement_reason": "Threats with a knife.",
        },
    )
    assert done.status_code == 302
    result = client.get(done["Location"]).content.decode()
    assert 'data-criterion="judgement" data-met="yes"' in result
    assert 'data-criterion="high_risk" data-met="no"' in result
    assert "The level was raised from standard to high." in result
    signal_page = client.get(
        f"/signals/{draft.signal_id}/", headers={"Accept-Language": "en"}
    ).content.decode()
    assert f'data-assessment="{draft.pk}"' in signal_page  # the panel on the signal page
