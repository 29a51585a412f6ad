"""The scope matrix (core.testing.ScopeMatrix) of the family map's pages: anonymous -> login, no role ->
403, the Astana analyst -> 200.

The family map has no per-record page of regional or personal data, so no route can answer 404 to the
Shymkent analyst: runs and rule sets are national by design (one map of the country, one set of standard
rules, see matrix.py), and `FamilyResult` (personal) has neither a page nor an API, only the scoped reads
of queries.py. The matrix therefore covers the two lists; what scope means here (a run's figures and the
per-family results are those of the reader's region) is checked below it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from qorgau.core.models import District, User
from qorgau.core.permissions import Scope
from qorgau.core.testing import Personas, ScopeMatrix, UserFactory, otp_login, role

from ..engine.rules import default_document
from ..models import DistrictAggregate, FamilyResult, RuleSet, RuleSetStatus, Run, RunKind, RunStatus
from ..queries import family_history, family_results


def _user(personas: Personas, username: str, role_name: str, region: Any) -> User:
    agency = personas.astana_police if region == personas.astana else personas.shymkent_crisis
    user = UserFactory.create(
        username=username, agency=agency, role=role(role_name), scope=Scope.REGIONS, regions=[region]
    )
    return User.objects.get(pk=user.pk)


def _world(personas: Personas) -> None:
    # the matrix reads its users from the personas: an analyst of each region
    personas.fm_analyst = _user(personas, "scope_fm_analyst", "analyst", personas.astana)  # type: ignore[attr-defined]
    personas.fm_shymkent_analyst = _user(  # type: ignore[attr-defined]
        personas, "scope_fm_analyst_shymkent", "analyst", personas.shymkent
    )


def _done_run(personas: Personas) -> Run:
    """A finished refresh with an Astana district row and a Shymkent one, and a family of each region."""
    rule_set = RuleSet.objects.get(status=RuleSetStatus.PUBLISHED)
    run = Run.objects.create(
        number=951,
        kind=RunKind.REFRESH,
        status=RunStatus.DONE,
        rule_set=rule_set,
        reference_date=dt.date(2026, 12, 1),
        run_dir="/nonexistent/familymap/951",
        active=None,
        started_by=personas.fm_analyst,  # type: ignore[attr-defined]
    )
    for region, code in ((personas.astana, "SM-71-01"), (personas.shymkent, "SM-79-01")):
        district = District.objects.create(region=region, code=code, name_en=f"Scope district {code}")
        DistrictAggregate.objects.create(
            run=run,
            region=region,
            district=district,
            district_code=code,
            families=10,
            identified=2,
            headcount=0.2,
            intensity=0.5,
            adjusted_headcount=0.1,
            levels={"A": 5, "B": 3, "C": 2, "D": 0, "E": 0},
        )
        FamilyResult.objects.create(
            run=run,
            rule_set=rule_set,
            family_key=7100 if region == personas.astana else 7900,
            region=region,
            district=district,
            members=4,
            level="D",
            score=0.6,
            score_level="D",
            identified=True,
            reasons=["housing"],
            previous_level="",
            change="new",
        )
    return run


class TestRunListScope(ScopeMatrix):
    """The runs list, read by the Astana analyst (runs are national: there is no regional detail to 404)."""

    list_url: str | None = "/familymap/runs/"
    permitted = "fm_analyst"
    other_region = "fm_shymkent_analyst"

    def make_object(self, personas: Personas) -> Any:
        _world(personas)
        return _done_run(personas)


class TestRuleSetListScope(ScopeMatrix):
    """The rule sets list, read by the Astana analyst (rule sets are national)."""

    list_url: str | None = "/familymap/rules/"
    permitted = "fm_analyst"
    other_region = "fm_shymkent_analyst"

    def make_object(self, personas: Personas) -> Any:
        _world(personas)
        return RuleSet.objects.create(
            version=950,
            name="Scope draft",
            document=default_document(),
            created_by=personas.fm_analyst,  # type: ignore[attr-defined]
        )


def test_the_shymkent_analyst_opens_the_national_run_without_the_astana_rows(
    client: Client, personas: Personas
) -> None:
    _world(personas)
    run = _done_run(personas)
    url = f"/familymap/runs/{run.pk}/"
    astana = otp_login(Client(), personas.fm_analyst).get(url)  # type: ignore[attr-defined]
    assert astana.status_code == 200
    assert 'data-aggregate="KZ-71/SM-71-01"' in astana.content.decode()
    html = otp_login(client, personas.fm_shymkent_analyst).get(url)  # type: ignore[attr-defined]
    assert html.status_code == 200
    assert 'data-aggregate="KZ-79/SM-79-01"' in html.content.decode()
    assert 'data-aggregate="KZ-71/SM-71-01"' not in html.content.decode()


def test_an_astana_family_result_is_out_of_reach_of_the_shymkent_social_worker(personas: Personas) -> None:
    _world(personas)
    run = _done_run(personas)
    astana = _user(personas, "scope_fm_social", "district_social_worker", personas.astana)
    shymkent = _user(personas, "scope_fm_social_shymkent", "district_social_worker", personas.shymkent)
    assert list(family_results(astana, run).values_list("family_key", flat=True)) == [7100]
    assert list(family_results(shymkent, run).values_list("family_key", flat=True)) == [7900]
    assert not family_history(shymkent, 7100).exists()
    assert not family_results(personas.fm_shymkent_analyst, run).exists()  # type: ignore[attr-defined]
