"""The offenders API's serializers. Output names no victim: a referral shows the offender's id and the
signal's number, never its parties; a partner contact shows its case code to the case's agency only."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from qorgau.cases.serializers import VisibleSignalField
from qorgau.core.api.fields import StrictCharField
from qorgau.core.models import Agency, AgencyType
from qorgau.facilities.models import Facility, FacilityType
from qorgau.people.serializers import VisiblePersonField

from . import workflow
from .models import (
    CONTACT_ANSWERS,
    OUTCOMES,
    Achievement,
    Attendance,
    CourtRequirement,
    Dependence,
    DropoutReason,
    PartnerContact,
    Programme,
    ProgrammeReferral,
    ProgrammeSession,
    ReferralBasis,
    RequirementKind,
    TreatmentReferral,
    TreatmentStep,
    TreatmentStepEvent,
)
from .queries import programmes_offered

DOCUMENT_CHOICES = sorted(workflow.DOCUMENTS)
REASON_CHOICES = sorted(workflow.REASONS)


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = TreatmentStepEvent
        fields = [
            "from_status",
            "to_status",
            "category",
            "reason",
            "documents",
            "agency",
            "at",
            "seconds_in_step",
            "was_overdue",
        ]
        read_only_fields = fields
        extra_kwargs = {"from_status": {"allow_blank": True}}


class TreatmentReferralSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True)
    signal_number = serializers.CharField(source="signal.registration_number", read_only=True)
    region = serializers.CharField(source="region.code", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = TreatmentReferral
        fields = [
            "id",
            "code",
            "signal",
            "signal_number",
            "offender",
            "region",
            "agency",
            "health_agency",
            "facility",
            "dependence",
            "status",
            "status_since",
            "owed_agency",
            "step_due",
            "is_overdue",
            "wait_reason",
            "result",
            "started_at",
            "ended_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            k: {"allow_null": True}
            for k in ("health_agency", "facility", "owed_agency", "step_due", "ended_at")
        }


class TreatmentDetailSerializer(TreatmentReferralSerializer):
    steps = StepSerializer(many=True, read_only=True)
    next_steps = serializers.SerializerMethodField()

    class Meta(TreatmentReferralSerializer.Meta):
        fields = [*TreatmentReferralSerializer.Meta.fields, "grounds", "steps", "next_steps"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_next_steps(self, obj: TreatmentReferral) -> list[dict[str, Any]]:
        return [
            {
                "to": m.to,
                "action": m.action,
                "documents": list(m.documents),
                "reasons": {c: list(r) for c, r in m.reasons.items()},
            }
            for m in workflow.moves_from(obj.status)
        ]


class StartTreatmentSerializer(serializers.Serializer):
    signal = VisibleSignalField(help_text="Id of a signal you may see.")
    offender = VisiblePersonField(help_text="Id of an alleged offender of the signal.")
    dependence = serializers.ChoiceField(choices=Dependence.choices)
    grounds = StrictCharField(max_length=2000)
    documents = serializers.ListField(
        child=serializers.ChoiceField(choices=DOCUMENT_CHOICES), max_length=20, required=False, default=list
    )


class AdvanceTreatmentSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=TreatmentStep.choices)
    reason = serializers.ChoiceField(choices=REASON_CHOICES, required=False, allow_blank=True, default="")
    documents = serializers.ListField(
        child=serializers.ChoiceField(choices=DOCUMENT_CHOICES), max_length=20, required=False, default=list
    )
    note = StrictCharField(required=False, allow_blank=True, max_length=2000, default="")
    health_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.filter(type=AgencyType.HEALTH), required=False, allow_null=True, default=None
    )
    facility = serializers.PrimaryKeyRelatedField(
        queryset=Facility.objects.filter(type=FacilityType.DRUG_TREATMENT),
        required=False,
        allow_null=True,
        default=None,
    )


class ProgrammeSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgrammeSession
        fields = ["id", "number", "held_on", "attendance", "inspector_seen_at"]
        read_only_fields = fields
        extra_kwargs = {"inspector_seen_at": {"allow_null": True}}


class ProgrammeReferralSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True)
    programme_name = serializers.CharField(source="programme.name", read_only=True)
    provider = serializers.IntegerField(source="programme.agency_id", read_only=True)

    class Meta:
        model = ProgrammeReferral
        fields = [
            "id",
            "code",
            "programme",
            "programme_name",
            "provider",
            "offender",
            "basis",
            "legal_basis",
            "referring_agency",
            "referred_at",
            "contact_due",
            "start_due",
            "contacted_at",
            "status",
            "risk_score",
            "risk_band",
            "assessed_at",
            "started_at",
            "ended_at",
            "dropout_reason",
            "outcomes",
            "partner_contact_offered",
        ]
        read_only_fields = fields
        extra_kwargs = {
            **{
                k: {"allow_null": True}
                for k in ("contacted_at", "risk_score", "assessed_at", "started_at", "ended_at")
            },
            "dropout_reason": {"allow_blank": True},
        }


class ProgrammeReferralDetailSerializer(ProgrammeReferralSerializer):
    attendance = ProgrammeSessionSerializer(many=True, read_only=True)

    class Meta(ProgrammeReferralSerializer.Meta):
        fields = [*ProgrammeReferralSerializer.Meta.fields, "attendance"]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.INT)
class OfferedProgrammeField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self) -> QuerySet[Programme]:
        request = self.context.get("request")
        return programmes_offered(getattr(request, "user", None))


@extend_schema_field(OpenApiTypes.INT)
class VisibleRequirementField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self) -> QuerySet[CourtRequirement]:
        request = self.context.get("request")
        return CourtRequirement.objects.visible_to(getattr(request, "user", None), "view")


class ReferToProgrammeSerializer(serializers.Serializer):
    programme = OfferedProgrammeField(help_text="Id of an active programme of your work regions.")
    offender = VisiblePersonField(help_text="Id of the offender.")
    basis = serializers.ChoiceField(choices=ReferralBasis.choices)
    signal = VisibleSignalField(required=False, allow_null=True, default=None)
    requirement = VisibleRequirementField(required=False, allow_null=True, default=None)
    legal_basis = StrictCharField(required=False, allow_blank=True, max_length=300, default="")


class FirstContactSerializer(serializers.Serializer):
    at = serializers.DateTimeField(
        help_text="When the provider first reached the person (not in the future)."
    )


class AssessSerializer(serializers.Serializer):
    items = serializers.ListField(
        child=StrictCharField(max_length=40), max_length=40, required=False, default=list
    )
    suitable = serializers.BooleanField()


class RecordSessionSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    attendance = serializers.ChoiceField(choices=Attendance.choices)
    note = StrictCharField(required=False, allow_blank=True, max_length=2000, default="")


class EndProgrammeSerializer(serializers.Serializer):
    completed = serializers.BooleanField()
    dropout_reason = serializers.ChoiceField(
        choices=DropoutReason.choices, required=False, allow_blank=True, default=""
    )
    outcomes = serializers.DictField(
        child=serializers.ChoiceField(choices=Achievement.choices),
        required=False,
        default=dict,
        help_text="Outcome code -> achieved, partly or not. Codes: " + ", ".join(OUTCOMES),
    )

    def validate_outcomes(self, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(OUTCOMES))
        if unknown:
            raise serializers.ValidationError(f"Unknown outcomes: {', '.join(unknown)}.")
        return value


class RequirementSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True)

    class Meta:
        model = CourtRequirement
        fields = [
            "id",
            "code",
            "signal",
            "offender",
            "agency",
            "kinds",
            "months",
            "starts_on",
            "ends_on",
            "court_reference",
            "recorded_at",
        ]
        read_only_fields = fields


class RecordRequirementSerializer(serializers.Serializer):
    signal = VisibleSignalField()
    offender = VisiblePersonField()
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=RequirementKind.choices), min_length=1, max_length=10
    )
    months = serializers.IntegerField(min_value=1, max_value=36)
    starts_on = serializers.DateField()
    court_reference = StrictCharField(max_length=64)


class CheckRequirementSerializer(serializers.Serializer):
    checked_on = serializers.DateField()
    complied = serializers.BooleanField()
    note = StrictCharField(required=False, allow_blank=True, max_length=2000, default="")

    def validate_checked_on(self, value: Any) -> Any:
        if value > timezone.localdate():
            raise serializers.ValidationError("Not after today.")
        return value


class PartnerContactSerializer(serializers.ModelSerializer):
    case_code = serializers.CharField(source="case.code", read_only=True)

    class Meta:
        model = PartnerContact
        fields = [
            "id",
            "case",
            "case_code",
            "status",
            "offered_at",
            "contacted_at",
            "safety_review_due",
            "safety_reviewed_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            k: {"allow_null": True} for k in ("contacted_at", "safety_review_due", "safety_reviewed_at")
        }


class AnswerContactSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=CONTACT_ANSWERS)
