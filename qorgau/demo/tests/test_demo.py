from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice

from qorgau.core.models import Agency, AgencyType, AuditEvent, District, Region, User
from qorgau.core.permissions import Scope
from qorgau.core.roles import default_roles
from qorgau.demo.foundation import DEMO_PASSWORD, NATIONAL_AGENCIES, REGIONAL_AGENCIES, demo_username
from qorgau.demo.persons import plan_persons
from qorgau.people.models import Person

pytestmark = pytest.mark.django_db


def run(*args: str, persons: int = 0, scale: float = 0.0, **options: object) -> str:
    """The foundation only by default (scale 0: no national year); test_national.py covers the year."""
    out = StringIO()
    call_command("demo", *args, persons=persons, scale=scale, stdout=out, **options)
    return out.getvalue()


def snapshot() -> dict[str, list[tuple[object, ...]]]:
    return {
        "districts": list(District.objects.order_by("code").values_list("code", "name_en", "name_kk")),
        "agencies": list(Agency.objects.order_by("name", "region__code").values_list("name", "region__code")),
        "users": list(
            User.objects.order_by("username").values_list(
                "username", "first_name", "last_name", "agency__name"
            )
        ),
    }


def test_it_creates_agencies_in_all_20_regions() -> None:
    run()
    expected_types = {AgencyType.POLICE, *(row[0] for row in REGIONAL_AGENCIES)}
    regions = Region.objects.all()
    assert regions.count() == 20
    for region in regions:
        types = set(Agency.objects.filter(region=region).values_list("type", flat=True))
        assert types == expected_types, region.code
        assert region.districts.count() >= 4, region.code
        stations = Agency.objects.filter(region=region, type=AgencyType.POLICE, district__isnull=False)
        assert stations.count() == region.districts.count(), region.code
    national = Agency.objects.filter(region=None)
    assert national.count() == len(NATIONAL_AGENCIES)
    assert national.filter(type=AgencyType.MINISTRY).exists()
    assert District.objects.filter(code="KZ-71-01", region__code="KZ-71").exists()


def test_it_creates_one_user_per_role_with_the_roles_default_scope() -> None:
    run()
    astana = Region.objects.get(code="KZ-71")
    demo_users = User.objects.filter(username__startswith="demo.")
    assert demo_users.count() == len(default_roles())
    for slug, role in default_roles().items():
        default_scope = role.scope
        user = User.objects.get(username=demo_username(slug))
        assert user.role is not None and user.role.slug == slug
        assert user.scope == default_scope, slug
        assert user.check_password(DEMO_PASSWORD)
        assert user.agency is not None
        if default_scope == Scope.NATIONAL:
            assert user.agency.region is None, slug
        else:
            assert user.agency.region == astana, slug
        if default_scope == Scope.REGIONS:
            assert list(user.scope_regions.all()) == [astana], slug
        else:
            assert not user.scope_regions.exists(), slug


def test_it_is_deterministic_for_a_seed() -> None:
    with transaction.atomic():
        run(seed=7)
        first = snapshot()
        transaction.set_rollback(True)
    assert not Agency.objects.exists()
    run(seed=7)
    assert snapshot() == first
    assert plan_persons(seed=7, count=30) == plan_persons(seed=7, count=30)
    assert plan_persons(seed=7, count=30) != plan_persons(seed=8, count=30)


def test_if_empty_does_nothing_the_second_time() -> None:
    run("--if-empty")
    before = snapshot()
    output = run("--if-empty", seed=99)
    assert "skipped" in output
    assert snapshot() == before


def test_it_refuses_a_database_with_agencies_unless_forced() -> None:
    run()
    before = snapshot()
    with pytest.raises(CommandError, match="already has"):
        run()
    run("--force")
    assert snapshot() == before  # a top-up with the same seed adds nothing


def test_it_refuses_outside_demo_mode(settings) -> None:
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="DEMO_MODE"):
        run()
    assert not Agency.objects.exists()


def test_demo_logins_refuses_outside_demo_mode(settings) -> None:
    run()
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="DEMO_MODE"):
        call_command("demo_logins", stdout=StringIO())


def test_demo_logins_prints_fresh_backup_codes_that_work() -> None:
    run()
    out = StringIO()
    call_command("demo_logins", "--address", "http://127.0.0.1:9000/", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:9000/" in text
    assert DEMO_PASSWORD in text
    lines = text.splitlines()
    officer = next(i for i, line in enumerate(lines) if "demo.duty_officer" in line)
    codes = lines[officer + 1].split("backup codes:")[1].split()
    assert len(codes) == 5
    device = StaticDevice.objects.get(user__username="demo.duty_officer")
    assert device.verify_token(codes[0])
    assert not device.verify_token(codes[0])  # single use

    call_command("demo_logins", stdout=StringIO())
    device.refresh_from_db()
    assert not device.verify_token(codes[1])  # replaced by the new list


def test_persons_are_registered_for_the_demo_users() -> None:
    run(persons=12)
    assert Person.objects.count() == 12
    officer = User.objects.get(username="demo.duty_officer")
    assert Person.objects.visible_to(officer).exists()
    assert not Person.objects.exclude(region__code="KZ-71").exists()
    run("--force", persons=12)
    assert Person.objects.count() == 12


def test_make_runs_default_of_200_persons_is_not_refused_by_the_iin_look_up_limit(settings: object) -> None:
    # make run registers 200 persons as three demo users: more distinct IINs than the hourly limit.
    settings.IIN_LOOKUP_LIMIT, settings.IIN_LOOKUP_FLAG = 5, 3  # type: ignore[attr-defined]
    run(persons=30)
    assert Person.objects.count() == 30
    assert AuditEvent.objects.filter(action="person.iin_lookup").count() == 30  # still audited
    assert not AuditEvent.objects.filter(
        action__in=["person.iin_lookup_refused", "person.iin_lookup_flagged"]
    ).exists()


def test_the_limits_are_lifted_only_in_demo_mode(settings: object) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from qorgau.core.ratelimit import limits_apply, loading_demo_data

    settings.DEMO_MODE = False  # type: ignore[attr-defined]
    with pytest.raises(ImproperlyConfigured), loading_demo_data():
        pass
    assert limits_apply()
