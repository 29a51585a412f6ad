"""Cases API under /api/cases/: cases and their records, referrals, transfers, specialists.

Thin: the same queries and services as the pages (qorgau/cases/queries.py, services/). Every read starts
from `visible_to`; a case shared with an agency by an accepted referral is readable by it (`view` only)
with the sections of the referral's purpose, and answers 404 from the moment the referral ends. Writes on
a case need the action on it by the caller's own scope (a shared case is never changed by the receiver).

Opening a case and referring one need an `Idempotency-Key` header (qorgau/core/api/idempotency.py): a
retry answers 200 with what the first request made and `Idempotent-Replayed: true`; the key with another
request answers 409; a retry by a user who cannot see the record answers 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from qorgau.core.api import idempotency
from qorgau.core.api.viewsets import ScopedViewSet
from qorgau.core.models import User

from .api_filters import CaseFilterSet, ReferralFilterSet, SpecialistFilterSet, TransferFilterSet
from .models import Case, CaseService, CaseTransfer, Qualification, Referral, ServiceSession, Specialist
from .serializers import (
    AssessmentInputSerializer,
    AssignCaseInputSerializer,
    CaseDetailSerializer,
    CaseListSerializer,
    CaseTransferInputSerializer,
    ChildInputSerializer,
    ChildSerializer,
    CloseInputSerializer,
    CompleteInputSerializer,
    GoalInputSerializer,
    GoalSerializer,
    OpenCaseSerializer,
    QualificationInputSerializer,
    QualificationSerializer,
    ReasonInputSerializer,
    ReferInputSerializer,
    ReferralSerializer,
    SafetyPlanInputSerializer,
    SafetyPlanSerializer,
    ServiceInputSerializer,
    ServiceSerializer,
    SessionInputSerializer,
    SessionSerializer,
    SpecialistInputSerializer,
    SpecialistSerializer,
    TransferSerializer,
)
from .services import (
    do_accept_referral,
    do_accept_transfer,
    do_add_child,
    do_add_goal,
    do_add_qualification,
    do_add_specialist,
    do_assign_case,
    do_assign_service,
    do_close_case,
    do_complete_referral,
    do_decline_referral,
    do_decline_transfer,
    do_open_case,
    do_record_assessment,
    do_record_safety_plan,
    do_record_session,
    do_refer_case,
    do_reopen_case,
    do_request_transfer,
    do_revoke_referral,
)

FIELD_ERRORS = OpenApiResponse(description="Field messages; nothing was saved.")
CONFLICT = OpenApiResponse(description="The Idempotency-Key was used for a different request.")
HIDDEN_REPLAY = OpenApiResponse(
    description="A retry of a key whose record you cannot see (the answer for one that does not exist)."
)


def with_sections(queryset: QuerySet[Case]) -> QuerySet[Case]:
    """Cases with everything a detail may show (the serializer leaves out the sections not allowed)."""
    return queryset.select_related("agency", "region", "district", "victim").prefetch_related(
        "closures",
        "safety_plans",
        "goals",
        "children__person",
        Prefetch(
            "services",
            queryset=CaseService.objects.select_related("specialist__user").prefetch_related("sessions"),
        ),
    )


class CasesViewSet(ScopedViewSet):
    """What every cases viewset shares: the input helper, the actor, GET and POST only."""

    http_method_names = ["get", "post", "head", "options"]

    @property
    def actor(self) -> User:
        return self.request.user  # type: ignore[return-value]

    def _input(self, serializer_class: type[serializers.Serializer], **context: Any) -> dict[str, Any]:
        serializer = serializer_class(
            data=self.request.data, context={**self.get_serializer_context(), **context}
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


@extend_schema_view(
    list=extend_schema(
        summary="Cases you may see (no names)",
        description="Your agency's cases and those shared with it by an accepted referral; code, state, "
        "owner and dates only.",
    ),
    retrieve=extend_schema(
        summary="One case with the sections you may see; audited",
        description="The owning agency sees every section; an agency the case was referred to sees the "
        "sections of the referral's purpose, the others are null (`sections` lists those shown).",
    ),
)
class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CasesViewSet):
    queryset_model = Case
    filterset_class = CaseFilterSet
    action_map_override = {
        "assessment": "change",
        "safety_plans": "change",
        "goals": "change",
        "services": "change",
        "children": "change",
        "assign": "change",
        "close": "close",
        "reopen": "close",
        "referrals": "refer",
        "transfers": "refer",
    }

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset()
        if self.action == "retrieve":
            return with_sections(queryset)
        return queryset.select_related("agency", "region", "district")

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return CaseDetailSerializer if self.action == "retrieve" else CaseListSerializer

    def _detail(self, case: Case) -> dict[str, Any]:
        fresh = with_sections(Case.objects.filter(pk=case.pk)).get()
        return dict(CaseDetailSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Open a case (idempotent by the Idempotency-Key header)",
        description=(
            "Needs cases.add. Opens a case at your agency for the victim of a signal (`signal`; `victim` "
            "too when the signal names several) or on a self-referral (`victim`, a person found or "
            "registered through the people API: a case never creates a person). One open case per person "
            "per agency. You become its case worker.\n\n"
            "The `Idempotency-Key` header is required: a retry with the same key and body answers 200 with "
            "the case opened earlier and `Idempotent-Replayed: true`; the key with another body answers 409."
        ),
        parameters=idempotency.parameters("case"),
        request=OpenCaseSerializer,
        responses={
            201: OpenApiResponse(CaseDetailSerializer, description="Opened."),
            200: OpenApiResponse(CaseDetailSerializer, description="A retry: the case opened earlier."),
            400: FIELD_ERRORS,
            404: HIDDEN_REPLAY,
            409: CONFLICT,
        },
    )
    def create(self, request: Request) -> Response:
        key = idempotency.key_from(request)
        data = self._input(OpenCaseSerializer)
        case = do_open_case(actor=self.actor, idempotency_key=key, **data)
        return idempotency.respond(self._detail(case), replayed=case.idempotent_replay)

    @extend_schema(
        summary="Record the needs assessment done with the victim",
        request=AssessmentInputSerializer,
        responses={200: CaseDetailSerializer, 400: FIELD_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def assessment(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        data = self._input(AssessmentInputSerializer)
        do_record_assessment(actor=self.actor, case=case, needs=data["needs"], notes=data.get("notes", ""))
        return Response(self._detail(case))

    @extend_schema(
        summary="Record the safety plan as a new version (earlier versions are kept)",
        request=SafetyPlanInputSerializer,
        responses={201: SafetyPlanSerializer, 400: FIELD_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="safety-plans")
    def safety_plans(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        plan = do_record_safety_plan(actor=self.actor, case=case, **self._input(SafetyPlanInputSerializer))
        return Response(SafetyPlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Add a goal to the case plan",
        request=GoalInputSerializer,
        responses={201: GoalSerializer, 400: FIELD_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def goals(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        goal = do_add_goal(actor=self.actor, case=case, **self._input(GoalInputSerializer))
        return Response(GoalSerializer(goal).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Assign a service to a qualified specialist",
        description=(
            "The specialist needs a qualification for the service type valid on the day the service "
            "starts: a missing, expired or not yet valid one answers 400 on `specialist`, naming it."
        ),
        request=ServiceInputSerializer,
        responses={201: ServiceSerializer, 400: FIELD_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def services(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        data = self._input(ServiceInputSerializer, case=case)
        service = do_assign_service(actor=self.actor, case=case, **data)
        fresh = CaseService.objects.select_related("specialist__user").prefetch_related("sessions")
        return Response(ServiceSerializer(fresh.get(pk=service.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Link a child of the victim to the case, with the child's needs",
        request=ChildInputSerializer,
        responses={201: ChildSerializer, 400: FIELD_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def children(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        child = do_add_child(actor=self.actor, case=case, **self._input(ChildInputSerializer))
        return Response(ChildSerializer(child).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Give the case to another case worker of its agency",
        request=AssignCaseInputSerializer,
        responses={200: CaseDetailSerializer, 400: FIELD_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        data = self._input(AssignCaseInputSerializer)
        do_assign_case(actor=self.actor, case=case, assignee=data["assignee"])
        return Response(self._detail(case))

    @extend_schema(
        summary="Close the case with its outcome and the reason (both required)",
        request=CloseInputSerializer,
        responses={200: CaseDetailSerializer, 400: FIELD_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        data = self._input(CloseInputSerializer)
        do_close_case(
            actor=self.actor, case=case, outcome=data.get("outcome", ""), reason=data.get("reason", "")
        )
        return Response(self._detail(case))

    @extend_schema(
        summary="Reopen a closed case, with the reason",
        request=ReasonInputSerializer,
        responses={200: CaseDetailSerializer, 400: FIELD_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        data = self._input(ReasonInputSerializer)
        do_reopen_case(actor=self.actor, case=case, reason=data.get("reason", ""))
        return Response(self._detail(case))

    @extend_schema(
        summary="Refer the case to another agency (idempotent by the Idempotency-Key header)",
        description=(
            "Needs cases.refer on a case your agency owns. Nothing is shared until the receiving agency "
            "accepts; it then sees this case alone, with the sections of the purpose, until the referral "
            "ends. A purpose that discloses who the victim is needs her consent in force for that purpose "
            "and agency, or a legal mandate with its reason: otherwise 400 with the reason, and the "
            "refusal is audited.\n\n"
            "The `Idempotency-Key` header is required: a retry answers 200 with the referral made earlier "
            "and `Idempotent-Replayed: true`; the key with another body answers 409."
        ),
        parameters=idempotency.parameters("referral"),
        request=ReferInputSerializer,
        responses={
            201: OpenApiResponse(ReferralSerializer, description="Requested."),
            200: OpenApiResponse(ReferralSerializer, description="A retry: the referral made earlier."),
            400: FIELD_ERRORS,
            409: CONFLICT,
        },
    )
    @action(detail=True, methods=["post"])
    def referrals(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        key = idempotency.key_from(request)
        data = self._input(ReferInputSerializer)
        referral = do_refer_case(actor=self.actor, case=case, idempotency_key=key, **data)
        return idempotency.respond(referral_data(referral), replayed=referral.idempotent_replay)

    @extend_schema(
        summary="Ask another agency to take the case over (effective when it accepts)",
        request=CaseTransferInputSerializer,
        responses={201: TransferSerializer, 400: FIELD_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def transfers(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        transfer = do_request_transfer(
            actor=self.actor, case=case, **self._input(CaseTransferInputSerializer)
        )
        return Response(transfer_data(transfer), status=status.HTTP_201_CREATED)


class ServiceViewSet(CasesViewSet):
    """The services of cases: the sessions recorded by the case worker or the specialist delivering it."""

    queryset_model = CaseService
    serializer_class = SessionSerializer  # what OPTIONS describes
    action_map_override = {"sessions": "change"}

    @extend_schema(
        summary="Record a session or act of the service (date, duration, outcome)",
        description="By the case's worker, or by the specialist who delivers the service.",
        request=SessionInputSerializer,
        responses={201: SessionSerializer, 400: FIELD_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def sessions(self, request: Request, pk: str | None = None) -> Response:
        service = self.get_object()
        session = do_record_session(actor=self.actor, service=service, **self._input(SessionInputSerializer))
        return Response(
            SessionSerializer(ServiceSession.objects.get(pk=session.pk)).data, status=status.HTTP_201_CREATED
        )


def referral_data(referral: Referral) -> dict[str, Any]:
    return dict(
        ReferralSerializer(Referral.objects.select_related("case", "purpose").get(pk=referral.pk)).data
    )


def transfer_data(transfer: CaseTransfer) -> dict[str, Any]:
    return dict(TransferSerializer(CaseTransfer.objects.select_related("case").get(pk=transfer.pk)).data)


@extend_schema_view(
    list=extend_schema(
        summary="Referrals of your agency's cases and to your agency (no names)",
        description="`direction=incoming` for those waiting at your agency.",
    ),
    retrieve=extend_schema(summary="One referral; audited"),
)
class ReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CasesViewSet):
    queryset_model = Referral
    serializer_class = ReferralSerializer
    filterset_class = ReferralFilterSet
    action_map_override = {"accept": "change", "decline": "change", "complete": "change", "revoke": "refer"}

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("case", "purpose")

    @extend_schema(
        summary="Accept a referral to your agency: the case opens to it with the purpose's sections",
        description="Refused (400, audited) when the consent it relied on is no longer in force.",
        request=None,
        responses={200: ReferralSerializer, 400: FIELD_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        referral = do_accept_referral(actor=self.actor, referral=self.get_object())
        return Response(referral_data(referral))

    @extend_schema(
        summary="Decline a referral to your agency, with the reason",
        request=ReasonInputSerializer,
        responses={200: ReferralSerializer, 400: FIELD_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        referral = self.get_object()
        data = self._input(ReasonInputSerializer)
        referral = do_decline_referral(actor=self.actor, referral=referral, reason=data.get("reason", ""))
        return Response(referral_data(referral))

    @extend_schema(
        summary="Record that the referral's work is done (either agency); the access ends at once",
        request=CompleteInputSerializer,
        responses={200: ReferralSerializer, 400: FIELD_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        referral = self.get_object()
        data = self._input(CompleteInputSerializer)
        referral = do_complete_referral(actor=self.actor, referral=referral, note=data.get("note", ""))
        return Response(referral_data(referral))

    @extend_schema(
        summary="Revoke a referral of your agency's case, with the reason; the access ends at once",
        description="The receiving agency's next request for the case answers 404.",
        request=ReasonInputSerializer,
        responses={200: ReferralSerializer, 400: FIELD_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        referral = self.get_object()
        data = self._input(ReasonInputSerializer)
        referral = do_revoke_referral(actor=self.actor, referral=referral, reason=data.get("reason", ""))
        return Response(referral_data(referral))


@extend_schema_view(
    list=extend_schema(summary="Transfers of cases from and to your agency"),
    retrieve=extend_schema(summary="One transfer; audited"),
)
class TransferViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CasesViewSet):
    queryset_model = CaseTransfer
    serializer_class = TransferSerializer
    filterset_class = TransferFilterSet
    action_map_override = {"accept": "add", "decline": "add"}

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("case")

    @extend_schema(
        summary="Take the case over: your agency owns it from now on, and you work it",
        request=None,
        responses={200: TransferSerializer, 400: FIELD_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        transfer = self.get_object()
        do_accept_transfer(actor=self.actor, transfer=transfer)
        return Response(transfer_data(transfer))

    @extend_schema(
        summary="Decline the transfer, with the reason; the owner keeps the case",
        request=ReasonInputSerializer,
        responses={200: TransferSerializer, 400: FIELD_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        transfer = self.get_object()
        data = self._input(ReasonInputSerializer)
        transfer = do_decline_transfer(actor=self.actor, transfer=transfer, reason=data.get("reason", ""))
        return Response(transfer_data(transfer))


@extend_schema_view(
    list=extend_schema(summary="Specialists of your agency with their qualifications"),
    retrieve=extend_schema(summary="One specialist with their qualifications; audited"),
)
class SpecialistViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CasesViewSet):
    queryset_model = Specialist
    serializer_class = SpecialistSerializer
    filterset_class = SpecialistFilterSet
    action_map_override = {"create": "change", "qualifications": "change"}

    def get_queryset(self) -> QuerySet[Any]:
        qualifications = Prefetch(
            "qualifications", queryset=Qualification.objects.order_by("kind", "-valid_until")
        )
        return super().get_queryset().select_related("user").prefetch_related(qualifications)

    def _fresh(self, specialist: Specialist) -> dict[str, Any]:
        fresh = (
            Specialist.objects.select_related("user").prefetch_related("qualifications").get(pk=specialist.pk)
        )
        return dict(SpecialistSerializer(fresh).data)

    @extend_schema(
        summary="Record a specialist of your agency (a user of it, or a named person without an account)",
        request=SpecialistInputSerializer,
        responses={201: SpecialistSerializer, 400: FIELD_ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = self._input(SpecialistInputSerializer)
        specialist = do_add_specialist(
            actor=self.actor, user=data.get("user"), full_name=data.get("full_name", "")
        )
        return Response(self._fresh(specialist), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record a qualification of the specialist (kind, document, issuer, valid until)",
        description="Never your own: another worker of the agency records it.",
        request=QualificationInputSerializer,
        responses={201: QualificationSerializer, 400: FIELD_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def qualifications(self, request: Request, pk: str | None = None) -> Response:
        specialist = self.get_object()
        data = self._input(QualificationInputSerializer)
        qualification = do_add_qualification(actor=self.actor, specialist=specialist, **data)
        return Response(QualificationSerializer(qualification).data, status=status.HTTP_201_CREATED)


def register(router: DefaultRouter) -> None:
    router.register("cases/cases", CaseViewSet, basename="case")
    router.register("cases/services", ServiceViewSet, basename="case-service")
    router.register("cases/referrals", ReferralViewSet, basename="referral")
    router.register("cases/transfers", TransferViewSet, basename="case-transfer")
    router.register("cases/specialists", SpecialistViewSet, basename="specialist")
