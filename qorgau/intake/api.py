"""Intake API under /api/intake/: signals, protective orders and compliance checks, and every intake write
the pages have (register, legal measures, protective order, first contact, victim declined, assignment,
transfer, reconciliation, breach report, compliance check).

Thin: the same queries, flows and services as the pages (qorgau/intake/queries.py, flows.py, services/).

Registering a signal needs an `Idempotency-Key` header. Keys are unique per agency: the same key with the
same request answers 200 with the signal it created and `Idempotent-Replayed: true`, creating nothing;
the same key with a different request answers 409. Persons are given by id (only persons you may see;
any other id "does not exist") or inline as new persons, which are created in the same transaction as the
signal, so that a 400 leaves nothing behind. On a retry, inline persons are matched to the parties of the
signal the key created (by IIN, else by name and birth date) instead of being created again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.settings import api_settings

from qorgau.core.api import idempotency
from qorgau.core.api.viewsets import ScopedViewSet
from qorgau.core.models import User
from qorgau.people.models import Person

from . import flows
from .api_filters import ProtectiveOrderFilterSet, SignalFilterSet
from .models import ComplianceCheck, OrderStatus, Outcome, ProtectiveOrder, Signal
from .queries import signal_offenders, with_deadlines
from .serializers import (
    AssignInputSerializer,
    BreachInputSerializer,
    ComplianceCheckInputSerializer,
    ComplianceCheckSerializer,
    FirstContactInputSerializer,
    OutcomeInputSerializer,
    OutcomeSerializer,
    ProtectiveOrderInputSerializer,
    ProtectiveOrderSerializer,
    ReconciliationDecisionSerializer,
    ReconciliationInputSerializer,
    SignalCreateSerializer,
    SignalDetailSerializer,
    SignalListSerializer,
    TransferInputSerializer,
    VictimDeclinedInputSerializer,
)
from .services import (
    do_assign_signal,
    do_record_compliance_check,
    do_record_first_contact,
    do_record_victim_declined,
    do_report_breach,
    do_request_reconciliation,
    do_transfer_signal,
)

IDEMPOTENCY_HEADER = idempotency.HEADER
REPLAYED_HEADER = idempotency.REPLAYED_HEADER
IDEMPOTENCY_KEY_RE = idempotency.KEY_RE


class IdempotencyConflict(idempotency.KeyReused):
    default_detail = _("This idempotency key was already used for a different signal.")

    def __init__(self) -> None:
        super().__init__()


def idempotency_key(request: Request) -> str:
    return idempotency.key_from(
        request,
        missing=_(
            "Send an Idempotency-Key header (e.g. a UUID made once per signal and reused "
            "on every retry), so that a retried request never registers the signal twice."
        ),
    )


def _items(data: dict[str, Any], field: str) -> list[dict[str, Any]]:
    value = data.get(field)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _parties(data: dict[str, Any]) -> dict[str, list[flows.PartyInput]]:
    return {
        field: [
            item["person"] if "person" in item else flows.NewPerson(item["new_person"])
            for item in _items(data, field)
        ]
        for field in flows.PARTY_ROLES
    }


def _nest(data: dict[str, Any], field: str, errors: dict[int, Any]) -> Any:
    """Errors of some items of a party field, shaped as DRF shapes the errors of nested serializers."""
    if field == "reporter":
        return errors[0]
    if getattr(api_settings, "LIST_SERIALIZER_ERRORS_AS_DICT", False):
        return errors  # {index: errors of that item}
    return [errors.get(i, {}) for i in range(len(_items(data, field)))]


# What a signal's retrieve reads besides the signal: parties, their pairs, measures, orders (fixed count).
DETAIL_PREFETCH = (
    "parties__person",
    "parties__relationships_as_offender",
    "relationships__offender",
    "relationships__victim",
    "outcomes",
    "protective_orders",
)


def signal_data(signal: Signal, context: Mapping[str, Any]) -> dict[str, Any]:
    """A signal as the retrieve answers it, read afresh (after a write)."""
    fresh = (
        with_deadlines(Signal.objects.filter(pk=signal.pk))
        .select_related("region", "district", "outcome")
        .prefetch_related(*DETAIL_PREFETCH)
        .get()
    )
    return dict(SignalDetailSerializer(fresh, context=context).data)


def with_checks(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Orders with the next compliance check due and the number of overdue ones."""
    open_checks = Q(checks__done_at__isnull=True)
    return queryset.select_related("signal", "signal__district").annotate(
        next_check_due=Min("checks__due_at", filter=open_checks),
        checks_overdue=Count("checks", filter=open_checks & Q(checks__due_at__lt=timezone.now())),
    )


