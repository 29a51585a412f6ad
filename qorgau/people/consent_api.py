"""Consent API: /api/people/consents/ (list, retrieve, create) and /api/people/consents/<id>/withdraw/.

Same rules as the pages: rows through visible_to, writes through consent.py; service validation errors
come back as JSON 400 with field messages (qorgau.core.api.exceptions).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from qorgau.core.api.fields import StrictCharField
from qorgau.core.api.viewsets import ScopedViewSet
from qorgau.core.models import Agency

from .api import VisiblePersonField
from .consent import consent_status, do_record_consent, do_withdraw_consent, valid_at
from .models import Consent, ConsentPurpose


class ConsentSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField()

    class Meta:
        model = Consent
        fields = [
            "id",
            "person",
            "purpose",
            "receiving_agency",
            "granted_at",
            "expires_at",
            "withdrawn_at",
            "withdrawal_reason",
            "status",
            "notes",
            "recording_agency",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = fields

    def get_status(self, consent: Consent) -> str:
        return str(consent_status(consent))


class ConsentCreateSerializer(serializers.Serializer):
    person = VisiblePersonField(action="consent")
    purpose = serializers.ChoiceField(choices=ConsentPurpose.choices)
    receiving_agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.filter(is_active=True))
    granted_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    notes = StrictCharField(required=False, allow_blank=True, default="")

    def create(self, validated_data: dict[str, Any]) -> Consent:
        return do_record_consent(actor=self.context["request"].user, **validated_data)


class WithdrawSerializer(serializers.Serializer):
    reason = StrictCharField()


class ConsentFilter(django_filters.FilterSet):
    # A plain number, not a choice of persons: a choice field would tell "exists" from "out of scope".
    person = django_filters.NumberFilter(field_name="person_id")
    purpose = django_filters.ChoiceFilter(choices=ConsentPurpose.choices)
    receiving_agency = django_filters.NumberFilter(field_name="receiving_agency_id")
    active = django_filters.BooleanFilter(method="filter_active", label="in force now")

    class Meta:
        model = Consent
        fields: list[str] = []

    def filter_active(self, queryset: QuerySet[Consent], name: str, value: bool | None) -> QuerySet[Consent]:
        if value is None:
            return queryset
        q = valid_at(timezone.now())
        return queryset.filter(q) if value else queryset.exclude(q)


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
    """Consent API viewsets are registered here."""
    router.register("people/consents", ConsentViewSet, basename="consent")
