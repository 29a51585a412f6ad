"""Serializers of the risk API. They validate shapes; the services decide (qorgau/risk/services).

Lists carry no names: an assessment is its code, what it is for (ids), dates, score and level; a
conference its district and date; an action its agency, due date and state.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from qorgau.cases.models import Case
from qorgau.core.api.fields import StrictCharField
from qorgau.core.models import Agency, District, User
from qorgau.intake.models import Signal
from qorgau.people.serializers import VisiblePersonField

from .models import (
    AnswerValue,
    Assessment,
    Conference,
    ConferenceAction,
    ConferenceReferral,
    InstrumentVersion,
    Item,
)
from .services.criteria import describe


@extend_schema_field(OpenApiTypes.INT)
class _Visible(serializers.PrimaryKeyRelatedField):
    """A signal or case the caller sees; any other id "does not exist"."""

    model: Any = None
    grants = True

    def get_queryset(self) -> QuerySet[Any]:
        request = self.context.get("request")
        return self.model.objects.visible_to(getattr(request, "user", None), grants=self.grants)


class VisibleSignalField(_Visible):
    model = Signal


class VisibleCaseField(_Visible):
    model = Case
    grants = False


class RiskCriterionSerializer(serializers.Serializer):
    code = serializers.CharField()
    met = serializers.BooleanField()
    title = serializers.CharField()
    reason = serializers.CharField()


class RiskItemSerializer(serializers.ModelSerializer):
    text = serializers.CharField(read_only=True)
    help = serializers.CharField(read_only=True)

    class Meta:
        model = Item
        fields = ["id", "position", "code", "text", "help", "text_en", "text_ru", "text_kk"]


class RiskInstrumentVersionSerializer(serializers.ModelSerializer):
    instrument = serializers.CharField(source="instrument.code", read_only=True)
    status = serializers.CharField(read_only=True, help_text="published")
    items = RiskItemSerializer(many=True, read_only=True)
    answers = serializers.SerializerMethodField()

    class Meta:
        model = InstrumentVersion
        fields = [
            "id",
            "instrument",
            "number",
            "status",
            "effective_from",
            "effective_to",
            "scoring",
            "bands",
            "answers",
            "items",
        ]

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_answers(self, version: InstrumentVersion) -> list[str]:
        return list(AnswerValue.values)


class RiskAssessmentSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True, help_text="draft or completed")
    instrument = serializers.CharField(source="version.instrument.code", read_only=True)
    version_number = serializers.IntegerField(source="version.number", read_only=True)
    criteria = serializers.SerializerMethodField()
    score = serializers.IntegerField(read_only=True, allow_null=True)
    completed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    signal: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    case: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )

    class Meta:
        model = Assessment
        fields = [
            "id",
            "code",
            "signal",
            "case",
            "victim",
            "instrument",
            "version",
            "version_number",
            "with_victim",
            "status",
            "assessed_by",
            "started_at",
            "completed_at",
            "score",
            "band",
            "judgement_band",
            "judgement_reason",
            "final_band",
            "refer",
            "criteria",
        ]
        read_only_fields = fields

    @extend_schema_field(RiskCriterionSerializer(many=True))
    def get_criteria(self, assessment: Assessment) -> list[dict[str, Any]]:
        rows = []
        for criterion in assessment.criteria:
            title, reason = describe(criterion, assessment.version)
            rows.append(
                {"code": criterion["code"], "met": criterion["met"], "title": title, "reason": reason}
            )
        return rows


class RiskAssessmentDetailSerializer(RiskAssessmentSerializer):
    answers = serializers.SerializerMethodField()

    class Meta(RiskAssessmentSerializer.Meta):
        fields = [*RiskAssessmentSerializer.Meta.fields, "answers"]
        read_only_fields = fields

    @extend_schema_field(
        {"type": "object", "additionalProperties": {"type": "string", "enum": AnswerValue.values}}
    )
    def get_answers(self, assessment: Assessment) -> dict[str, str]:
        return {answer.item.code: answer.value for answer in assessment.answers.select_related("item")}


class RiskAssessmentCreateSerializer(serializers.Serializer):
    signal = VisibleSignalField(required=False, allow_null=True)
    case = VisibleCaseField(required=False, allow_null=True)
    victim = VisiblePersonField()
    with_victim = serializers.BooleanField(default=True)


class RiskAnswersInputSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.ChoiceField(choices=[*AnswerValue.choices, ("", "")]),
        help_text='Item code -> yes, no or dont_know ("" clears an answer).',
    )
    judgement_band = StrictCharField(required=False, allow_blank=True, default="", max_length=32)
    judgement_reason = StrictCharField(required=False, allow_blank=True, default="", max_length=4000)


class RiskConferenceSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True, help_text="planned or held")
    held_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Conference
        fields = [
            "id",
            "code",
            "region",
            "district",
            "date",
            "agency",
            "chair",
            "legal_mandate",
            "status",
            "held_at",
        ]
        read_only_fields = fields


class RiskReferralSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True, help_text="waiting, listed or discussed")
    case: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    signal: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    district: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )

    class Meta:
        model = ConferenceReferral
        fields = [
            "id",
            "code",
            "assessment",
            "case",
            "signal",
            "district",
            "referred_at",
            "criteria",
            "status",
        ]
        read_only_fields = fields


class RiskConferenceDetailSerializer(RiskConferenceSerializer):
    agenda = serializers.SerializerMethodField()
    agencies_present: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta(RiskConferenceSerializer.Meta):
        fields = [*RiskConferenceSerializer.Meta.fields, "agencies_present", "information_shared", "agenda"]
        read_only_fields = fields

    @extend_schema_field(RiskReferralSerializer(many=True))
    def get_agenda(self, conference: Conference) -> Any:
        return RiskReferralSerializer(conference.referrals.order_by("referred_at", "id"), many=True).data


class RiskConferenceCreateSerializer(serializers.Serializer):
    district = serializers.PrimaryKeyRelatedField(queryset=District.objects.all())
    date = serializers.DateField()
    legal_mandate = StrictCharField(max_length=300)


class RiskRecordInputSerializer(serializers.Serializer):
    agencies_present = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), many=True)
    information_shared = StrictCharField(max_length=20000)
    discussions = serializers.DictField(
        child=StrictCharField(allow_blank=True, max_length=20000),
        required=False,
        help_text="Referral id -> summary of the discussion.",
    )


class RiskActionSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True)
    owner: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    completed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ConferenceAction
        fields = [
            "id",
            "code",
            "conference",
            "referral",
            "agency",
            "owner",
            "description",
            "due_date",
            "completed_at",
            "completion_note",
            "overdue",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_overdue(self, action: ConferenceAction) -> bool:
        return action.is_overdue()


class RiskActionInputSerializer(serializers.Serializer):
    referral = serializers.PrimaryKeyRelatedField(queryset=ConferenceReferral.objects.all())
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)
    description = StrictCharField(max_length=4000)
    due_date = serializers.DateField()


class RiskCompleteInputSerializer(serializers.Serializer):
    note = StrictCharField(max_length=4000)
