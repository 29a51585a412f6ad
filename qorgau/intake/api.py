"""Intake API under /api/intake/: signals (list, retrieve, register, outcome, reconciliation) and orders.

Thin: the same queries and services as the pages (qorgau/intake/queries.py, services/).

Registering a signal needs an `Idempotency-Key` header. Keys are unique per agency: the same key with the
same request answers 200 with the signal it created and `Idempotent-Replayed: true`, creating nothing;
the same key with a different request answers 409. Persons are given by id (only persons you may see;
any other id "does not exist") or inline as new persons, which are created in the same transaction as the
signal, so that a 400 leaves nothing behind. On a retry, inline persons are matched to the parties of the
signal the key created (by IIN, else by name and birth date) instead of being created again.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
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
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.settings import api_settings

from qorgau.core.api.viewsets import ScopedViewSet
from qorgau.core.models import User
from qorgau.people.iin import hash_iin, normalize_iin
from qorgau.people.lookups import note_iin_lookup
from qorgau.people.models import Person
from qorgau.people.services import do_create_person

from .api_filters import ProtectiveOrderFilterSet, SignalFilterSet
from .models import OrderStatus, PartyRole, ProtectiveOrder, Signal, SignalParty
from .queries import signal_offenders, with_deadlines
from .serializers import (
    OutcomeInputSerializer,
    OutcomeSerializer,
    ProtectiveOrderSerializer,
    ReconciliationDecisionSerializer,
    ReconciliationInputSerializer,
    SignalCreateSerializer,
    SignalDetailSerializer,
    SignalListSerializer,
    TransferInputSerializer,
)
from .services import do_record_outcome, do_register_signal, do_request_reconciliation, do_transfer_signal
from .services.signals import IDEMPOTENCY_KEY_MAX

IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
# Visible ASCII only: the key travels in a header and is stored and compared as given.
IDEMPOTENCY_KEY_RE = re.compile(rf"^[\x21-\x7e]{{1,{IDEMPOTENCY_KEY_MAX}}}$")

PARTY_ROLES = {
    "reporter": PartyRole.REPORTER,
    "victims": PartyRole.VICTIM,
    "offenders": PartyRole.OFFENDER,
    "witnesses": PartyRole.WITNESS,
}


class IdempotencyConflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This idempotency key was already used for a different signal.")
    default_code = "idempotency_conflict"

    def __init__(self) -> None:
        super().__init__({"idempotency_key": [self.default_detail]})


class _Unresolvable(Exception):
    """On a retry, an inline person of the request is not among the parties the key's signal has."""


def idempotency_key(request: Request) -> str:
    key = (request.headers.get(IDEMPOTENCY_HEADER) or "").strip()
    if not key:
        raise serializers.ValidationError(
            {
                "idempotency_key": [
                    _(
                        "Send an Idempotency-Key header (e.g. a UUID made once per signal and reused "
                        "on every retry), so that a retried request never registers the signal twice."
                    )
                ]
            }
        )
    if not IDEMPOTENCY_KEY_RE.match(key):
        raise serializers.ValidationError(
            {
                "idempotency_key": [
                    _("The Idempotency-Key is 1 to %(n)d visible ASCII characters.")
                    % {"n": IDEMPOTENCY_KEY_MAX}
                ]
            }
        )
    return key


def _items(data: dict[str, Any], field: str) -> list[dict[str, Any]]:
    value = data.get(field)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _nest(data: dict[str, Any], field: str, errors: dict[int, Any]) -> Any:
    """Errors of some items of a party field, shaped as DRF shapes the errors of nested serializers."""
    if field == "reporter":
        return errors[0]
    if getattr(api_settings, "LIST_SERIALIZER_ERRORS_AS_DICT", False):
        return errors  # {index: errors of that item}
    return [errors.get(i, {}) for i in range(len(_items(data, field)))]


def _person_errors(exc: DjangoValidationError) -> dict[str, Any]:
    if hasattr(exc, "error_dict"):
        return {"new_person": exc.message_dict}
    return {"new_person": {"non_field_errors": exc.messages}}


def _note_iin_lookups(actor: User, data: dict[str, Any]) -> None:
    """Audit (and rate-limit) the IINs of inline persons before the registration's transaction starts,
    so that the rows stay when the request later fails; the people service skips them as already noted
    within this request."""
    for field in PARTY_ROLES:
        for item in _items(data, field):
            iin = normalize_iin((item.get("new_person") or {}).get("iin", ""))
            if iin:
                note_iin_lookup(actor, iin, context="register")


