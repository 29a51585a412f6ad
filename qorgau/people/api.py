"""People API: persons and families. Thin: the same queries and services as the pages.

- The IIN is write-only. Lists and search results show `iin_masked` and the surname with an initial
  (names are masked in lists); a retrieve shows full names, and `iin` in clear only to roles with
  `people.view_iin`.
- Search is `POST people/persons/search/` so that an IIN or a name never lands in a URL or access log.
- Creating a person whose IIN is registered answers 200 with that person when the caller may see it;
  otherwise 201 exactly as for a new IIN (the caller's own record, linked to the other one unseen).
- IIN look-ups (search, create) are audited and limited per user (429 with Retry-After past the limit).
- Region fields accept only the regions where the caller works.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from qorgau.core.api.fields import InputModelSerializer, StrictCharField
from qorgau.core.api.viewsets import ScopedViewSet
from qorgau.core.models import District, Region, work_regions

from .filters import FamilyFilterSet, PersonFilterSet
from .iin import normalize_iin, validate_iin
from .lookups import find_persons
from .models import Family, FamilyMember, Person, Relationship
from .services import (
    PERSON_FIELDS,
    do_add_family_member,
    do_create_family,
    do_create_person,
    do_update_person,
)

# A search answers at most this many persons (refine the criteria for more); all of them are audited.
SEARCH_MAX = 200


def _validate_iin_field(value: str) -> None:
    if normalize_iin(value):
        validate_iin(value)


class PersonListSerializer(serializers.ModelSerializer):
    """A person as lists show it: no IIN, surname and initial only."""

    display_name = serializers.CharField(source="short_name", read_only=True)
    birth_year = serializers.SerializerMethodField()
    age = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "display_name",
            "iin_masked",
            "birth_year",
            "age",
            "sex",
            "region",
            "district",
            "agency",
        ]
        read_only_fields = fields

    def get_birth_year(self, obj: Person) -> int | None:
        return obj.birth_date.year if obj.birth_date else None

    def get_age(self, obj: Person) -> int | None:
        """Full years today: with the district, what tells namesakes apart in a list."""
        return obj.age()


class WorkRegionField(serializers.PrimaryKeyRelatedField):
    """A region where the caller works (any other id "does not exist"); see core.permissions.may_work_in."""

    def get_queryset(self) -> QuerySet[Region]:
        request = self.context.get("request")
        return work_regions(request.user) if request is not None else Region.objects.none()


class PersonSerializer(InputModelSerializer):
    """A person in full. `iin` is write-only, and shown in clear only when the view says so."""

    iin = StrictCharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=20,
        validators=[_validate_iin_field],
        help_text="12 digits; write-only. Never sent back except on retrieve to roles with people.view_iin.",
    )
    iin_masked = serializers.CharField(read_only=True)
    region = WorkRegionField(required=False, allow_null=True)
    district = serializers.PrimaryKeyRelatedField(
        queryset=District.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "iin",
            "iin_masked",
            *PERSON_FIELDS,
            "agency",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "iin_masked", "agency", "created_at", "updated_at"]

    def validate_iin(self, value: str) -> str:
        return normalize_iin(value)


class PersonDetailSerializer(PersonSerializer):
    """A person as a retrieve (and a create or change) answers: `iin` in clear only for people.view_iin."""

    iin = serializers.SerializerMethodField(  # type: ignore[assignment]  # read-only twin of the input
        help_text="The IIN in clear on retrieve, for roles with people.view_iin; otherwise null."
    )

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_iin(self, obj: Person) -> str | None:
        request = self.context.get("request")
        if request is not None and self.context.get("reveal_iin") and request.user.can("people.view_iin"):
            return obj.reveal_iin() or None
        return None


class PersonSearchSerializer(serializers.Serializer):
    iin = StrictCharField(required=False, allow_blank=True, max_length=20, validators=[_validate_iin_field])
    name = StrictCharField(required=False, allow_blank=True, max_length=200)
    birth_year = serializers.IntegerField(required=False, allow_null=True, min_value=1800, max_value=2100)

    def validate_iin(self, value: str) -> str:
        return normalize_iin(value)


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


@extend_schema_field(OpenApiTypes.INT)
class VisiblePersonField(serializers.PrimaryKeyRelatedField):
    """A person the caller may `action` (view by default); any other id answers 'does not exist', as for a
    missing one. The one field every serializer uses for a person given by id."""

    def __init__(self, *, action: str = "view", **kwargs: Any) -> None:
        self.scope_action = action
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Person]:
        request = self.context.get("request")
        return Person.objects.visible_to(getattr(request, "user", None), self.scope_action)


class FamilyMemberSerializer(serializers.ModelSerializer):
    person = VisiblePersonField()
    relationship = serializers.ChoiceField(choices=Relationship.choices)

    class Meta:
        model = FamilyMember
        fields = ["person", "relationship"]


class FamilySerializer(InputModelSerializer):
    members = FamilyMemberSerializer(many=True, source="memberships", required=False)
    region = WorkRegionField()
    district = serializers.PrimaryKeyRelatedField(
        queryset=District.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Family
        fields = ["id", "code", "region", "district", "address", "agency", "members", "created_at"]
        read_only_fields = ["id", "code", "agency", "created_at"]


class FamilyMemberAddSerializer(FamilyMemberSerializer):
    pass


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


def register(router: DefaultRouter) -> None:
    router.register("people/persons", PersonViewSet, basename="person")
    router.register("people/families", FamilyViewSet, basename="family")
