"""Shared test helpers: personas, a login that passes the second factor, and the scope-matrix base.

Every domain's tests use these (see docs/adding-a-domain.md):

    class TestPersonScope(ScopeMatrix):
        list_url = "/people/"
        api_list_url = "/api/people/persons/"
        def make_object(self, personas): return PersonFactory(agency=personas.astana_police, ...)
        def detail_url(self, obj): return f"/people/{obj.pk}/"
        def api_detail_url(self, obj): return f"/api/people/persons/{obj.pk}/"
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import factory
import pytest
from django.db import connections
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from rest_framework.test import APIClient

from .models import Agency, AgencyType, District, Region, Role, User
from .permissions import Scope


def region(code: str) -> Region:
    return Region.objects.get(code=code)


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    region = factory.LazyFunction(lambda: region("KZ-71"))
    code = factory.Sequence(lambda n: f"D{n:05d}")
    name_en = factory.Sequence(lambda n: f"District {n}")
    name_ru = factory.Sequence(lambda n: f"Район {n}")
    name_kk = factory.Sequence(lambda n: f"{n} аудан")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agency {n}")
    type = AgencyType.POLICE
    region = factory.LazyFunction(lambda: region("KZ-71"))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = "User"
    password = factory.django.Password("correct horse battery staple")
    agency = factory.SubFactory(AgencyFactory)
    role = None
    scope = Scope.NONE

    @factory.post_generation  # type: ignore[untyped-decorator]  # factory_boy ships no type hints
    def regions(self, create: bool, extracted: list[Region] | None, **kwargs: Any) -> None:
        if create and extracted:
            self.scope_regions.set(extracted)  # type: ignore[attr-defined]


def role(slug: str) -> Role:
    return Role.objects.get(slug=slug)


@dataclass
class Personas:
    """The people every scope test talks about (STYLE.md):

    - astana_officer: duty officer of the Astana police department (agency scope), the record owner;
    - astana_inspector: another officer of the same department (agency scope);
    - shymkent_worker: case worker of a Shymkent crisis centre (agency scope), another region;
    - astana_chair: conference chair with region scope over Astana;
    - national_auditor and astana_auditor: auditors, national and Astana-only;
    - outsider: an active user with no role and no scope (deny by default);
    - sysadmin: system administrator (national).
    """

    astana: Region
    shymkent: Region
    astana_police: Agency
    shymkent_crisis: Agency
    astana_officer: User
    astana_inspector: User
    shymkent_worker: User
    astana_chair: User
    national_auditor: User
    astana_auditor: User
    outsider: User
    sysadmin: User


def make_personas() -> Personas:
    astana, shymkent = region("KZ-71"), region("KZ-79")
    astana_police = AgencyFactory.create(
        name="Astana City Police Department", type=AgencyType.POLICE, region=astana
    )
    shymkent_crisis = AgencyFactory.create(
        name="Shymkent Crisis Centre", type=AgencyType.CRISIS_CENTRE, region=shymkent
    )
    ministry = AgencyFactory.create(
        name="Ministry of Internal Affairs", type=AgencyType.MINISTRY, region=None
    )
    return Personas(
        astana=astana,
        shymkent=shymkent,
        astana_police=astana_police,
        shymkent_crisis=shymkent_crisis,
        astana_officer=UserFactory.create(
            username="aigerim", agency=astana_police, role=role("duty_officer"), scope=Scope.AGENCY
        ),
        astana_inspector=UserFactory.create(
            username="daniyar", agency=astana_police, role=role("district_inspector"), scope=Scope.AGENCY
        ),
        shymkent_worker=UserFactory.create(
            username="saule", agency=shymkent_crisis, role=role("case_worker"), scope=Scope.AGENCY
        ),
        astana_chair=UserFactory.create(
            username="yerlan",
            agency=astana_police,
            role=role("conference_chair"),
            scope=Scope.REGIONS,
            regions=[astana],
        ),
        national_auditor=UserFactory.create(
            username="gulnara", agency=ministry, role=role("auditor"), scope=Scope.NATIONAL
        ),
        astana_auditor=UserFactory.create(
            username="marat",
            agency=astana_police,
            role=role("auditor"),
            scope=Scope.REGIONS,
            regions=[astana],
        ),
        outsider=UserFactory.create(username="outsider", agency=None, role=None, scope=Scope.NONE),
        sysadmin=UserFactory.create(
            username="root_admin",
            agency=ministry,
            role=role("system_admin"),
            scope=Scope.NATIONAL,
            is_staff=True,
            is_superuser=True,
        ),
    )


def otp_login(client: Client, user: User) -> Client:
    """Log `user` in with a verified second factor, as after a real login with a backup code."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="test")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def api_client(user: User | None = None) -> APIClient:
    client = APIClient()
    if user is not None:
        otp_login(client, user)
    return client