def _create_parties(actor: User, data: dict[str, Any]) -> dict[str, list[Person]]:
    """The persons of each party field; inline ones created (or found by IIN). Call inside a transaction."""
    resolved: dict[str, list[Person]] = {}
    errors: dict[str, Any] = {}
    for field in PARTY_ROLES:
        item_errors: dict[int, Any] = {}
        resolved[field] = []
        for i, item in enumerate(_items(data, field)):
            if "person" in item:
                resolved[field].append(item["person"])
                continue
            try:
                person, _created = do_create_person(actor=actor, **item["new_person"])
            except DjangoValidationError as exc:
                item_errors[i] = _person_errors(exc)
            else:
                resolved[field].append(person)
        if item_errors:
            errors[field] = _nest(data, field, item_errors)
    if errors:
        raise serializers.ValidationError(errors)
    return resolved


def _same_person(person: Person, new: dict[str, Any]) -> bool:
    def text(value: Any) -> str:
        return (value or "").strip()

    return (
        text(person.surname) == text(new.get("surname"))
        and text(person.given_name) == text(new.get("given_name"))
        and text(person.patronymic) == text(new.get("patronymic"))
        and person.birth_date == new.get("birth_date")
    )


def _match_parties(actor: User, data: dict[str, Any], signal: Signal) -> dict[str, list[Person]]:
    """On a retry: the persons of each party field without creating any (inline ones matched)."""
    parties = list(SignalParty.objects.filter(signal=signal).select_related("person"))
    resolved: dict[str, list[Person]] = {}
    for field, role in PARTY_ROLES.items():
        candidates = [p.person for p in parties if p.role == role]
        resolved[field] = []
        for item in _items(data, field):
            if "person" in item:
                resolved[field].append(item["person"])
                continue
            new = item["new_person"]
            iin = normalize_iin(new.get("iin", ""))
            if iin:
                found = Person.objects.visible_to(actor).filter(iin_hash=hash_iin(iin)).first()
            else:
                found = next((p for p in candidates if _same_person(p, new)), None)
            if found is None:
                raise _Unresolvable
            resolved[field].append(found)
    return resolved


class _Retry(Exception):
    """A concurrent request with the same key committed first: roll back and answer as a retry."""


