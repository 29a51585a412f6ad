"""What the offender track reveals, and to whom.

- The treatment details are visible only to the agencies in the procedure.
- A programme provider sees its own referrals only, and never the victim.
- An abuser who works in an agency (here: the provider's staff member is the offender himself, and a
  narcologist of another health facility) cannot find his partner through this app: no page or API answer
  of the app names the victim, her case, her case worker's agency or the signal's address.
"""

import pytest
from django.test import Client
from django.urls import reverse

from qorgau.core.models import AgencyType, Scope
from qorgau.core.testing import AgencyFactory, api_client, otp_login
from qorgau.intake.models import Signal

from ..models import PartnerContact, ProgrammeReferral, TreatmentReferral
from .factories import OffenderWorld, user

pytestmark = pytest.mark.django_db


def test_treatment_details_are_visible_only_to_the_agencies_in_the_procedure(ow: OffenderWorld) -> None:
    referral = ow.advance_to(ow.start(), "examination")
    other_health = AgencyFactory.create(type=AgencyType.HEALTH, region=ow.p.astana)
    outsider = user("other_narc", other_health, "narcologist")
    assert TreatmentReferral.objects.visible_to(ow.narcologist).filter(pk=referral.pk).exists()
    assert TreatmentReferral.objects.visible_to(ow.inspector).filter(pk=referral.pk).exists()
    assert not TreatmentReferral.objects.visible_to(outsider).exists()
    # The facility joins only when the court sends the person there.
    assert not TreatmentReferral.objects.visible_to(ow.facility_manager).exists()
    assert not TreatmentReferral.objects.visible_to(ow.case_worker).exists()
    assert not TreatmentReferral.objects.visible_to(ow.provider_user).exists()


def test_a_provider_sees_its_own_referrals_only(ow: OffenderWorld) -> None:
    from ..models import Format, Method, Programme, Standard

    mine = ow.refer()
    rival = AgencyFactory.create(type=AgencyType.NGO, region=ow.p.astana)
    theirs_programme = Programme.objects.create(
        agency=rival,
        name="Other",
        method=Method.CBT,
        sessions=8,
        format=Format.INDIVIDUAL,
        languages=["ru"],
        standard=Standard.WWP,
    )
    from ..services import do_refer_to_programme

    do_refer_to_programme(
        actor=ow.inspector, programme=theirs_programme, offender=ow.offender, basis="police", signal=ow.signal
    )
    assert list(ProgrammeReferral.objects.visible_to(ow.provider_user)) == [mine]


def test_the_offender_working_at_the_provider_cannot_find_his_partner(ow: OffenderWorld) -> None:
    referral = ow.refer()
    # The provider's staff (think of the offender himself employed there) reads the referral page and API.
    client = otp_login(Client(), ow.provider_user)
    page = client.get(reverse("offenders:programme_referral_detail", args=[referral.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    api = api_client(ow.provider_user).get(f"/api/offenders/programme-referrals/{referral.pk}/")
    assert api.status_code == 200
    text = body + api.content.decode()
    for secret in (
        ow.victim.surname + " " + ow.victim.given_name[:1],
        ow.victim.given_name,
        ow.case.code,
        ow.centre.name,
        ow.signal.registration_number,
    ):
        assert secret not in text, secret
    # The signal itself, with its parties, stays out of reach, and so does the partner contact.
    assert not Signal.objects.visible_to(ow.provider_user).exists()
    assert not PartnerContact.objects.visible_to(ow.provider_user, "view").exists()
    assert api_client(ow.provider_user).get("/api/offenders/partner-contacts/").status_code == 403


def test_the_partner_contact_belongs_to_the_victims_case_only(ow: OffenderWorld) -> None:
    ow.refer()
    other_centre = AgencyFactory.create(type=AgencyType.CRISIS_CENTRE, region=ow.p.astana)
    other_worker = user("other_cw", other_centre, "case_worker", scope=Scope.AGENCY)
    assert PartnerContact.objects.visible_to(ow.case_worker, "partner").count() == 1
    assert not PartnerContact.objects.visible_to(other_worker, "partner").exists()
    assert not PartnerContact.objects.visible_to(ow.inspector, "view").exists()
