"""Offenders API under /api/offenders/: referrals to compulsory treatment and their steps, programme
referrals with assessment, sessions and end, court requirements and their checks, partner contacts.

Thin: the same queries and services as the pages. Every read starts from `visible_to`; out of scope
answers 404. Starting a treatment referral and referring to a programme need an `Idempotency-Key`
header (qorgau/core/api/idempotency.py).
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

from qorgau.core.api import idempotency
from qorgau.core.api.viewsets import ScopedViewSet
from qorgau.core.models import User

from .models import CourtRequirement, PartnerContact, ProgrammeReferral, TreatmentReferral
from .serializers import (
    AdvanceTreatmentSerializer,
    AnswerContactSerializer,
    AssessSerializer,
    CheckRequirementSerializer,
    EndProgrammeSerializer,
    FirstContactSerializer,
    PartnerContactSerializer,
    ProgrammeReferralDetailSerializer,
    ProgrammeReferralSerializer,
    ProgrammeSessionSerializer,
    RecordRequirementSerializer,
    RecordSessionSerializer,
    ReferToProgrammeSerializer,
    RequirementSerializer,
    StartTreatmentSerializer,
    TreatmentDetailSerializer,
    TreatmentReferralSerializer,
)
from .services import (
    do_advance_treatment,
    do_answer_partner_contact,
    do_assess,
    do_check_requirement,
    do_end_programme,
    do_record_first_contact,
    do_record_requirement,
    do_record_safety_review,
    do_record_session,
    do_refer_to_programme,
    do_start_treatment_referral,
)

FIELD_ERRORS = OpenApiResponse(description="Field messages; nothing was saved.")
CONFLICT = OpenApiResponse(description="The Idempotency-Key was used for a different request.")
HIDDEN_REPLAY = OpenApiResponse(
    description="A retry of a key whose record you cannot see, or no such record."
)


class OffendersViewSet(ScopedViewSet):
    http_method_names = ["get", "post", "head", "options"]

    @property
    def actor(self) -> User:
        return self.request.user  # type: ignore[return-value]

    def _input(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


@extend_schema_view(
    list=extend_schema(summary="Referrals to compulsory treatment your agency takes part in"),
    retrieve=extend_schema(summary="One referral with its steps and the moves allowed next; audited"),
)
class TreatmentReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OffendersViewSet):
    queryset_model = TreatmentReferral
    action_map_override = {"create": "refer", "step": "view"}

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset().select_related("signal", "region")
        if self.action == "retrieve":
            return queryset.prefetch_related("steps")
        return queryset

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return TreatmentDetailSerializer if self.action == "retrieve" else TreatmentReferralSerializer

    def _detail(self, referral: TreatmentReferral) -> dict[str, Any]:
        fresh = (
            TreatmentReferral.objects.select_related("signal", "region")
            .prefetch_related("steps")
            .get(pk=referral.pk)
        )
        return dict(TreatmentDetailSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Start a referral to compulsory treatment from a signal (idempotent)",
        description="Needs offenders.refer. The offender must be an alleged offender of the signal; one "
        "referral in progress per person. The `Idempotency-Key` header is required.",
        parameters=idempotency.parameters("treatment referral"),
        request=StartTreatmentSerializer,
        responses={
            201: OpenApiResponse(TreatmentDetailSerializer, description="Started."),
            200: OpenApiResponse(
                TreatmentDetailSerializer, description="A retry: the referral started earlier."
            ),
            400: FIELD_ERRORS,
            404: HIDDEN_REPLAY,
            409: CONFLICT,
        },
    )
    def create(self, request: Request) -> Response:
        key = idempotency.key_from(request)
        data = self._input(StartTreatmentSerializer)
        referral = do_start_treatment_referral(actor=self.actor, idempotency_key=key, **data)
        return idempotency.respond(self._detail(referral), replayed=referral.idempotent_replay)

    @extend_schema(
        summary="Record the next step (only from the current step, by the agency that owes it)",
        description="A move the procedure does not allow answers 400 on `to`, naming the steps allowed.",
        request=AdvanceTreatmentSerializer,
        responses={200: TreatmentDetailSerializer, 400: FIELD_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def step(self, request: Request, pk: str | None = None) -> Response:
        referral = self.get_object()
        data = self._input(AdvanceTreatmentSerializer)
        referral = do_advance_treatment(actor=self.actor, referral=referral, **data)
        return Response(self._detail(referral))


@extend_schema_view(
    list=extend_schema(summary="Programme referrals your agency made or receives"),
    retrieve=extend_schema(summary="One programme referral with its sessions; audited"),
)
class ProgrammeReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OffendersViewSet):
    queryset_model = ProgrammeReferral
    action_map_override = {
        "create": "refer",
        "contact": "programme",
        "assess": "programme",
        "sessions": "programme",
        "end": "programme",
    }

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset().select_related("programme")
        if self.action == "retrieve":
            return queryset.prefetch_related("attendance")
        return queryset

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return ProgrammeReferralDetailSerializer if self.action == "retrieve" else ProgrammeReferralSerializer

    def _detail(self, referral: ProgrammeReferral) -> dict[str, Any]:
        fresh = (
            ProgrammeReferral.objects.select_related("programme")
            .prefetch_related("attendance")
            .get(pk=referral.pk)
        )
        return dict(ProgrammeReferralDetailSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Refer an offender to a programme (idempotent)",
        description="Needs offenders.refer. Offers contact to the case worker of each open case of the "
        "signal's victims. The `Idempotency-Key` header is required.",
        parameters=idempotency.parameters("programme referral"),
        request=ReferToProgrammeSerializer,
        responses={
            201: OpenApiResponse(ProgrammeReferralDetailSerializer, description="Referred."),
            200: OpenApiResponse(ProgrammeReferralDetailSerializer, description="A retry."),
            400: FIELD_ERRORS,
            404: HIDDEN_REPLAY,
            409: CONFLICT,
        },
    )
    def create(self, request: Request) -> Response:
        key = idempotency.key_from(request)
        data = self._input(ReferToProgrammeSerializer)
        referral = do_refer_to_programme(actor=self.actor, idempotency_key=key, **data)
        return idempotency.respond(self._detail(referral), replayed=referral.idempotent_replay)

    @extend_schema(
        summary="Record the provider's first contact with the person",
        request=FirstContactSerializer,
        responses={200: ProgrammeReferralDetailSerializer, 400: FIELD_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def contact(self, request: Request, pk: str | None = None) -> Response:
        referral = self.get_object()
        referral = do_record_first_contact(
            actor=self.actor, referral=referral, **self._input(FirstContactSerializer)
        )
        return Response(self._detail(referral))

    @extend_schema(
        summary="Record the intake assessment",
        request=AssessSerializer,
        responses={200: ProgrammeReferralDetailSerializer, 400: FIELD_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def assess(self, request: Request, pk: str | None = None) -> Response:
        referral = self.get_object()
        referral = do_assess(actor=self.actor, referral=referral, **self._input(AssessSerializer))
        return Response(self._detail(referral))

    @extend_schema(
        summary="Record a session's attendance",
        request=RecordSessionSerializer,
        responses={201: ProgrammeSessionSerializer, 400: FIELD_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def sessions(self, request: Request, pk: str | None = None) -> Response:
        referral = self.get_object()
        session = do_record_session(
            actor=self.actor, referral=referral, **self._input(RecordSessionSerializer)
        )
        return Response(ProgrammeSessionSerializer(session).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="End the programme: completion with outcomes, or drop-out with a reason",
        request=EndProgrammeSerializer,
        responses={200: ProgrammeReferralDetailSerializer, 400: FIELD_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str | None = None) -> Response:
        referral = self.get_object()
        referral = do_end_programme(
            actor=self.actor, referral=referral, **self._input(EndProgrammeSerializer)
        )
        return Response(self._detail(referral))


@extend_schema_view(
    list=extend_schema(summary="Court requirements your agency supervises"),
    retrieve=extend_schema(summary="One court requirement; audited"),
)
class RequirementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OffendersViewSet):
    queryset_model = CourtRequirement
    serializer_class = RequirementSerializer
    action_map_override = {"create": "refer", "checks": "refer"}

    @extend_schema(
        summary="Record the court's special requirements",
        request=RecordRequirementSerializer,
        responses={201: RequirementSerializer, 400: FIELD_ERRORS},
    )
    def create(self, request: Request) -> Response:
        requirement = do_record_requirement(actor=self.actor, **self._input(RecordRequirementSerializer))
        return Response(RequirementSerializer(requirement).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record a check; a breach registers a new signal",
        request=CheckRequirementSerializer,
        responses={
            201: OpenApiResponse(description="The check, with the breach signal's id."),
            400: FIELD_ERRORS,
        },
    )
    @action(detail=True, methods=["post"])
    def checks(self, request: Request, pk: str | None = None) -> Response:
        requirement = self.get_object()
        check = do_check_requirement(
            actor=self.actor, requirement=requirement, **self._input(CheckRequirementSerializer)
        )
        return Response(
            {"id": check.pk, "complied": check.complied, "breach_signal": check.breach_signal_id},
            status=status.HTTP_201_CREATED,
        )


@extend_schema_view(list=extend_schema(summary="Partner contacts of your agency's victim cases"))
class PartnerContactViewSet(mixins.ListModelMixin, OffendersViewSet):
    queryset_model = PartnerContact
    serializer_class = PartnerContactSerializer
    action_map_override = {"list": "partner", "answer": "partner", "safety_review": "partner"}

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("case")

    @extend_schema(
        summary="Record whether the partner was contacted",
        request=AnswerContactSerializer,
        responses={200: PartnerContactSerializer, 400: FIELD_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str | None = None) -> Response:
        contact = self.get_object()
        contact = do_answer_partner_contact(
            actor=self.actor, contact=contact, **self._input(AnswerContactSerializer)
        )
        return Response(PartnerContactSerializer(contact).data)

    @extend_schema(
        summary="Record the partner's safety review after a drop-out",
        request=None,
        responses={200: PartnerContactSerializer, 400: FIELD_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="safety-review")
    def safety_review(self, request: Request, pk: str | None = None) -> Response:
        contact = self.get_object()
        contact = do_record_safety_review(actor=self.actor, contact=contact)
        return Response(PartnerContactSerializer(contact).data)


def register(router: DefaultRouter) -> None:
    router.register("offenders/treatment-referrals", TreatmentReferralViewSet, basename="offenders-treatment")
    router.register("offenders/programme-referrals", ProgrammeReferralViewSet, basename="offenders-programme")
    router.register("offenders/requirements", RequirementViewSet, basename="offenders-requirement")
    router.register("offenders/partner-contacts", PartnerContactViewSet, basename="offenders-partner-contact")
