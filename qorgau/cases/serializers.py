"""Serializers of the cases API. They parse shapes; the services decide (qorgau/cases/services).

A case in a list carries its code, state and owner, never the victim's name. The detail of one case
shows only the sections `queries.case_sections` allows the caller (every section to the owning agency,
the referral's purpose's sections to a receiving agency): a section not shown is null, and `sections`
lists the ones shown.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from qorgau.core.api.fields import StrictCharField
from qorgau.core.models import Agency, District, Region, User
from qorgau.people.models import Person
from qorgau.people.serializers import VisiblePersonField

from .models import (
    SECTIONS,
    Case,
    CaseChild,
    CaseClosure,
    CaseGoal,
    CaseOutcome,
    CaseService,
    CaseState,
    CaseTransfer,
    OpenedVia,
    Qualification,
    Referral,
    ReferralPurpose,
    ReferralStatus,
    SafetyPlan,
    ServiceSession,
    ServiceStatus,
    ServiceType,
    Specialist,
    TransferStatus,
)
from .queries import case_sections

# --- reading ----------------------------------------------------------------------------------------------


class CaseListSerializer(serializers.ModelSerializer):
    """A case as lists show it: code, state, owner and dates. Never the victim's name."""

    code = serializers.CharField(read_only=True)
    state = serializers.ChoiceField(choices=CaseState.choices, read_only=True)
    opened_via = serializers.ChoiceField(choices=OpenedVia.choices, read_only=True)
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    district: serializers.SlugRelatedField[District] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    outcome = serializers.ChoiceField(choices=CaseOutcome.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "code",
            "state",
            "opened_via",
            "opened_at",
            "agency",
            "agency_name",
            "region",
            "district",
            "assigned_to",
            "signal",
            "closed_at",
            "outcome",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "assigned_to": {"allow_null": True},
            "signal": {"allow_null": True},
            "closed_at": {"allow_null": True},
        }


class VictimSerializer(serializers.ModelSerializer):
    """The victim (section "identity"). The IIN is masked."""

    class Meta:
        model = Person
        fields = ["id", "surname", "given_name", "patronymic", "birth_date", "sex", "iin_masked"]
        read_only_fields = fields


class ClosureSerializer(serializers.ModelSerializer):
    outcome = serializers.ChoiceField(choices=CaseOutcome.choices, read_only=True)

    class Meta:
        model = CaseClosure
        fields = [
            "closed_at",
            "closed_by",
            "outcome",
            "reason",
            "reopened_at",
            "reopened_by",
            "reopen_reason",
        ]
        read_only_fields = fields
        extra_kwargs = {"reopened_at": {"allow_null": True}, "reopened_by": {"allow_null": True}}


class SummarySerializer(serializers.ModelSerializer):
    """Section "summary": who opened the case, its closures and reopenings."""

    closures = ClosureSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = ["opened_by", "closure_reason", "reopened_at", "closures"]
        read_only_fields = fields
        extra_kwargs = {"reopened_at": {"allow_null": True}}


class AssessmentSerializer(serializers.ModelSerializer):
    """Section "assessment": the needs found with the victim (service types)."""

    needs = serializers.ListField(child=serializers.ChoiceField(choices=ServiceType.choices), read_only=True)
    notes = serializers.CharField(source="assessment_notes", read_only=True)

    class Meta:
        model = Case
        fields = ["needs", "notes", "assessed_at", "assessed_by"]
        read_only_fields = fields
        extra_kwargs = {"assessed_at": {"allow_null": True}, "assessed_by": {"allow_null": True}}


