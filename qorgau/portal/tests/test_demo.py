"""The demo's help content and a year of prevention activities in every region."""

from __future__ import annotations

import pytest
from django.db.models import Count

from qorgau.core.models import AgencyType, Region
from qorgau.core.testing import AgencyFactory, Personas, UserFactory, role
from qorgau.demo.national.portal import generate_activities, load_content

from ..models import Activity, ActivityKind, HelpPage, PageSlug


@pytest.mark.django_db
def test_content_and_a_year_of_activities(personas: Personas) -> None:
    for region in Region.objects.all():
        AgencyFactory.create(type=AgencyType.AKIMAT, region=region, name=f"{region.code} akimat")
    UserFactory.create(username="demo.district_social_worker", role=role("district_social_worker"))
    assert load_content(lambda _m: None) == len(PageSlug.values)
    assert set(HelpPage.objects.values_list("slug", flat=True)) == set(PageSlug.values)
    assert all(p.body_kk and p.body_ru and p.body_en for p in HelpPage.objects.all())
    made = generate_activities(year=2022, seed=1, progress=lambda _m: None)
    assert made == Activity.objects.count() > 20 * 4
    per_region = dict(Activity.objects.values_list("region__code").annotate(n=Count("id")))
    assert set(per_region) == set(Region.objects.values_list("code", flat=True))
    assert Activity.objects.filter(kind=ActivityKind.SCHOOL_HOUR).exists()
    assert Activity.objects.filter(starts_on__month=11, starts_on__day=25).count() == 20  # 16 days
    assert len(set(Activity.objects.values_list("code", flat=True))) == made
    assert generate_activities(year=2022, seed=1, progress=lambda _m: None) == 0  # skipped when present
