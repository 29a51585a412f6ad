"""The API of the prevention register: /api/portal/activities/ (list, retrieve, create with an
Idempotency-Key, PATCH to correct) and /evaluation/ (the figures of the evaluation page)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from qorgau.core.api import idempotency
from qorgau.core.api.viewsets import ScopedViewSet

from .models import Activity
from .queries import Evaluation, evaluate
from .serializers import (
    ActivityChangeSerializer,
    ActivityInputSerializer,
    ActivitySerializer,
    EvaluationSerializer,
)
from .services import do_change_activity, do_record_activity

FIELD_ERRORS = OpenApiResponse(description="Field messages; nothing was saved.")
CONFLICT = OpenApiResponse(description="The Idempotency-Key was used for a different request.")


def _series(evaluation: Evaluation, key: str) -> dict[str, Any]:
    series = getattr(evaluation, key)
    fit = series.fit
    low, high = fit.interval("step") if fit else (None, None)
    return {
        **evaluation.means[key],
        "step": fit.coefficients["step"] if fit else None,
        "step_low": low,
        "step_high": high,
        "lag1": fit.lag1 if fit else None,
        "error": series.error,
    }


@extend_schema_view(
    list=extend_schema(summary="Prevention activities of your scope"),
    retrieve=extend_schema(summary="One prevention activity; audited"),
)
class ActivityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    queryset_model = Activity
    serializer_class = ActivitySerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_map_override = {"evaluation": "view"}

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .select_related("region", "district", "agency")
            .order_by("-starts_on", "-id")
        )

    def _input(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(
        summary="Record an activity (idempotent by the Idempotency-Key header)",
        description="Needs portal.add, in a region where you work. A retry with the same key and body "
        "answers 200 with the activity recorded earlier and `Idempotent-Replayed: true`; the key with "
        "another body answers 409.",
        parameters=idempotency.parameters("activity"),
        request=ActivityInputSerializer,
        responses={
            201: OpenApiResponse(ActivitySerializer, description="Recorded."),
            200: OpenApiResponse(ActivitySerializer, description="A retry: the activity recorded earlier."),
            400: FIELD_ERRORS,
            409: CONFLICT,
        },
    )
    def create(self, request: Request) -> Response:
        key = idempotency.key_from(request)
        data = self._input(ActivityInputSerializer)
        try:
            activity = do_record_activity(actor=request.user, idempotency_key=key, **data)  # type: ignore[arg-type]
        except ValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        fresh = self.get_queryset().get(pk=activity.pk)
        return idempotency.respond(ActivitySerializer(fresh).data, replayed=activity.idempotent_replay)  # type: ignore[attr-defined]

    @extend_schema(
        summary="Correct an activity (its reach is often known only afterwards)",
        request=ActivityChangeSerializer,
        responses={200: ActivitySerializer, 400: FIELD_ERRORS},
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        activity = self.get_object()
        data = self._input(ActivityChangeSerializer)
        try:
            activity = do_change_activity(actor=request.user, activity=activity, **data)  # type: ignore[arg-type]
        except ValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        return Response(ActivitySerializer(self.get_queryset().get(pk=activity.pk)).data)

    @extend_schema(
        summary="Signals per 10,000 a week before, during and after the activity (an association)",
        description="Counted from the signals you may see. Segmented regression with a season; `step` is "
        "the change of level at the start with its 95% interval (assuming independent weeks).",
        responses={200: EvaluationSerializer},
    )
    @action(detail=True, methods=["get"])
    def evaluation(self, request: Request, pk: str | None = None) -> Response:
        activity = self.get_object()
        result = evaluate(request.user, activity)  # type: ignore[arg-type]
        data = {
            "weeks": result.weeks,
            "start_week": result.start_week,
            "end_week": result.end_week,
            "comparison_regions": [r.pk for r in result.comparison_regions],
            **{key: _series(result, key) for key in ("region", "hotline", "comparison")},
        }
        return Response(EvaluationSerializer(data).data)


def register(router: DefaultRouter) -> None:
    router.register("portal/activities", ActivityViewSet, basename="activity")