class SafetyPlanSerializer(serializers.ModelSerializer):
    """One version of the safety plan (section "safety_plan"; every version, the newest first)."""

    class Meta:
        model = SafetyPlan
        fields = [
            "id",
            "case",
            "version",
            "safe_contacts",
            "safe_place",
            "documents_ready",
            "keys_ready",
            "children_plan",
            "code_word",
            "hotline_numbers",
            "review_due",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class GoalSerializer(serializers.ModelSerializer):
    """A goal of the case plan (section "case_plan")."""

    class Meta:
        model = CaseGoal
        fields = ["id", "case", "description", "due_on", "achieved_at", "created_by", "created_at"]
        read_only_fields = fields
        extra_kwargs = {"due_on": {"allow_null": True}, "achieved_at": {"allow_null": True}}


class SessionSerializer(serializers.ModelSerializer):
    """One session or act of a service."""

    class Meta:
        model = ServiceSession
        fields = ["id", "service", "held_on", "duration_minutes", "outcome", "recorded_by", "recorded_at"]
        read_only_fields = fields


class ServiceSerializer(serializers.ModelSerializer):
    """A service of the case plan with its sessions (section "services")."""

    type = serializers.ChoiceField(choices=ServiceType.choices, read_only=True)
    status = serializers.ChoiceField(choices=ServiceStatus.choices, read_only=True)
    specialist_name = serializers.CharField(source="specialist.display_name", read_only=True)
    sessions = SessionSerializer(many=True, read_only=True)

    class Meta:
        model = CaseService
        fields = [
            "id",
            "case",
            "type",
            "status",
            "specialist",
            "specialist_name",
            "goal",
            "child",
            "starts_on",
            "created_by",
            "created_at",
            "sessions",
        ]
        read_only_fields = fields
        extra_kwargs = {"goal": {"allow_null": True}, "child": {"allow_null": True}}


class ChildSerializer(serializers.ModelSerializer):
    """A child in the case (section "children"); the child's name only with the section "identity"."""

    needs = serializers.ListField(child=serializers.ChoiceField(choices=ServiceType.choices), read_only=True)
    person_name = serializers.SerializerMethodField()

    class Meta:
        model = CaseChild
        fields = ["id", "case", "person", "person_name", "needs", "notes", "added_by", "added_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_person_name(self, obj: CaseChild) -> str | None:
        if not self.context.get("show_identity", True):
            return None
        return " ".join(filter(None, (obj.person.surname, obj.person.given_name, obj.person.patronymic)))


def _section(
    code: str, serializer: type[serializers.BaseSerializer], *, many: bool = False, source: str = "*"
) -> Any:
    """A method of CaseDetailSerializer that answers the section `code` when shown, else None."""

    def method(self: CaseDetailSerializer, obj: Case) -> Any:
        if not self._shown(obj).get(code):
            return None
        value: Any = obj if source == "*" else getattr(obj, source)
        if many:
            value = value.all()
        context = {**self.context, "show_identity": self._shown(obj).get("identity", False)}
        return serializer(value, many=many, context=context).data

    schema = serializer(many=True, allow_null=True) if many else serializer(allow_null=True)
    return extend_schema_field(schema)(method)


class CaseDetailSerializer(CaseListSerializer):
    """One case, with the sections the caller may see (null for the others). Reads are audited."""

    sections = serializers.SerializerMethodField(help_text="The sections shown to you.")
    victim = serializers.SerializerMethodField(help_text='Section "identity".')
    summary = serializers.SerializerMethodField(help_text='Section "summary".')
    assessment = serializers.SerializerMethodField(help_text='Section "assessment".')
    safety_plans = serializers.SerializerMethodField(
        help_text='Section "safety_plan": every version, the newest first.'
    )
    goals = serializers.SerializerMethodField(help_text='Section "case_plan".')
    services = serializers.SerializerMethodField(help_text='Section "services".')
    children = serializers.SerializerMethodField(help_text='Section "children".')

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields,
            "sections",
            "victim",
            "summary",
            "assessment",
            "safety_plans",
            "goals",
            "services",
            "children",
        ]
        read_only_fields = fields

    def _shown(self, obj: Case) -> dict[str, bool]:
        cached: dict[str, bool] | None = getattr(obj, "_api_sections", None)
        if cached is None:
            cached = case_sections(self.context["request"].user, obj)
            obj._api_sections = cached  # type: ignore[attr-defined]
        return cached

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=SECTIONS)))
    def get_sections(self, obj: Case) -> list[str]:
        return [code for code, shown in self._shown(obj).items() if shown]

    get_victim = _section("identity", VictimSerializer, source="victim")
    get_summary = _section("summary", SummarySerializer)
    get_assessment = _section("assessment", AssessmentSerializer)
    get_safety_plans = _section("safety_plan", SafetyPlanSerializer, many=True, source="safety_plans")
    get_goals = _section("case_plan", GoalSerializer, many=True, source="goals")
    get_services = _section("services", ServiceSerializer, many=True, source="services")
    get_children = _section("children", ChildSerializer, many=True, source="children")


