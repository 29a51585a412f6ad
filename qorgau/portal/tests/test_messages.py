"""Write to us: a message arrives as a signal in the right region's queue; a flood from one address is
refused after the limit with nothing stored; bad input gets a clear error and keeps the text."""

from __future__ import annotations

import pytest
from django.test import Client

from qorgau.core.models import AgencyType, AuditEvent
from qorgau.core.testing import AgencyFactory, Personas
from qorgau.intake.models import Channel, Signal

from ..models import MessageThrottle, PublicMessage
from ..services.messages import PER_HOUR, SERVICE_ACCOUNT, reference_hash, sender_bucket
from .factories import token

TEXT = "My neighbour's husband beats her every evening; the children are scared."


def post(client: Client, path: str = "/help/en/write/", ip: str = "10.0.0.7", **data: object):
    body = {"token": token(), "website": "", **data}
    return client.post(path, body, REMOTE_ADDR=ip)


def stored() -> tuple[int, int, int]:
    return Signal.objects.count(), PublicMessage.objects.count(), MessageThrottle.objects.count()


@pytest.mark.django_db
def test_a_message_becomes_a_signal_of_the_region_for_its_staff(personas: Personas) -> None:
    response = post(Client(), region=personas.astana.pk, text=TEXT, children="on")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your message was received" in html
    assert not response.cookies
    signal = Signal.objects.get()
    assert signal.channel == Channel.ONLINE_MESSAGE
    assert signal.region == personas.astana
    assert signal.agency == personas.astana_police  # the region's police department works it
    assert signal.anonymous_reporter and signal.children_present
    assert signal.account == TEXT
    assert signal.registered_by.username == SERVICE_ACCOUNT
    assert signal.first_contact_due > signal.received_at
    # In the queue of the region's staff, not of another region's.
    assert Signal.objects.visible_to(personas.astana_officer).filter(pk=signal.pk).exists()
    assert Signal.objects.visible_to(personas.astana_chair).filter(pk=signal.pk).exists()
    assert not Signal.objects.visible_to(personas.shymkent_worker).filter(pk=signal.pk).exists()
    # The reference is shown once and only its hash kept; the audit row has no network address.
    ref = html.split('<p class="ref">')[1].split("</p>")[0].strip()
    assert len(ref) == 14 and PublicMessage.objects.get().reference_hash == reference_hash(ref)
    assert ref not in str(list(PublicMessage.objects.values()))
    event = AuditEvent.objects.get(action="signal.register", object_id=str(signal.pk))
    assert event.ip is None
    assert "10.0.0.7" not in str(list(MessageThrottle.objects.values()))
    assert MessageThrottle.objects.get().bucket == sender_bucket("10.0.0.7")


@pytest.mark.django_db
def test_the_message_goes_to_the_other_region_when_chosen(personas: Personas) -> None:
    shymkent_police = AgencyFactory.create(type=AgencyType.POLICE, region=personas.shymkent)
    post(Client(), region=personas.shymkent.pk, text=TEXT)
    signal = Signal.objects.get()
    assert (signal.region, signal.agency) == (personas.shymkent, shymkent_police)
    assert not Signal.objects.visible_to(personas.astana_officer).filter(pk=signal.pk).exists()


@pytest.mark.django_db
def test_a_flood_from_one_address_is_refused_after_the_limit_with_nothing_stored(personas: Personas) -> None:
    client = Client()
    for i in range(PER_HOUR):
        assert post(client, region=personas.astana.pk, text=f"{TEXT} {i}").status_code == 200
    before = stored()
    assert before == (PER_HOUR, PER_HOUR, PER_HOUR)
    refused = post(client, region=personas.astana.pk, text="one more")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    html = refused.content.decode()
    assert "Too many messages from this connection" in html
    assert "one more" in html  # the text is kept on the page
    assert stored() == before
    # Another address is not affected.
    assert post(client, ip="10.0.0.8", region=personas.astana.pk, text=TEXT).status_code == 200


@pytest.mark.django_db
def test_an_oversized_message_gets_a_clear_error_and_keeps_the_text(personas: Personas) -> None:
    long_text = "x" * 2001
    response = post(Client(), region=personas.astana.pk, text=long_text)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "at most 2000 characters (it has 2001)" in html
    assert long_text in html
    assert "maxlength" not in html
    assert stored() == (0, 0, 0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": TEXT}, "This field is required."),
        ({"region": "abc", "text": TEXT}, "Select a valid choice."),
        ({"region": "PERSONA", "text": "   "}, "This field is required."),
        ({"region": "PERSONA", "text": TEXT, "token": "forged"}, "Your text is kept: please send it again."),
        ({"region": "PERSONA", "text": TEXT, "token": "FRESH"}, "That was very quick."),
        ({"region": "PERSONA", "text": TEXT, "website": "http://spam"}, "could not be sent"),
    ],
)
def test_malformed_input_gets_a_clear_error_and_nothing_is_stored(
    personas: Personas, data: dict[str, str], message: str
) -> None:
    if data.get("region") == "PERSONA":
        data["region"] = str(personas.astana.pk)
    if data.get("token") == "FRESH":
        data["token"] = token(seconds_ago=0)
    response = post(Client(), **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert stored() == (0, 0, 0)


@pytest.mark.django_db
def test_a_post_from_another_site_is_refused(personas: Personas) -> None:
    response = Client().post(
        "/help/en/write/",
        {"token": token(), "region": personas.astana.pk, "text": TEXT},
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    assert stored() == (0, 0, 0)


@pytest.mark.django_db
def test_the_writer_adds_to_the_message_with_the_reference(personas: Personas) -> None:
    client = Client()
    html = post(client, region=personas.astana.pk, text=TEXT).content.decode()
    ref = html.split('<p class="ref">')[1].split("</p>")[0].strip()
    added = post(client, "/help/ru/write/add/", reference=ref.lower(), text="He has a knife.")
    assert added.status_code == 200
    signal = Signal.objects.get()
    assert signal.account.startswith(TEXT) and signal.account.endswith("He has a knife.")
    assert PublicMessage.objects.get().additions == 1
    wrong = post(client, "/help/en/write/add/", reference="AAAA-BBBB-CCCC", text="more")
    assert wrong.status_code == 400
    assert "No message with this reference" in wrong.content.decode()
    assert Signal.objects.get().account == signal.account


@pytest.mark.django_db
def test_the_service_account_cannot_sign_in_or_see_anything(personas: Personas) -> None:
    from qorgau.core.models import User

    account = User.objects.get(username=SERVICE_ACCOUNT)
    assert not account.is_active and not account.has_usable_password()
    assert account.role_id is None and account.agency_id is None
    assert not Signal.objects.visible_to(account).exists() or True
    assert list(Signal.objects.visible_to(account)) == []
