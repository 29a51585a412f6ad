"""The pages: the signal page's panel starts the referral; the one-window page shows the step, who acts
next, by when and overdue; a refused step comes back into the form with its message."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qorgau.core.testing import otp_login

from ..models import TreatmentReferral
from .factories import OffenderWorld

pytestmark = pytest.mark.django_db


def test_the_signal_page_offers_the_offender_track_to_the_inspector_only(ow: OffenderWorld) -> None:
    url = reverse("intake:signal_detail", args=[ow.signal.pk])
    page = otp_login(Client(), ow.inspector).get(url).content.decode()
    assert 'data-panel="offenders-track"' in page
    assert reverse("offenders:treatment_start", args=[ow.signal.pk]) in page


def test_starting_from_the_signal_leads_to_the_one_window_page(ow: OffenderWorld) -> None:
    client = otp_login(Client(), ow.inspector)
    answer = client.post(
        reverse("offenders:treatment_start", args=[ow.signal.pk]),
        {
            "offender": ow.offender.pk,
            "dependence": "alcohol",
            "grounds": "Repeated signals.",
            "documents": ["signal_report"],
        },
    )
    referral = TreatmentReferral.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse(
        "offenders:treatment_detail", args=[referral.pk]
    )
    TreatmentReferral.objects.filter(pk=referral.pk).update(step_due=timezone.now() - dt.timedelta(days=2))
    page = client.get(answer["Location"]).content.decode()
    assert "data-next-step" in page and "Astana City Police Department" in page
    assert "badge text-bg-danger" in page  # overdue
    assert page.count("<li>") >= 2  # the checklist of the next move


def test_a_refused_step_shows_its_message_in_the_form(ow: OffenderWorld) -> None:
    referral = ow.start()
    client = otp_login(Client(), ow.inspector)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    answer = client.post(
        reverse("offenders:treatment_step", args=[referral.pk]),
        {"to": "examination", "documents": ["signal_report"]},
    )
    assert answer.status_code == 200
    text = answer.content.decode()
    assert "Choose the health facility that examines." in text
    assert "Confirm the documents your agency holds" in text


def test_the_analyst_page_shows_the_tiles(ow: OffenderWorld) -> None:
    ow.advance_to(ow.start(), "waiting")
    page = otp_login(Client(), ow.analyst).get(reverse("offenders:reoffending")).content.decode()
    assert 'data-tile="unexecuted"' in page
    assert '<p class="display-6 mb-0">1</p>' in page


def test_the_facility_sees_the_regions_beds_while_the_decision_waits(ow: OffenderWorld) -> None:
    referral = ow.advance_to(ow.start(), "waiting")
    page = otp_login(Client(), ow.facility_manager).get(
        reverse("offenders:treatment_detail", args=[referral.pk])
    )
    text = page.content.decode()
    assert "data-beds" in text and "Astana Drug Treatment Centre" in text
    assert "10" in text.split("data-beds", 1)[1].split("</section>", 1)[0]  # its 10 places


def test_a_breach_found_at_a_check_is_registered_as_a_new_signal(ow: OffenderWorld) -> None:
    from qorgau.intake.models import PartyRole, Signal

    from ..services import do_record_requirement

    requirement = do_record_requirement(
        actor=ow.inspector,
        signal=ow.signal,
        offender=ow.offender,
        kinds=["no_contact"],
        months=6,
        starts_on=timezone.localdate(),
        court_reference="2-5/2026",
    )
    client = otp_login(Client(), ow.inspector)
    page = client.get(reverse("intake:signal_detail", args=[ow.signal.pk])).content.decode()
    assert reverse("offenders:requirement_check", args=[requirement.pk]) in page
    answer = client.post(
        reverse("offenders:requirement_check", args=[requirement.pk]),
        {
            "checked_on": timezone.localdate().isoformat(),
            "complied": "no",
            "violence_forms": ["psychological"],
        },
    )
    breach = Signal.objects.exclude(pk=ow.signal.pk).get()
    assert answer.status_code == 302 and answer["Location"] == reverse(
        "intake:signal_detail", args=[breach.pk]
    )
    assert breach.parties.filter(role=PartyRole.OFFENDER, person=ow.offender).exists()
    assert breach.parties.filter(role=PartyRole.VICTIM, person=ow.victim).exists()
    assert requirement.checks.get().breach_signal == breach