class ReferralSerializer(serializers.ModelSerializer):
    """A referral between two agencies: no names, the case by its code."""

    code = serializers.CharField(read_only=True)
    case_code = serializers.CharField(source="case.code", read_only=True)
    purpose: serializers.SlugRelatedField[ReferralPurpose] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    status = serializers.ChoiceField(choices=ReferralStatus.choices, read_only=True)
    from_agency = serializers.IntegerField(source="case.agency_id", read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "code",
            "case",
            "case_code",
            "from_agency",
            "to_agency",
            "purpose",
            "status",
            "note",
            "consent",
            "legal_mandate",
            "mandate_reason",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decline_reason",
            "ended_by",
            "ended_at",
            "end_reason",
        ]
        read_only_fields = fields
        extra_kwargs = {
            name: {"allow_null": True}
            for name in ("consent", "decided_by", "decided_at", "ended_by", "ended_at")
        }


class TransferSerializer(serializers.ModelSerializer):
    """A hand-over of a case to another agency (its history stays with both agencies)."""

    case_code = serializers.CharField(source="case.code", read_only=True)
    status = serializers.ChoiceField(choices=TransferStatus.choices, read_only=True)

    class Meta:
        model = CaseTransfer
        fields = [
            "id",
            "case",
            "case_code",
            "from_agency",
            "to_agency",
            "status",
            "reason",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decline_reason",
        ]
        read_only_fields = fields
        extra_kwargs = {"decided_by": {"allow_null": True}, "decided_at": {"allow_null": True}}


class QualificationSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=ServiceType.choices, read_only=True)
    valid_today = serializers.SerializerMethodField()

    class Meta:
        model = Qualification
        fields = [
            "id",
            "specialist",
            "kind",
            "document_number",
            "issuer",
            "valid_from",
            "valid_until",
            "valid_today",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields
        extra_kwargs = {"valid_from": {"allow_null": True}}

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_valid_today(self, obj: Qualification) -> bool:
        from django.utils import timezone

        return obj.valid_on(timezone.localdate())


class SpecialistSerializer(serializers.ModelSerializer):
    """A specialist of an agency with their qualifications."""

    code = serializers.CharField(read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)
    qualifications = QualificationSerializer(many=True, read_only=True)

    class Meta:
        model = Specialist
        fields = ["id", "code", "name", "agency", "user", "is_active", "created_at", "qualifications"]
        read_only_fields = fields
        extra_kwargs = {"user": {"allow_null": True}}


# --- input ------------------------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class VisibleSignalField(serializers.PrimaryKeyRelatedField):
    """A signal the caller may see; any other id answers 'does not exist'."""

    def get_queryset(self) -> QuerySet[Any]:
        from qorgau.intake.models import Signal

        request = self.context.get("request")
        return Signal.objects.visible_to(getattr(request, "user", None), "view")


@extend_schema_field(OpenApiTypes.INT)
class VisibleSpecialistField(serializers.PrimaryKeyRelatedField):
    """A specialist the caller may see; any other id answers 'does not exist'."""

    def get_queryset(self) -> QuerySet[Specialist]:
        request = self.context.get("request")
        return Specialist.objects.visible_to(getattr(request, "user", None), "view")


@extend_schema_field(OpenApiTypes.INT)
class CaseRowField(serializers.PrimaryKeyRelatedField):
    """A row of the case being written (a goal, a child); rows of other cases 'do not exist'."""

    def __init__(self, *, model: type[CaseGoal] | type[CaseChild], **kwargs: Any) -> None:
        self.row_model = model
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        case = self.context.get("case")
        return self.row_model.objects.filter(case=case) if case is not None else self.row_model.objects.none()


@extend_schema_field(OpenApiTypes.INT)
class AgencyField(serializers.PrimaryKeyRelatedField):
    """An active agency (the service checks whether it may receive the case)."""

    def get_queryset(self) -> QuerySet[Agency]:
        return Agency.objects.filter(is_active=True)


class OpenCaseSerializer(serializers.Serializer):
    """Open a case: for the victim of a signal (`signal`, and `victim` when it names several) or on a
    self-referral (`victim` alone, a person found or registered through people)."""

    victim = VisiblePersonField(required=False, allow_null=True, help_text="Id of a person you may see.")
    signal = VisibleSignalField(required=False, allow_null=True, help_text="Id of a signal you may see.")
    district = serializers.SlugRelatedField(
        slug_field="code", queryset=District.objects.all(), required=False, allow_null=True
    )


class AssessmentInputSerializer(serializers.Serializer):
    needs = serializers.ListField(child=serializers.ChoiceField(choices=ServiceType.choices), max_length=20)
    notes = StrictCharField(required=False, allow_blank=True, max_length=10_000)


class SafetyPlanInputSerializer(serializers.Serializer):
    """A new version of the safety plan. At least a safe contact or a safe place (checked by the service)."""

    review_due = serializers.DateField(help_text="Not in the past.")
    safe_contacts = StrictCharField(required=False, allow_blank=True, max_length=4000)
    safe_place = StrictCharField(required=False, allow_blank=True, max_length=4000)
    documents_ready = serializers.BooleanField(required=False, default=False)
    keys_ready = serializers.BooleanField(required=False, default=False)
    children_plan = StrictCharField(required=False, allow_blank=True, max_length=4000)
    code_word = StrictCharField(required=False, allow_blank=True, max_length=100)
    hotline_numbers = StrictCharField(required=False, allow_blank=True, max_length=1000)


class GoalInputSerializer(serializers.Serializer):
    description = StrictCharField(allow_blank=True, max_length=4000)
    due_on = serializers.DateField(required=False, allow_null=True)


class ServiceInputSerializer(serializers.Serializer):
    """Assign a service to a specialist qualified for its type on the day it starts."""

    type = serializers.ChoiceField(choices=ServiceType.choices)
    specialist = VisibleSpecialistField()
    starts_on = serializers.DateField(required=False, allow_null=True, help_text="Default: today.")
    goal = CaseRowField(model=CaseGoal, required=False, allow_null=True, help_text="A goal of this case.")
    child = CaseRowField(
        model=CaseChild, required=False, allow_null=True, help_text="A child linked to this case."
    )


class SessionInputSerializer(serializers.Serializer):
    held_on = serializers.DateField(help_text="Not in the future, not before the service started.")
    duration_minutes = serializers.IntegerField(min_value=1, max_value=24 * 60)
    outcome = StrictCharField(allow_blank=True, max_length=4000)


class ChildInputSerializer(serializers.Serializer):
    person = VisiblePersonField(help_text="Id of the child, a person you may see.")
    needs = serializers.ListField(
        child=serializers.ChoiceField(choices=ServiceType.choices), required=False, max_length=20
    )
    notes = StrictCharField(required=False, allow_blank=True, max_length=4000)


class CloseInputSerializer(serializers.Serializer):
    """Close the case: outcome and reason are both required (the service says so on the field)."""

    outcome = serializers.ChoiceField(choices=CaseOutcome.choices, required=False, allow_blank=True)
    reason = StrictCharField(required=False, allow_blank=True, max_length=10_000)


class ReasonInputSerializer(serializers.Serializer):
    reason = StrictCharField(required=False, allow_blank=True, max_length=10_000)


class AssignCaseInputSerializer(serializers.Serializer):
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), help_text="A case worker of the owning agency."
    )


class ReferInputSerializer(serializers.Serializer):
    """Refer the case to another agency for a purpose. One that discloses identity needs the victim's
    consent in force for that purpose and agency, or a legal mandate with its reason."""

    to_agency = AgencyField()
    purpose = serializers.SlugRelatedField(
        slug_field="code", queryset=ReferralPurpose.objects.filter(is_active=True)
    )
    note = StrictCharField(required=False, allow_blank=True, max_length=4000)
    legal_mandate = StrictCharField(required=False, allow_blank=True, max_length=200)
    mandate_reason = StrictCharField(required=False, allow_blank=True, max_length=4000)


class CompleteInputSerializer(serializers.Serializer):
    note = StrictCharField(required=False, allow_blank=True, max_length=4000)


class CaseTransferInputSerializer(serializers.Serializer):
    to_agency = AgencyField()
    reason = StrictCharField(allow_blank=True, max_length=4000)


class SpecialistInputSerializer(serializers.Serializer):
    """A specialist of your agency: one of its users (`user`) or a person without an account (`full_name`)."""

    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    full_name = StrictCharField(required=False, allow_blank=True, max_length=200)


class QualificationInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ServiceType.choices)
    document_number = StrictCharField(allow_blank=True, max_length=64)
    issuer = StrictCharField(allow_blank=True, max_length=200)
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_until = serializers.DateField()
