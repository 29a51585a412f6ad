"""People API: persons, families and consent (viewsets; serializers.py, api_filters.py). Thin: the same
queries and services as the pages.

- The IIN is write-only. Lists and search results show `iin_masked` and the surname with an initial
  (names are masked in lists); a retrieve shows full names, and `iin` in clear only to roles with
  `people.view_iin`.
- Search is `POST people/persons/search/` so that an IIN or a name never lands in a URL or access log.
- Creating a person whose IIN is registered answers 200 with that person when the caller may see it;
  otherwise 201 exactly as for a new IIN (the caller's own record, linked to the other one unseen).
- IIN look-ups (search, create) are audited and limited per user (429 with Retry-After past the limit).
- Region fields accept only the regions where the caller works.
- Consent: /api/people/consents/ (list, retrieve, create) and /api/people/consents/<id>/withdraw/;
  recording and withdrawing is its own action (people.consent).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from qorgau.core.api.viewsets import ScopedViewSet

from .api_filters import ConsentFilter, FamilyFilterSet, PersonFilterSet
from .lookups import find_persons
from .models import Consent, Family, Person
from .serializers import (
    ConsentCreateSerializer,
    ConsentSerializer,
    FamilyMemberAddSerializer,
    FamilySerializer,
    PersonDetailSerializer,
    PersonListSerializer,
    PersonSearchSerializer,
    PersonSerializer,
    WithdrawSerializer,
)
from .services import (
    do_add_family_member,
    do_create_family,
    do_create_person,
    do_update_person,
    do_withdraw_consent,
)

# A search answers at most this many persons (refine the criteria for more); all of them are audited.
SEARCH_MAX = 200


@extend_schema_view(
    list=extend_schema(summary="Persons you may see (masked)", responses=PersonListSerializer(many=True)),
    retrieve=extend_schema(summary="One person in full; audited", responses=PersonDetailSerializer),
    partial_update=extend_schema(
        summary="Change a person", request=PersonSerializer, responses=PersonDetailSerializer
    ),
)
class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    queryset_model = Person
    filterset_class = PersonFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_map_override = {"search": "view"}
    rate_limited_actions = ("create", "partial_update", "search")

    def get_queryset(self) -> QuerySet[Person]:
        return super().get_queryset().order_by("surname", "given_name", "id")

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action in ("list", "search"):
            return PersonListSerializer
        if self.action == "retrieve":
            return PersonDetailSerializer
        return PersonSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "reveal_iin": self.action == "retrieve"}

    def _detail(self, person: Person, status_code: int) -> Response:
        data = PersonDetailSerializer(person, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    @extend_schema(
        summary="Register a person, or get the one already registered with this IIN",
        request=PersonSerializer,
        responses={
            201: OpenApiResponse(PersonDetailSerializer, description="Created."),
            200: OpenApiResponse(
                PersonDetailSerializer, description="A person with this IIN that you may see already existed."
            ),
            400: OpenApiResponse(description="Invalid data (field messages)."),
        },
    )
    def create(self, request: Request) -> Response:
        serializer = PersonSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        person, created = do_create_person(actor=request.user, **serializer.validated_data)  # type: ignore[arg-type]
        return self._detail(person, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        person = self.get_object()
        serializer = PersonSerializer(
            person, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        iin = fields.pop("iin", "")
        kwargs: dict[str, Any] = {"iin": iin} if iin else {}
        person = do_update_person(actor=request.user, person=person, **kwargs, **fields)  # type: ignore[arg-type]
        return self._detail(person, status.HTTP_200_OK)

    @extend_schema(
        summary="Find persons by IIN (exact), name (any script) and birth year",
        description="A POST, so that the IIN and the name never appear in a URL or an access log.",
        request=PersonSearchSerializer,
        responses=PersonListSerializer(many=True),
    )
    # No list filters here (the schema listed them, the search ignored them): the body is the query.
    @action(detail=False, methods=["post"], filter_backends=[])
    def search(self, request: Request) -> Response:
        params = PersonSearchSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        rows = find_persons(request.user, **params.validated_data, context="api", limit=SEARCH_MAX)
        page = self.paginate_queryset(rows)
        if page is not None:
            return self.get_paginated_response(PersonListSerializer(page, many=True).data)
        return Response(PersonListSerializer(rows, many=True).data)


@extend_schema_view(
    list=extend_schema(summary="Families you may see"),
    retrieve=extend_schema(summary="One family with its members; audited"),
    create=extend_schema(
        summary="Register a family with its first members", responses={201: FamilySerializer}
    ),
)
class FamilyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    queryset_model = Family
    serializer_class = FamilySerializer
    filterset_class = FamilyFilterSet
    http_method_names = ["get", "post", "head", "options"]
    action_map_override = {"add_member": "change"}

    def get_queryset(self) -> QuerySet[Family]:
        return super().get_queryset().prefetch_related("memberships").order_by("code")

    def create(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        family = do_create_family(
            actor=request.user,  # type: ignore[arg-type]
            region=data["region"],
            district=data.get("district"),
            address=data.get("address", ""),
            members=[(m["person"], m["relationship"]) for m in data.get("memberships", [])],
        )
        return Response(self.get_serializer(family).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Add a member to the family", request=FamilyMemberAddSerializer, responses=FamilySerializer
    )
    @action(detail=True, methods=["post"], url_path="members")
    def add_member(self, request: Request, pk: str | None = None) -> Response:
        family = self.get_object()
        serializer = FamilyMemberAddSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        do_add_family_member(
            actor=request.user,  # type: ignore[arg-type]
            family=family,
            person=serializer.validated_data["person"],
            relationship=serializer.validated_data["relationship"],
        )
        family.refresh_from_db()
        return Response(self.get_serializer(family).data)


class ConsentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet
):
    queryset_model = Consent
    serializer_class = ConsentSerializer
    filterset_class = ConsentFilter
    # Recording and withdrawing consent is its own action (people.consent), not people.add/change.
    action_map_override = {"create": "consent", "withdraw": "consent"}

    def get_queryset(self) -> QuerySet[Consent]:
        return super().get_queryset().select_related("receiving_agency", "recording_agency")

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "create":
            return ConsentCreateSerializer
        if self.action == "withdraw":
            return WithdrawSerializer
        return ConsentSerializer

    @extend_schema(request=ConsentCreateSerializer, responses={201: ConsentSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = ConsentCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        consent = serializer.save()
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=WithdrawSerializer, responses={200: ConsentSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        consent = self.get_object()
        serializer = WithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        do_withdraw_consent(actor=request.user, consent=consent, reason=serializer.validated_data["reason"])  # type: ignore[arg-type]
        return Response(ConsentSerializer(consent).data)


def register(router: DefaultRouter) -> None:
    router.register("people/persons", PersonViewSet, basename="person")
    router.register("people/families", FamilyViewSet, basename="family")
    router.register("people/consents", ConsentViewSet, basename="consent")
