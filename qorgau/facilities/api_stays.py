"""Facilities API, the rest of what users do: the register (administrators), admissions, extensions and
discharges, the waiting list, and occupancy today and over time (vacancy reports: api.py, capacities).

Thin like api.py: the same services and queries as the pages. Creating POSTs need an
`Idempotency-Key` (core/api/idempotency.py). Another region's object answers 404; an id the caller
cannot see in a body "does not exist" (400). No answer holds the secret address.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from qorgau.core.api import idempotency
from qorgau.core.api.viewsets import ScopedViewSet
from qorgau.core.audit import record
from qorgau.core.permissions import has_action

from . import history
from .models import Capacity, Facility, Placement, WaitingEntry
from .queries import occupancy, register, staff_facility
from .serializers_stays import (
    AdmitSerializer,
    DischargeSerializer,
    ExtendSerializer,
    FacilityChangeSerializer,
    FacilityRegisterSerializer,
    FacilitySerializer,
    OccupancyDaySerializer,
    OccupancyQuerySerializer,
    OccupancyTodaySerializer,
    PlacementSerializer,
    WaitingEntryInputSerializer,
    WaitingEntrySerializer,
    WaitingRemoveSerializer,
)
from .services import (
    do_add_to_waiting_list,
    do_admit,
    do_change_facility,
    do_discharge,
    do_extend_stay,
    do_register_facility,
    do_remove_from_waiting_list,
    do_set_places,
)


class AnyFacilitiesAction(permissions.BasePermission):
    """The viewset's `actions_any[action]`: the caller's role has at least one of those actions."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        wanted = getattr(view, "actions_any", {}).get(getattr(view, "action", None), ())
        return any(has_action(request.user, f"facilities.{name}") for name in wanted)


def _reread(model: Any, pk: int) -> Any:
    """The row a service just wrote (it checked the caller's scope inside its transaction), read back for
    the answer. Not through `visible_to`: its joins over grants may repeat a row, and `.get` would fail."""
    related = ("case", "facility__agency", "facility__settlement", "facility__region")
    rows = model.objects.select_related(*related)
    if model is Placement:
        rows = rows.select_related("capacity").prefetch_related("extensions")
    return rows.get(pk=pk)


def _context(view: Any) -> dict[str, Any]:
    return dict(view.get_serializer_context())


