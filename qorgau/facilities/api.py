"""Facilities API under /api/facilities/: the vacancy search, placement requests (create with an
`Idempotency-Key`, accept, decline, withdraw) and the manager's vacancies (one click, a count as of a
time, the history). The register, stays, waiting list and occupancy: api_stays.py.

Thin: the same queries and services as the pages. No answer ever holds the secret address.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from qorgau.core.api import idempotency
from qorgau.core.api.viewsets import ScopedViewSet, action_for
from qorgau.core.models import Region
from qorgau.core.permissions import has_action

from .api_stays import register_routes
from .forms import parse_children
from .models import Capacity, PlacementRequest, Settlement, VacancyUpdate
from .queries import SearchQuery, search_vacancies, staff_facility
from .serializers import (
    CapacitySerializer,
    PlacementDeclineSerializer,
    PlacementRequestInputSerializer,
    PlacementRequestSerializer,
    PlacementWithdrawSerializer,
    StepSerializer,
    VacancyMatchSerializer,
    VacancyQuerySerializer,
)
from .serializers_stays import ReportSerializer, VacancyUpdateSerializer
from .services import (
    do_accept_request,
    do_decline_request,
    do_report_vacancies,
    do_request_placement,
    do_step_vacancy,
    do_withdraw_request,
)


class HasFacilitiesAction(permissions.BasePermission):
    """`facilities.<action>` for viewsets over tables that are not scoped models (capacities)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return has_action(request.user, f"facilities.{action_for(request, view)}")