def order_data(order: ProtectiveOrder) -> dict[str, Any]:
    return dict(
        ProtectiveOrderSerializer(with_checks(ProtectiveOrder.objects.filter(pk=order.pk)).get()).data
    )


def _register(actor: User, data: dict[str, Any], key: str) -> Signal:
    """The registration flow (qorgau/intake/flows.py), its errors as the API answers them."""
    fields = {k: v for k, v in data.items() if k not in (*flows.PARTY_ROLES, "relationships")}
    pairs = [
        flows.PairInput(item["offender"], item["victim"], item["relationship"])
        for item in data.get("relationships") or ()
    ]
    involvement = [item["child_involvement"] for item in data.get("children") or ()]
    try:
        return flows.register_signal(
            actor=actor,
            parties=_parties(data),
            idempotency_key=key,
            child_involvement=involvement,
            pairs=pairs,
            **fields,
        )
    except flows.PartyErrors as exc:
        raise serializers.ValidationError(
            {field: _nest(data, field, errors) for field, errors in exc.errors.items()}
        ) from None
    except flows.IdempotencyConflict:
        raise IdempotencyConflict() from None


@extend_schema_view(
    list=extend_schema(
        summary="Signals you may see (no names)",
        description="Number, dates, place, status and flags of each signal; parties only on retrieve.",
    ),
    retrieve=extend_schema(summary="One signal with its parties and outcomes; audited"),
)
class SignalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    queryset_model = Signal
    filterset_class = SignalFilterSet
    http_method_names = ["get", "post", "head", "options"]
    action_map_override = {
        "outcome": "outcome",
        "protective_orders": "outcome",
        "reconciliation": "reconcile",
        "transfer": "change",
        "first_contact": "change",
        "victim_declined": "change",
        "assign": "change",
    }
    rate_limited_actions = ("create",)

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset().select_related("region", "district", "outcome")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(*DETAIL_PREFETCH)
        return with_deadlines(queryset)

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return SignalDetailSerializer if self.action == "retrieve" else SignalListSerializer

    def _detail(self, signal: Signal) -> dict[str, Any]:
        return signal_data(signal, self.get_serializer_context())

    @extend_schema(
        summary="Register a signal (idempotent by the Idempotency-Key header)",
        description=(
            "Registers a signal ex officio: it gets its registration number and deadlines at once, in a "
            "region where you work (a signal for another region is handed over with `transfer`). "
            "Parties are `{person: id}` (a person within your scope) or `{new_person: {...}}` (created "
            "with the signal; an IIN you may see is reused, any other answers as a new person). IIN "
            "look-ups are audited and limited per user (429). Everything is saved in one transaction or "
            "not at all.\n\n"
            "Every offender-victim pair needs what the offender is to that victim: `relationships` lists "
            "pairs by their positions in `offenders` and `victims` (from 0); `relationship` applies to every "
            "pair not listed (one relationship for all, as earlier clients send it). `children` names "
            "child witnesses and affected children (`child_involvement`: witness or affected), who are "
            "not victims; with any, `children_present` is true.\n\n"
            "The `Idempotency-Key` header is required. Make one key (a UUID) per signal and send the "
            "same key on every retry of that request: a retry answers 200 with the signal already "
            "created and the header `Idempotent-Replayed: true`. Keys are unique per agency; reusing a "
            "key for a different request answers 409."
        ),
        parameters=idempotency.parameters(
            "signal",
            key_description=(
                f"1 to {idempotency.KEY_MAX} visible ASCII characters, unique per signal, the same on "
                "every retry (a UUID is a good key)."
            ),
        ),
        request=SignalCreateSerializer,
        responses={
            201: OpenApiResponse(SignalDetailSerializer, description="Registered."),
            200: OpenApiResponse(
                SignalDetailSerializer, description="A retry: the signal this key registered earlier."
            ),
            400: OpenApiResponse(
                description="Missing or malformed Idempotency-Key, or invalid data (field messages, "
                "nested for parties); nothing was saved."
            ),
            409: OpenApiResponse(description="The Idempotency-Key was used for a different request."),
        },
    )
    def create(self, request: Request) -> Response:
        key = idempotency_key(request)
        serializer = SignalCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        actor: User = request.user  # type: ignore[assignment]
        signal = _register(actor, dict(serializer.validated_data), key)
        return idempotency.respond(self._detail(signal), replayed=signal.idempotent_replay)

    def _input(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _one_offender(self, signal: Signal, offender: Person | None) -> Person:
        if offender is not None:
            return offender
        offenders = list(signal_offenders(signal)[:2])
        if len(offenders) != 1:
            raise serializers.ValidationError(
                {"offender": [_("Name the alleged offender the request is about.")]}
            )
        return offenders[0]

    @extend_schema(
        summary="Record a legal measure; a decisive one is the outcome and closes the signal",
        description=(
            "Needs intake.outcome. A signal takes several measures: the decisive ones (criminal_case, "
            "admin_protocol, referred, no_offence) close it, one current at a time; protective_order and "
            "special_requirements accompany them. Required fields depend on the kind: criminal_case: "
            "article and case_number; admin_protocol: article (and part for article 73); protective_order: "
            "offender and served_at (the order is issued with the measure); special_requirements: details; "
            "referred: referred_agency; no_offence: reason. A correction names the measure it replaces "
            "(`corrects`, kept as superseded) and needs correction_reason; a decisive measure on a signal "
            "that has one corrects it."
        ),
        request=OutcomeInputSerializer,
        responses={201: OutcomeSerializer, 400: OpenApiResponse(description="Field messages.")},
    )
    @action(detail=True, methods=["post"])
    def outcome(self, request: Request, pk: str | None = None) -> Response:
        signal = self.get_object()
        data = self._input(OutcomeInputSerializer)
        corrects_id = data.pop("corrects", None)
        corrects = None
        if corrects_id is not None:
            corrects = Outcome.objects.filter(signal=signal, pk=corrects_id).first()
            if corrects is None:
                raise serializers.ValidationError(
                    {"corrects": [_("Choose a current measure of this signal to correct.")]}
                )
        measure, _order = flows.record_measure(
            actor=request.user,  # type: ignore[arg-type]
            signal=signal,
            corrects=corrects,
            **data,
        )
        return Response(OutcomeSerializer(measure).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Issue a protective order (recorded as a legal measure; the signal stays open)",
        description=(
            "Needs intake.outcome. Validity and the compliance-check schedule come from the rules in force "
            "on the day of service. `offender` may be left out when the signal names exactly one."
        ),
        request=ProtectiveOrderInputSerializer,
        responses={201: ProtectiveOrderSerializer, 400: OpenApiResponse(description="Field messages.")},
    )
    @action(detail=True, methods=["post"], url_path="protective-orders")
    def protective_orders(self, request: Request, pk: str | None = None) -> Response:
        signal = self.get_object()
        data = self._input(ProtectiveOrderInputSerializer)
        order, _measure = flows.issue_protective_order(
            actor=request.user,  # type: ignore[arg-type]
            signal=signal,
            offender=self._one_offender(signal, data.get("offender")),
            served_at=data["served_at"],
            victims=data.get("victims"),
            number=data.get("number", ""),
            details=data.get("details", ""),
        )
        return Response(order_data(order), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record the first contact with the victim",
        request=FirstContactInputSerializer,
        responses={200: SignalDetailSerializer, 400: OpenApiResponse(description="Field messages.")},
    )
    @action(detail=True, methods=["post"], url_path="first-contact")
    def first_contact(self, request: Request, pk: str | None = None) -> Response:
        signal = self.get_object()
        data = self._input(FirstContactInputSerializer)
        do_record_first_contact(
            actor=request.user,  # type: ignore[arg-type]
            signal=signal,
            contacted_at=data.get("contacted_at") or timezone.now(),
        )
        return Response(self._detail(signal))

    @extend_schema(
        summary="Record that the victim declined to cooperate (a fact: the signal stays open)",
        request=VictimDeclinedInputSerializer,
        responses={200: SignalDetailSerializer, 400: OpenApiResponse(description="Field messages.")},
    )
    @action(detail=True, methods=["post"], url_path="victim-declined")
    def victim_declined(self, request: Request, pk: str | None = None) -> Response:
        signal = self.get_object()
        data = self._input(VictimDeclinedInputSerializer)
        do_record_victim_declined(
            actor=request.user,  # type: ignore[arg-type]
            signal=signal,
            declined_at=data.get("declined_at"),
            note=data.get("note", ""),
        )
        return Response(self._detail(signal))

    @extend_schema(
        summary="Assign the signal to an inspector of its police (null: unassign)",
        request=AssignInputSerializer,
        responses={200: SignalDetailSerializer, 400: OpenApiResponse(description="Field messages.")},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        signal = self.get_object()
        data = self._input(AssignInputSerializer)
        assignee = None
        if data["assignee"] is not None:
            assignee = User.objects.filter(pk=data["assignee"], is_active=True).first()
            if assignee is None:
                raise serializers.ValidationError(
                    {"assignee": [_("Choose an inspector of the police of the signal's region.")]}
                )
        do_assign_signal(actor=request.user, signal=signal, assignee=assignee)  # type: ignore[arg-type]
        return Response(self._detail(signal))

    @extend_schema(
        summary="Request reconciliation: the guard allows or refuses it, citing rule and version",
        description=(
            "Needs intake.reconcile. Applies the reconciliation rule set in force on `at` (default: the "
            "day the signal was received). Every decision, allowed or refused, is stored and audited."
        ),
        request=ReconciliationInputSerializer,
        responses={
            201: ReconciliationDecisionSerializer,
            400: OpenApiResponse(description="Field messages."),
        },
    )
    @action(detail=True, methods=["post"], url_path="reconciliation")
    def reconciliation(self, request: Request, pk: str | None = None) -> Response:
        signal = self.get_object()
        data = self._input(ReconciliationInputSerializer)
        offender = self._one_offender(signal, data.get("offender"))
        at = data.get("at")
        decision = do_request_reconciliation(
            actor=request.user,  # type: ignore[arg-type]
            signal=signal,
            offender=offender,
            at=timezone.make_aware(dt.datetime.combine(at, dt.time(12))) if at else None,
            note=data.get("note", ""),
        )
        return Response(ReconciliationDecisionSerializer(decision).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Hand the signal over to another region (audited, with the reason)",
        description=(
            "Needs intake.change on the signal. The signal moves to the region (and district) given; its "
            "assignment is cleared for the receiving police to assign; number and deadlines stay."
        ),
        request=TransferInputSerializer,
        responses={200: SignalDetailSerializer, 400: OpenApiResponse(description="Field messages.")},
    )
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, pk: str | None = None) -> Response:
        signal = self.get_object()
        data = self._input(TransferInputSerializer)
        signal = do_transfer_signal(
            actor=request.user,  # type: ignore[arg-type]
            signal=signal,
            region=data["region"],
            district=data.get("district"),
            reason=data["reason"],
        )
        return Response(self._detail(signal))


@extend_schema_view(
    list=extend_schema(
        summary="Protective orders you may see (no names)",
        description="With the next compliance check due and the number of overdue checks.",
        parameters=[
            OpenApiParameter(
                "check_due_before",
                OpenApiTypes.DATE,
                description="Only orders with a check not yet done due before the end of this day.",
            )
        ],
    ),
    retrieve=extend_schema(summary="One protective order; audited"),
)
class ProtectiveOrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    queryset_model = ProtectiveOrder
    serializer_class = ProtectiveOrderSerializer
    filterset_class = ProtectiveOrderFilterSet

    action_map_override = {"breach": "add"}

    def get_queryset(self) -> QuerySet[Any]:
        queryset = with_checks(super().get_queryset())
        before = self.request.query_params.get("check_due_before") if self.action == "list" else None
        if before:
            try:
                day = dt.date.fromisoformat(before)
            except ValueError:
                raise serializers.ValidationError(
                    {"check_due_before": [_("Enter a date as YYYY-MM-DD.")]}
                ) from None
            end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
            queryset = queryset.filter(
                status=OrderStatus.ACTIVE, expires_at__gt=timezone.now(), next_check_due__lt=end
            )
        return queryset.order_by("expires_at", "id")

    @extend_schema(
        summary="Report a breach of the order: registered as a new signal (idempotent by Idempotency-Key)",
        description=(
            "Needs intake.add. The new signal has the order's region, district, protected persons and "
            "offender, and links to the order; `received_at` must fall while the order was in force. The "
            "`Idempotency-Key` header works as for registering a signal."
        ),
        parameters=idempotency.parameters(
            "breach",
            key_description=f"1 to {idempotency.KEY_MAX} visible ASCII characters, the same on every retry.",
            replayed_description="Present on a retry: the breach was registered by an earlier request.",
        ),
        request=BreachInputSerializer,
        responses={
            201: OpenApiResponse(SignalDetailSerializer, description="Registered."),
            200: OpenApiResponse(
                SignalDetailSerializer, description="A retry: the signal registered earlier."
            ),
            400: OpenApiResponse(description="Field messages; nothing was saved."),
            409: OpenApiResponse(description="The Idempotency-Key was used for a different request."),
        },
    )
    @action(detail=True, methods=["post"])
    def breach(self, request: Request, pk: str | None = None) -> Response:
        order = self.get_object()
        key = idempotency_key(request)
        serializer = BreachInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        try:
            signal = do_report_breach(
                actor=request.user,  # type: ignore[arg-type]
                order=order,
                idempotency_key=key,
                **serializer.validated_data,
            )
        except DjangoValidationError as exc:
            if "idempotency_key" in getattr(exc, "error_dict", {}):
                raise IdempotencyConflict() from None
            raise
        return idempotency.respond(
            signal_data(signal, self.get_serializer_context()), replayed=signal.idempotent_replay
        )


@extend_schema_view(retrieve=extend_schema(summary="One compliance check of a protective order; audited"))
class ComplianceCheckViewSet(mixins.RetrieveModelMixin, ScopedViewSet):
    queryset_model = ComplianceCheck
    serializer_class = ComplianceCheckSerializer
    action_map_override = {"record": "change"}

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().order_by("due_at", "id")

    @extend_schema(
        summary="Record the compliance check (a breach found is also reported, as a new signal)",
        request=ComplianceCheckInputSerializer,
        responses={200: ComplianceCheckSerializer, 400: OpenApiResponse(description="Field messages.")},
    )
    @action(detail=True, methods=["post"])
    def record(self, request: Request, pk: str | None = None) -> Response:
        check = self.get_object()
        serializer = ComplianceCheckInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        check = do_record_compliance_check(actor=request.user, check=check, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(ComplianceCheckSerializer(check).data)


def register(router: DefaultRouter) -> None:
    router.register("intake/signals", SignalViewSet, basename="signal")
    router.register("intake/protective-orders", ProtectiveOrderViewSet, basename="protective-order")
    router.register("intake/compliance-checks", ComplianceCheckViewSet, basename="compliance-check")
