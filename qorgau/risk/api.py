"""Risk API under /api/risk/: assessments (start, save answers, complete), instrument versions (read),
conferences (schedule, agenda, record, assign actions) and conference actions (complete).

Thin: the same queries and services as the pages. Starting an assessment and scheduling a conference need
an `Idempotency-Key` header (qorgau/core/api/idempotency.py): a retry answers 200 with the record made
earlier and `Idempotent-Replayed: true`; the same key with a different request answers 409.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from qorgau.core.api import idempotency
from qorgau.core.api.viewsets import ScopedViewSet
from qorgau.core.permissions import has_action

from .models import Assessment, Conference, ConferenceAction, InstrumentVersion, VersionStatus
from .queries import actions_for_my_agency, assessment_list, conference_list
from .serializers import (
    RiskActionInputSerializer,
    RiskActionSerializer,
    RiskAnswersInputSerializer,
    RiskAssessmentCreateSerializer,
    RiskAssessmentDetailSerializer,
    RiskAssessmentSerializer,
    RiskCompleteInputSerializer,
    RiskConferenceCreateSerializer,
    RiskConferenceDetailSerializer,
    RiskConferenceSerializer,
    RiskInstrumentVersionSerializer,
    RiskRecordInputSerializer,
    RiskReferralSerializer,
)
from .services import (
    do_add_action,
    do_build_agenda,
    do_complete_action,
    do_record_meeting,
    do_save_assessment,
    do_schedule_conference,
    do_start_assessment,
)

CREATED_OR_REPLAYED = {
    400: OpenApiResponse(
        description="Missing or malformed Idempotency-Key, or field messages; nothing saved."
    ),
    409: OpenApiResponse(description="The Idempotency-Key was used for a different request."),
}


def _input(view: Any, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
    serializer = serializer_class(data=view.request.data, context=view.get_serializer_context())
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class CanViewRisk(permissions.BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return has_action(request.user, "risk.view")


@extend_schema_view(
    list=extend_schema(summary="Published instrument versions (reference data)"),
    retrieve=extend_schema(summary="One instrument version with its items in three languages"),
)
class InstrumentVersionViewSet(viewsets.ReadOnlyModelViewSet):
    """Reference data of the whole country: every user with risk.view reads the published versions."""

    permission_classes = [permissions.IsAuthenticated, CanViewRisk]
    serializer_class = RiskInstrumentVersionSerializer

    def get_queryset(self) -> QuerySet[InstrumentVersion]:
        return (
            InstrumentVersion.objects.filter(status=VersionStatus.PUBLISHED)
            .select_related("instrument")
            .prefetch_related("items")
            .order_by("instrument__code", "-number")
        )


@extend_schema_view(
    list=extend_schema(summary="Risk assessments you may see (no names)"),
    retrieve=extend_schema(summary="One assessment with its answers and criteria; audited"),
)
class AssessmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    queryset_model = Assessment
    http_method_names = ["get", "post", "head", "options"]
    action_map_override = {"create": "assess", "answers": "assess", "complete": "assess"}

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return Assessment.objects.none()
        if self.action in ("list", "retrieve"):
            return assessment_list(self.request.user).order_by("-started_at", "-id")
        queryset = Assessment.objects.visible_to(self.request.user, "assess", grants=False)
        return queryset.select_related("version", "version__instrument")

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return RiskAssessmentDetailSerializer if self.action != "list" else RiskAssessmentSerializer

    def _detail(self, assessment: Assessment) -> dict[str, Any]:
        fresh = assessment_list(self.request.user).get(pk=assessment.pk)
        return dict(RiskAssessmentDetailSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Start an assessment with a victim of a signal or the victim of a case (idempotent)",
        description=(
            "Give `signal` (one of its victims as `victim`) or `case` (its victim). The version of the "
            "instrument in force today is used and kept. Needs risk.assess."
        ),
        parameters=idempotency.parameters("assessment"),
        request=RiskAssessmentCreateSerializer,
        responses={
            201: RiskAssessmentDetailSerializer,
            200: RiskAssessmentDetailSerializer,
            **CREATED_OR_REPLAYED,
        },
    )
    def create(self, request: Request) -> Response:
        key = idempotency.key_from(request)
        data = _input(self, RiskAssessmentCreateSerializer)
        assessment = do_start_assessment(
            actor=request.user,
            victim=data["victim"],
            signal=data.get("signal"),
            case=data.get("case"),
            with_victim=data["with_victim"],
            idempotency_key=key,
        )
        return idempotency.respond(self._detail(assessment), replayed=assessment.idempotent_replay)

    def _save(self, request: Request, complete: bool) -> Response:
        assessment = self.get_object()
        data = _input(self, RiskAnswersInputSerializer)
        saved = do_save_assessment(actor=request.user, assessment=assessment, complete=complete, **data)
        return Response(self._detail(saved))

    @extend_schema(
        summary="Save answers of a draft (item code -> yes / no / dont_know)",
        request=RiskAnswersInputSerializer,
        responses={200: RiskAssessmentDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def answers(self, request: Request, pk: str | None = None) -> Response:
        return self._save(request, complete=False)

    @extend_schema(
        summary="Complete: every item answered; the score, level and conference criteria are computed",
        description=(
            '"dont_know" never counts as yes. `judgement_band` may raise the level (with '
            "`judgement_reason`), never lower it. A met criterion refers the victim to the conference."
        ),
        request=RiskAnswersInputSerializer,
        responses={200: RiskAssessmentDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        return self._save(request, complete=True)


@extend_schema_view(
    list=extend_schema(summary="Risk conferences you may see"),
    retrieve=extend_schema(summary="One conference with its agenda and record; audited"),
)
class ConferenceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    queryset_model = Conference
    http_method_names = ["get", "post", "head", "options"]
    action_map_override = {
        "create": "conference",
        "agenda": "conference",
        "record": "conference",
        "actions": "conference",
    }

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return Conference.objects.none()
        if self.action in ("list", "retrieve"):
            return conference_list(self.request.user)
        return Conference.objects.visible_to(self.request.user, "conference", grants=False)

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return RiskConferenceSerializer if self.action == "list" else RiskConferenceDetailSerializer

    def _detail(self, conference: Conference) -> dict[str, Any]:
        fresh = Conference.objects.prefetch_related("agencies_present").get(pk=conference.pk)
        return dict(RiskConferenceDetailSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Schedule a conference of a district on a date (idempotent)",
        parameters=idempotency.parameters("conference"),
        request=RiskConferenceCreateSerializer,
        responses={
            201: RiskConferenceDetailSerializer,
            200: RiskConferenceDetailSerializer,
            **CREATED_OR_REPLAYED,
        },
    )
    def create(self, request: Request) -> Response:
        key = idempotency.key_from(request)
        data = _input(self, RiskConferenceCreateSerializer)
        conference = do_schedule_conference(actor=request.user, idempotency_key=key, **data)
        return idempotency.respond(self._detail(conference), replayed=conference.idempotent_replay)

    @extend_schema(
        summary="List the referrals waiting in the district on the agenda (oldest first)",
        request=None,
        responses={200: RiskReferralSerializer(many=True)},
    )
    @action(detail=True, methods=["post"])
    def agenda(self, request: Request, pk: str | None = None) -> Response:
        listed = do_build_agenda(actor=request.user, conference=self.get_object())
        return Response(RiskReferralSerializer(listed, many=True).data)

    @extend_schema(
        summary="Keep the meeting record: agencies present, information shared, a summary per referral",
        request=RiskRecordInputSerializer,
        responses={200: RiskConferenceDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def record(self, request: Request, pk: str | None = None) -> Response:
        conference = self.get_object()
        data = _input(self, RiskRecordInputSerializer)
        discussions = {int(k): v for k, v in (data.get("discussions") or {}).items() if str(k).isdigit()}
        do_record_meeting(
            actor=request.user,
            conference=conference,
            agencies_present=data["agencies_present"],
            information_shared=data["information_shared"],
            discussions=discussions,
        )
        return Response(self._detail(conference))

    @extend_schema(
        summary="Assign an action to an agency, for a referral on the agenda",
        request=RiskActionInputSerializer,
        responses={201: RiskActionSerializer},
    )
    @action(detail=True, methods=["post"])
    def actions(self, request: Request, pk: str | None = None) -> Response:
        conference = self.get_object()
        data = _input(self, RiskActionInputSerializer)
        created = do_add_action(actor=request.user, conference=conference, **data)
        return Response(RiskActionSerializer(created).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Open conference actions assigned to your agency"),
    retrieve=extend_schema(summary="One conference action"),
)
class ActionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    queryset_model = ConferenceAction
    http_method_names = ["get", "post", "head", "options"]
    action_map_override = {"list": "act", "retrieve": "act", "complete": "act"}
    serializer_class = RiskActionSerializer

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return ConferenceAction.objects.none()
        if self.action == "list":
            return actions_for_my_agency(self.request.user)
        return ConferenceAction.objects.visible_to(self.request.user, "act")

    @extend_schema(
        summary="Record that the action was done (the assigned agency)",
        request=RiskCompleteInputSerializer,
        responses={200: RiskActionSerializer},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_object()
        data = _input(self, RiskCompleteInputSerializer)
        done = do_complete_action(actor=request.user, action=item, note=data["note"])
        return Response(RiskActionSerializer(done).data)


def register(router: DefaultRouter) -> None:
    router.register("risk/instrument-versions", InstrumentVersionViewSet, basename="risk-instrument-version")
    router.register("risk/assessments", AssessmentViewSet, basename="risk-assessment")
    router.register("risk/conferences", ConferenceViewSet, basename="risk-conference")
    router.register("risk/actions", ActionViewSet, basename="risk-action")
