"""Bad input to the signal API answers 400 (never 500), and answers match the schema (issue 6)."""

from __future__ import annotations

from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from qorgau.core.api.tokens import do_issue_api_token
from qorgau.core.testing import api_client

from ..models import SignalParty
from .factories import World
from .test_api import SIGNALS, payload, post, url


@pytest.fixture(autouse=True)
def _english_requests(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


def schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.mark.parametrize(
    "query",
    [
        "limit=99999999999999999999",
        "limit=-1",
        "limit=0",
        "limit=abc",
        "limit=1.5",
        "limit=201",
        "limit=100000",
        "offset=-1",
        "offset=99999999999999999999",
        "offset=x",
        "limit=",
    ],
)
def test_bad_page_parameters_answer_400(world: World, query: str) -> None:
    world.register()
    response = api_client(world.officer).get(f"{SIGNALS}?{query}")
    assert response.status_code == 400, response.content
    assert set(response.json()) == {query.split("=")[0]}


def test_a_page_holds_at_most_200_rows_and_the_schema_says_so(world: World) -> None:
    for _ in range(3):
        world.register()
    api = api_client(world.officer)
    assert len(api.get(f"{SIGNALS}?limit=200").json()["results"]) == 3
    assert len(api.get(f"{SIGNALS}?limit=2&offset=1").json()["results"]) == 2
    assert api.get(f"{SIGNALS}?offset=2147483647").json()["results"] == []
    params = {p["name"]: p for p in schema()["paths"]["/api/intake/signals/"]["get"]["parameters"]}
    assert params["limit"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 200}
    assert params["offset"]["schema"]["minimum"] == 0


@pytest.mark.parametrize("query", ["district=%00", "region=KZ-71%00", "channel=call_102%00", "x%00=1"])
def test_a_nul_byte_in_the_query_string_answers_400(world: World, query: str) -> None:
    response = api_client(world.officer).get(f"{SIGNALS}?{query}")
    assert response.status_code == 400


def test_a_nul_byte_in_the_body_answers_400_and_saves_nothing(world: World) -> None:
    api = api_client(world.officer)
    for body in (
        payload(world, region="KZ-71\x00"),
        payload(world, district="\x00"),
        payload(world, address="Abay\x00avenue"),
        payload(world, forms=["physical\x00"]),
        payload(world, **{"unknown\x00": 1}),
    ):
        response = post(api, body, key="nul")
        assert response.status_code == 400, body
    assert not SignalParty.objects.exists()


def test_an_empty_filter_value_answers_400_and_the_schema_says_so(world: World) -> None:
    response = api_client(world.officer).get(f"{SIGNALS}?received_before=")
    assert response.status_code == 400
    assert "received_before" in response.json()
    params = {p["name"]: p for p in schema()["paths"]["/api/intake/signals/"]["get"]["parameters"]}
    assert params["district"]["schema"]["minLength"] == 1


def test_a_number_for_a_text_field_answers_400(world: World) -> None:
    response = post(api_client(world.officer), payload(world, address=0))
    assert response.status_code == 400
    assert "address" in response.json()


def test_a_form_encoded_body_answers_415(world: World) -> None:
    response = api_client(world.inspector).post(
        url(world.register(), "reconciliation/"), "note=x", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415


def test_a_path_that_is_not_an_id_answers_404_in_json(world: World) -> None:
    api = api_client(world.inspector)
    for response in (
        api.get(f"{SIGNALS}0.5/"),
        api.post(f"{SIGNALS}0.5/outcome/", {"kind": "no_offence"}, format="json"),
        api.get("/api/nothing/here/"),
    ):
        assert response.status_code == 404, response.request
        assert response["Content-Type"] == "application/json", response.request


def test_a_list_row_without_a_district_matches_the_schema(world: World) -> None:
    world.register(district=None)
    row = api_client(world.officer).get(SIGNALS).json()["results"][0]
    assert row["district"] is None
    assert schema()["components"]["schemas"]["SignalList"]["properties"]["district"]["nullable"] is True


def test_a_party_without_a_relationship_matches_the_schema(world: World) -> None:
    signal = world.register()
    parties = api_client(world.officer).get(url(signal)).json()["parties"]
    assert {p["role"]: p["relationship"] for p in parties} == {"victim": "", "offender": "spouse"}
    field = schema()["components"]["schemas"]["SignalParty"]["properties"]["relationship"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in field["oneOf"]


def test_every_operation_documents_its_error_answers() -> None:
    for path, operations in schema()["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"400", "401", "403"} <= codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            if "requestBody" in operation:
                assert "415" in codes, (method, path)
                assert set(operation["requestBody"]["content"]) == {"application/json"}, (method, path)
    create = schema()["paths"]["/api/intake/signals/"]["post"]["responses"]
    assert "409" in create


def test_an_undeclared_method_answers_405_whatever_the_query(world: World) -> None:
    response = api_client(world.officer).generic("TRACE", f"{SIGNALS}?district=")
    assert response.status_code == 405


def test_a_post_to_an_unknown_api_path_answers_json_404_without_csrf(world: World) -> None:
    _token, key = do_issue_api_token(actor=None, owner=world.inspector, name="test", days=1)
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.post(f"{SIGNALS}0.5/outcome/", {"kind": "no_offence"}, format="json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_a_parameter_that_takes_one_value_given_twice_answers_400(world: World) -> None:
    api = api_client(world.officer)
    world.register()
    for query in (
        "district=A&district=B",
        "limit=1&limit=2",
        "offset=0&offset=1",
        "received_after=2020-01-01&received_after=2021-01-01",
    ):
        response = api.get(f"{SIGNALS}?{query}")
        assert response.status_code == 400, query
        assert list(response.json()) == [query.split("=")[0]], query
    # Filters that take several values still may repeat.
    assert api.get(f"{SIGNALS}?status=registered&status=closed").status_code == 200


@pytest.mark.parametrize(
    ("path", "name"),
    [
        (SIGNALS, "overdue"),
        ("/api/intake/protective-orders/", "in_force"),
        ("/api/people/consents/", "active"),
    ],
)
def test_a_yes_no_filter_refuses_any_other_word(world: World, path: str, name: str) -> None:
    """django-filter read `?overdue=yes` as "not given" and listed every signal."""
    world.register()
    client = api_client(world.officer)
    response = client.get(f"{path}?{name}=yes")
    assert response.status_code == 400, response.content
    assert response.json()[name] == ["Give true or false."]
    for word in ("true", "false", "1", "0"):
        assert client.get(f"{path}?{name}={word}").status_code == 200, word
    params = {p["name"]: p for p in schema()["paths"][path]["get"]["parameters"]}
    assert params[name]["schema"]["type"] == "boolean"  # the schema is unchanged