@extend_schema_view(
    list=extend_schema(summary="Facilities you administer, or your own facility (never the address)"),
    retrieve=extend_schema(summary="One facility with its places (never the address); audited"),
)
class FacilityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = FacilitySerializer
    permission_classes = [permissions.IsAuthenticated, AnyFacilitiesAction]
    http_method_names = ["get", "post", "patch", "head", "options"]
    actions_any = {
        "list": ("register", "change"),
        "retrieve": ("register", "change"),
        "create": ("register",),
        "partial_update": ("register",),
    }

    def get_queryset(self) -> QuerySet[Any]:
        user = self.request.user
        own = staff_facility(user)
        mine = Q(pk__in=register(user).values("pk"))
        if own is not None:
            mine |= Q(pk=own.pk)
        return (
            Facility.objects.filter(mine)
            .select_related("agency", "region", "settlement")
            .prefetch_related("capacities")
            .order_by("region__name_ru", "type", "id")
        )

    def get_object(self) -> Any:
        obj = super().get_object()
        if self.request.method in permissions.SAFE_METHODS:
            record(
                actor=self.request.user,  # type: ignore[arg-type]
                action="facility.view",
                obj=obj,
                agency=obj.agency_id,
                region=obj.region_id,
            )
        return obj

    @extend_schema(
        summary="Register a facility (administrators; idempotent). The address is write-only.",
        parameters=idempotency.parameters("facility"),
        request=FacilityRegisterSerializer,
        responses={
            201: OpenApiResponse(FacilitySerializer, description="Registered."),
            200: OpenApiResponse(FacilitySerializer, description="A retry: the facility registered earlier."),
            409: OpenApiResponse(description="The Idempotency-Key was used for a different registration."),
        },
    )
    def create(self, request: Request) -> Response:
        key = idempotency.key_from(request)
        serializer = FacilityRegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated()
        facility = do_register_facility(actor=request.user, idempotency_key=key, **data)  # type: ignore[arg-type]
        fresh = self.get_queryset().get(pk=facility.pk)
        return idempotency.respond(
            FacilitySerializer(fresh, context=_context(self)).data, replayed=facility.idempotent_replay
        )

    @extend_schema(
        summary="Change a facility's details or places (administrators); `address` replaces it",
        request=FacilityChangeSerializer,
        responses=FacilitySerializer,
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        facility = self.get_object()
        serializer = FacilityChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated()
        places = data.pop("places", None)
        if data:
            facility = do_change_facility(actor=request.user, facility=facility, **data)  # type: ignore[arg-type]
        if places:
            do_set_places(actor=request.user, facility=facility, places=places)  # type: ignore[arg-type]
        return Response(
            FacilitySerializer(self.get_queryset().get(pk=facility.pk), context=_context(self)).data
        )


@extend_schema_view(
    list=extend_schema(summary="Stays at your facility, or of your cases"),
    retrieve=extend_schema(summary="One stay (never the address); audited"),
)
class PlacementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    queryset_model = Placement
    serializer_class = PlacementSerializer
    http_method_names = ["get", "post", "head", "options"]
    action_map_override = {"create": "change", "extend": "change", "discharge": "change"}

    def get_queryset(self) -> QuerySet[Any]:
        return (
            super()
            .get_queryset()
            .select_related(
                "case", "capacity", "facility__agency", "facility__settlement", "facility__region"
            )
            .prefetch_related("extensions")
            .order_by("-admitted_at", "-id")
        )

    def _answer(self, placement: Placement) -> dict[str, Any]:
        return dict(PlacementSerializer(_reread(Placement, placement.pk), context=_context(self)).data)

    @extend_schema(
        summary="Admit a person at your facility: from an accepted request, or directly (idempotent)",
        parameters=idempotency.parameters("admission"),
        request=AdmitSerializer,
        responses={
            201: OpenApiResponse(PlacementSerializer, description="Admitted."),
            200: OpenApiResponse(PlacementSerializer, description="A retry: the admission made earlier."),
            409: OpenApiResponse(description="The Idempotency-Key was used for a different admission."),
        },
    )
    def create(self, request: Request) -> Response:
        key = idempotency.key_from(request)
        facility = staff_facility(request.user)
        if facility is None:
            raise serializers.ValidationError(
                {"non_field_errors": [_("You are not the staff of a facility.")]}
            )
        serializer = AdmitSerializer(data=request.data, context=_context(self))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "children" in data:
            data["children"] = [dict(child) for child in data["children"]]
        placement = do_admit(actor=request.user, facility=facility, idempotency_key=key, **data)  # type: ignore[arg-type]
        return idempotency.respond(self._answer(placement), replayed=placement.idempotent_replay)

    @extend_schema(
        summary="Extend the stay past its planned end, with the reason (required)",
        request=ExtendSerializer,
        responses=PlacementSerializer,
    )
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, pk: str | None = None) -> Response:
        placement = self.get_object()
        serializer = ExtendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        do_extend_stay(actor=request.user, placement=placement, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(self._answer(placement))

    @extend_schema(
        summary="Discharge, with the destination and the outcome",
        request=DischargeSerializer,
        responses=PlacementSerializer,
    )
    @action(detail=True, methods=["post"])
    def discharge(self, request: Request, pk: str | None = None) -> Response:
        placement = self.get_object()
        serializer = DischargeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        do_discharge(actor=request.user, placement=placement, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(self._answer(placement))


@extend_schema_view(
    list=extend_schema(summary="Waiting lists: of your facility, or of your cases"),
    retrieve=extend_schema(summary="One waiting list entry; audited"),
)
class WaitingEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    queryset_model = WaitingEntry
    serializer_class = WaitingEntrySerializer
    http_method_names = ["get", "post", "head", "options"]
    permission_classes = [permissions.IsAuthenticated, AnyFacilitiesAction]
    actions_any = {
        "list": ("view",),
        "retrieve": ("view",),
        "create": ("change", "request"),
        "remove": ("change", "request"),
    }

    def get_queryset(self) -> QuerySet[Any]:
        return (
            WaitingEntry.objects.visible_to(self.request.user)
            .select_related("case", "facility__agency", "facility__settlement", "facility__region")
            .order_by("facility", "-urgent", "added_at", "id")
        )

    @extend_schema(
        summary="Put a case on a facility's waiting list (its staff, or the case's worker; idempotent)",
        parameters=idempotency.parameters("waiting list entry"),
        request=WaitingEntryInputSerializer,
        responses={
            201: OpenApiResponse(WaitingEntrySerializer, description="Added."),
            200: OpenApiResponse(WaitingEntrySerializer, description="A retry: the entry added earlier."),
            409: OpenApiResponse(description="The Idempotency-Key was used for a different entry."),
        },
    )
    def create(self, request: Request) -> Response:
        key = idempotency.key_from(request)
        serializer = WaitingEntryInputSerializer(data=request.data, context=_context(self))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["children"] = [dict(child) for child in data.get("children") or []]
        entry = do_add_to_waiting_list(actor=request.user, idempotency_key=key, **data)  # type: ignore[arg-type]
        answer = WaitingEntrySerializer(_reread(WaitingEntry, entry.pk), context=_context(self)).data
        return idempotency.respond(answer, replayed=entry.idempotent_replay)

    @extend_schema(summary="Take the case off the waiting list, saying why", request=WaitingRemoveSerializer)
    @action(detail=True, methods=["post"])
    def remove(self, request: Request, pk: str | None = None) -> Response:
        entry = self.get_object()
        serializer = WaitingRemoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        do_remove_from_waiting_list(actor=request.user, entry=entry, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(WaitingEntrySerializer(_reread(WaitingEntry, entry.pk), context=_context(self)).data)


class OccupancyViewSet(viewsets.GenericViewSet):
    """Occupancy today (network managers) and over time (network managers, and a facility's staff)."""

    permission_classes = [permissions.IsAuthenticated, AnyFacilitiesAction]
    actions_any = {"today": ("network",), "daily": ("network", "change")}
    pagination_class = None
    queryset = Capacity.objects.none()  # for the schema generator; the actions read history.py

    @extend_schema(
        summary="Places, vacancies and occupancy today by region and type (counts only)",
        responses=OccupancyTodaySerializer(many=True),
    )
    @action(detail=False, methods=["get"])
    def today(self, request: Request) -> Response:
        table = occupancy(request.user)
        rows = [
            {
                "region": region.code,
                "type": t.value,
                "facilities": cell.facilities,
                "beds": cell.beds,
                "vacant": cell.vacant,
                "held": cell.held,
                "stale": cell.stale,
                "occupancy": cell.occupancy,
            }
            for region, cells in table["rows"]
            for t, cell in zip(table["types"], cells, strict=True)
            if cell is not None
        ]
        return Response(OccupancyTodaySerializer(rows, many=True).data)

    @extend_schema(
        summary="Places taken each day over a period, for a facility, a region or your whole scope",
        parameters=[OccupancyQuerySerializer],
        responses=OccupancyDaySerializer(many=True),
    )
    @action(detail=False, methods=["get"])
    def daily(self, request: Request) -> Response:
        params = OccupancyQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        d = params.validated_data
        facility = None
        if d.get("facility"):
            facility = Facility.objects.filter(pk=d["facility"]).first()
            if facility is None:
                raise Http404
        capacities = history.capacities_for(request.user, facility=facility, region=d.get("region"))
        if (facility is not None or d.get("region")) and not capacities.exists():
            raise Http404
        days = history.daily(capacities, d["start"], d["end"])
        rows = [
            {"day": x.day, "beds": x.beds, "occupied": x.occupied, "held": x.held, "occupancy": x.occupancy}
            for x in days
        ]
        return Response(OccupancyDaySerializer(rows, many=True).data)


def register_routes(router: Any) -> None:
    router.register("facilities/register", FacilityViewSet, basename="facility")
    router.register("facilities/placements", PlacementViewSet, basename="placement")
    router.register("facilities/waiting", WaitingEntryViewSet, basename="waiting-entry")
    router.register("facilities/occupancy", OccupancyViewSet, basename="occupancy")