@extend_schema_view(
    list=extend_schema(summary="Placement requests of your cases, or to your facility"),
    retrieve=extend_schema(summary="One placement request (never the address); audited"),
)
class PlacementRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    queryset_model = PlacementRequest
    serializer_class = PlacementRequestSerializer
    http_method_names = ["get", "post", "head", "options"]
    action_map_override = {
        "create": "request",
        "accept": "change",
        "decline": "change",
        "withdraw": "request",
    }

    def get_queryset(self) -> QuerySet[Any]:
        return (
            super()
            .get_queryset()
            .select_related("case", "facility__agency", "facility__settlement", "facility__region")
            .order_by("-requested_at", "-id")
        )

    def _answer(self, placement_request: PlacementRequest) -> Response:
        return Response(
            PlacementRequestSerializer(placement_request, context=self.get_serializer_context()).data
        )

    @extend_schema(
        summary="Request a place for a case (a shelter referral: consent rules apply; idempotent)",
        parameters=idempotency.parameters("placement request"),
        request=PlacementRequestInputSerializer,
        responses={
            201: OpenApiResponse(PlacementRequestSerializer, description="Requested."),
            200: OpenApiResponse(PlacementRequestSerializer, description="A retry: the earlier request."),
            409: OpenApiResponse(description="The Idempotency-Key was used for a different request."),
        },
    )
    def create(self, request: Request) -> Response:
        key = idempotency.key_from(request)
        serializer = PlacementRequestInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["needs_accessibility"] = sorted(data.get("needs_accessibility") or [])
        data["children"] = [dict(child) for child in data.get("children") or []]
        created = do_request_placement(actor=request.user, idempotency_key=key, **data)  # type: ignore[arg-type]
        return idempotency.respond(
            PlacementRequestSerializer(created, context=self.get_serializer_context()).data,
            replayed=created.idempotent_replay,
        )

    @extend_schema(
        summary="Accept (the facility): its places are held",
        request=None,
        responses=PlacementRequestSerializer,
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        return self._answer(do_accept_request(actor=request.user, request=self.get_object()))  # type: ignore[arg-type]

    @extend_schema(
        summary="Decline (the facility), with the reason",
        request=PlacementDeclineSerializer,
        responses=PlacementRequestSerializer,
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        placement_request = self.get_object()
        serializer = PlacementDeclineSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(
            do_decline_request(
                actor=request.user,  # type: ignore[arg-type]
                request=placement_request,
                reason=serializer.validated_data["decline_reason"],
                note=serializer.validated_data.get("note", ""),
            )
        )

    @extend_schema(
        summary="Withdraw (the requester), with the reason",
        request=PlacementWithdrawSerializer,
        responses=PlacementRequestSerializer,
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        placement_request = self.get_object()
        serializer = PlacementWithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(
            do_withdraw_request(actor=request.user, request=placement_request, **serializer.validated_data)  # type: ignore[arg-type]
        )


class VacancyViewSet(ScopedViewSet):
    """The vacancy search over the whole network (counts and explanations, never an address)."""

    queryset_model = PlacementRequest  # the domain and its actions; the search itself reads capacities
    action_map_override = {"search": "request"}
    audit_read = False
    pagination_class = None

    @extend_schema(
        summary="Search vacancies: ranked, each rank explained",
        parameters=[VacancyQuerySerializer],
        responses=VacancyMatchSerializer(many=True),
    )
    @action(detail=False, methods=["get"])
    def search(self, request: Request) -> Response:
        params = VacancyQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        d = params.validated_data
        try:
            children = parse_children(d.get("children", ""))
        except Exception as exc:  # forms.ValidationError: a message for the field
            raise serializers.ValidationError(
                {"children": list(getattr(exc, "messages", [str(exc)]))}
            ) from None
        query = SearchQuery(
            place_type=d["place_type"],
            origin=Settlement.objects.filter(pk=d["origin"]).first() if d.get("origin") else None,
            region=Region.objects.filter(pk=d["region"]).first() if d.get("region") else None,
            children=children,
            accessibility=sorted(d.get("accessibility") or []),
            language=d.get("language", ""),
            types=sorted(d.get("types") or []) or SearchQuery().types,
            pets=d.get("pets", False),
            include_full=d.get("include_full", False),
        )
        matches = search_vacancies(request.user, query)
        return Response(VacancyMatchSerializer(matches, many=True).data)


@extend_schema_view(list=extend_schema(summary="The places and vacancies of your facility"))
class CapacityViewSet(mixins.ListModelMixin, ScopedViewSet):
    queryset_model = Capacity
    serializer_class = CapacitySerializer
    permission_classes = [permissions.IsAuthenticated, HasFacilitiesAction]
    http_method_names = ["get", "post", "head", "options"]
    action_map_override = {"list": "change", "step": "change", "report": "change", "history": "change"}

    def get_queryset(self) -> QuerySet[Any]:
        facility = staff_facility(self.request.user)
        if facility is None:
            return Capacity.objects.none()
        return Capacity.objects.filter(facility=facility).order_by("place_type", "id")

    @extend_schema(
        summary="One place more (+1) or fewer (-1) vacant, as of now",
        request=StepSerializer,
        responses=CapacitySerializer,
    )
    @action(detail=True, methods=["post"])
    def step(self, request: Request, pk: str | None = None) -> Response:
        capacity = self.get_object()
        serializer = StepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changed = do_step_vacancy(
            actor=request.user,  # type: ignore[arg-type]
            facility=capacity.facility,
            place_type=capacity.place_type,
            step=int(serializer.validated_data["step"]),
        )
        return Response(CapacitySerializer(changed).data)

    @extend_schema(
        summary="Report how many places of this type are vacant (held ones included), as of a time",
        request=ReportSerializer,
        responses=CapacitySerializer,
    )
    @action(detail=True, methods=["post"])
    def report(self, request: Request, pk: str | None = None) -> Response:
        capacity = self.get_object()
        serializer = ReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changed = do_report_vacancies(
            actor=request.user,  # type: ignore[arg-type]
            facility=capacity.facility,
            place_type=capacity.place_type,
            **serializer.validated_data,
        )
        return Response(CapacitySerializer(changed).data)

    @extend_schema(
        summary="The last 200 changes of this place type's counts (the vacancy history)",
        responses=VacancyUpdateSerializer(many=True),
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request: Request, pk: str | None = None) -> Response:
        capacity = self.get_object()
        rows = VacancyUpdate.objects.filter(capacity=capacity).select_related("capacity")
        return Response(VacancyUpdateSerializer(rows.order_by("-as_of", "-id")[:200], many=True).data)


def register(router: DefaultRouter) -> None:
    router.register("facilities/requests", PlacementRequestViewSet, basename="placement-request")
    router.register("facilities/vacancies", VacancyViewSet, basename="facility-vacancy")
    router.register("facilities/capacities", CapacityViewSet, basename="capacity")
    register_routes(router)