class ScopeMatrix:
    """GET checks of a list and a detail page (and their API twins). Subclass and declare the data.

    What every route must pass is the route matrix: a case per route and method in `<app>/tests/matrix.py`
    (`qorgau/core/testing_matrix.py`), which `core/tests/test_route_matrix.py` checks for completeness. This
    class stays for the tests that use it; a subclass that declares no URL fails at import.

    The object made by `make_object` must be visible to `permitted` and belong to Astana, so that the
    Shymkent persona (`other_region`) is out of scope. Set a URL to None where the page does not exist.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declared = (
            cls.list_url or cls.api_list_url or "detail_url" in vars(cls) or "api_detail_url" in vars(cls)
        )
        if not declared:
            raise TypeError(f"{cls.__name__} declares no URL: its scope tests would pass without testing")

    list_url: str | None = None
    api_list_url: str | None = None
    permitted = "astana_officer"
    other_region = "shymkent_worker"
    no_permission = "outsider"

    def make_object(self, personas: Personas) -> Any:
        raise NotImplementedError

    def detail_url(self, obj: Any) -> str | None:
        return None

    def api_detail_url(self, obj: Any) -> str | None:
        return None

    def test_anonymous_is_sent_to_login(self, client: Client, personas: Personas) -> None:
        obj = self.make_object(personas)
        for url in filter(None, [self.list_url, self.detail_url(obj)]):
            response = client.get(url)
            assert response.status_code == 302, url
            assert "/accounts/login/" in response["Location"], url

    def test_anonymous_api_is_401(self, personas: Personas) -> None:
        obj = self.make_object(personas)
        for url in filter(None, [self.api_list_url, self.api_detail_url(obj)]):
            assert api_client().get(url).status_code == 401, url

    def test_user_without_permission_gets_403_on_lists(self, client: Client, personas: Personas) -> None:
        user = getattr(personas, self.no_permission)
        if self.list_url:
            assert otp_login(client, user).get(self.list_url).status_code == 403
        if self.api_list_url:
            assert api_client(user).get(self.api_list_url).status_code == 403

    def test_other_region_gets_404_on_details(self, client: Client, personas: Personas) -> None:
        obj = self.make_object(personas)
        user = getattr(personas, self.other_region)
        if url := self.detail_url(obj):
            assert otp_login(client, user).get(url).status_code == 404
        if url := self.api_detail_url(obj):
            assert api_client(user).get(url).status_code == 404

    def test_permitted_user_gets_200(self, client: Client, personas: Personas) -> None:
        obj = self.make_object(personas)
        user = getattr(personas, self.permitted)
        otp_login(client, user)
        for url in filter(None, [self.list_url, self.detail_url(obj)]):
            assert client.get(url).status_code == 200, url
        api = api_client(user)
        for url in filter(None, [self.api_list_url, self.api_detail_url(obj)]):
            assert api.get(url).status_code == 200, url


@pytest.fixture
def personas(db: None) -> Personas:
    return make_personas()


RACE_THREADS = 6


def race(work: Callable[[int], Any], n: int = RACE_THREADS) -> list[Any]:
    """Run work(i) in n threads that start together, each on its own database connection, for tests of
    real concurrent transactions (PostgreSQL, `django_db(transaction=True)`): the results, or the
    exceptions raised, in order of i."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as exc:  # the test inspects what each thread got
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results