def _register(actor: User, data: dict[str, Any], key: str) -> Signal:
    """Create the inline persons and register the signal in one transaction (or replay the key's signal)."""
    for attempt in range(2):
        try:
            with transaction.atomic():
                existing = Signal.objects.filter(agency=actor.agency_id, idempotency_key=key).first()
                if existing is not None:
                    try:
                        parties = _match_parties(actor, data, existing)
                    except _Unresolvable:
                        raise IdempotencyConflict() from None
                else:
                    parties = _create_parties(actor, data)
                try:
                    return do_register_signal(
                        actor=actor,
                        channel=data["channel"],
                        received_at=data["received_at"],
                        region=data["region"],
                        district=data.get("district"),
                        address=data.get("address", ""),
                        reporter=parties["reporter"][0] if parties["reporter"] else None,
                        anonymous_reporter=data.get("anonymous_reporter", False),
                        victims=parties["victims"],
                        offenders=parties["offenders"],
                        relationship=data.get("relationship", ""),
                        witnesses=parties["witnesses"],
                        forms=data.get("forms", []),
                        children_present=data.get("children_present", False),
                        weapon=data.get("weapon", False),
                        injuries=data.get("injuries", False),
                        alcohol_or_drugs=data.get("alcohol_or_drugs", False),
                        account=data.get("account", ""),
                        idempotency_key=key,
                    )
                except DjangoValidationError as exc:
                    if "idempotency_key" not in getattr(exc, "error_dict", {}):
                        raise
                    if existing is not None or attempt:
                        raise IdempotencyConflict() from None
                    # Our new persons made the fingerprint differ from the winner's: retry as a replay.
                    raise _Retry from None
        except _Retry:
            continue
    raise IdempotencyConflict()  # pragma: no cover - the second attempt returns or raises


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
    action_map_override = {"outcome": "outcome", "reconciliation": "reconcile", "transfer": "change"}
    rate_limited_actions = ("create",)

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset().select_related("region", "district", "outcome")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("parties__person", "outcomes", "protective_orders")
        return with_deadlines(queryset)

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return SignalDetailSerializer if self.action == "retrieve" else SignalListSerializer

    def _detail(self, signal: Signal) -> dict[str, Any]:
        fresh = (
            with_deadlines(Signal.objects.filter(pk=signal.pk))
            .select_related("region", "district", "outcome")
            .prefetch_related("parties__person", "outcomes", "protective_orders")
            .get()
        )
        return dict(SignalDetailSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Register a signal (idempotent by the Idempotency-Key header)",
        description=(
            "Registers a signal ex officio: it gets its registration number and deadlines at once, in a "
            "region where you work (a signal for another region is handed over with `transfer`). "
            "Parties are `{person: id}` (a person within your scope) or `{new_person: {...}}` (created "
            "with the signal; an IIN you may see is reused, any other answers as a new person). IIN "
            "look-ups are audited and limited per user (429). Everything is saved in one transaction or "
            "not at all.\n\n"
            "The `Idempotency-Key` header is required. Make one key (a UUID) per signal and send the "
            "same key on every retry of that request: a retry answers 200 with the signal already "
            "created and the header `Idempotent-Replayed: true`. Keys are unique per agency; reusing a "
            "key for a different request answers 409."
        ),
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=True,
                pattern=IDEMPOTENCY_KEY_RE.pattern,
                description=(
                    f"1 to {IDEMPOTENCY_KEY_MAX} visible ASCII characters, unique per signal, the same "
                    "on every retry (a UUID is a good key)."
                ),
            ),
            OpenApiParameter(
                REPLAYED_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                response=[200],
                enum=["true"],
                description="Present on a retry: the signal was created by an earlier request.",
            ),
        ],
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
        data = dict(serializer.validated_data)
        _note_iin_lookups(actor, data)
        signal = _register(actor, data, key)
        body = self._detail(signal)
        if signal.idempotent_replay:
            return Response(body, status=status.HTTP_200_OK, headers={REPLAYED_HEADER: "true"})
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record the legal outcome (closes the signal)",
        description=(
            "Needs intake.outcome. Required fields depend on the kind: criminal_case: article and "
            "case_number; admin_protocol: article (and part for article 73); protective_order: an order "
            "issued for this signal; special_requirements: details; referred: referred_agency; "
            "no_offence: reason. A signal that already has an outcome needs correction_reason."
        ),
        request=OutcomeInputSerializer,
        responses={201: OutcomeSerializer, 400: OpenApiResponse(description="Field messages.")},
    )
    @action(detail=True, methods=["post"])
    def outcome(self, request: Request, pk: str | None = None) -> Response:
        signal = self.get_object()
        serializer = OutcomeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outcome = do_record_outcome(actor=request.user, signal=signal, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(OutcomeSerializer(outcome).data, status=status.HTTP_201_CREATED)

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
        serializer = ReconciliationInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        offender = data.get("offender")
        if offender is None:
            offenders = list(signal_offenders(signal)[:2])
            if len(offenders) != 1:
                raise serializers.ValidationError(
                    {"offender": [_("Name the alleged offender the request is about.")]}
                )
            offender = offenders[0]
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
        serializer = TransferInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
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

    def get_queryset(self) -> QuerySet[Any]:
        now = timezone.now()
        open_checks = Q(checks__done_at__isnull=True)
        queryset = (
            super()
            .get_queryset()
            .select_related("signal", "signal__district")
            .annotate(
                next_check_due=Min("checks__due_at", filter=open_checks),
                checks_overdue=Count("checks", filter=open_checks & Q(checks__due_at__lt=now)),
            )
        )
        before = self.request.query_params.get("check_due_before") if self.action == "list" else None
        if before:
            try:
                day = dt.date.fromisoformat(before)
            except ValueError:
                raise serializers.ValidationError(
                    {"check_due_before": [_("Enter a date as YYYY-MM-DD.")]}
                ) from None
            end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
            queryset = queryset.filter(status=OrderStatus.ACTIVE, expires_at__gt=now, next_check_due__lt=end)
        return queryset.order_by("expires_at", "id")


def register(router: DefaultRouter) -> None:
    router.register("intake/signals", SignalViewSet, basename="signal")
    router.register("intake/protective-orders", ProtectiveOrderViewSet, basename="protective-order")
