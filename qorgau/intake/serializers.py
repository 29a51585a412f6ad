"""Serializers of the intake API. They validate shapes; the services decide (qorgau/intake/services).

Lists carry no names: a signal row has its number, dates, region, status and flags only. Parties, the
address and the account are on the retrieve of one signal (audited).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from qorgau.core.api.fields import StrictCharField
from qorgau.core.models import Agency, District, Region
from qorgau.people.models import Person
from qorgau.people.serializers import PersonSerializer, VisiblePersonField
from qorgau.people.services import PERSON_DETAIL_FIELDS

from .models import (
    Channel,
    CheckResult,
    ChildInvolvement,
    ComplianceCheck,
    LegalRuleSet,
    OffenderRelationship,
    Outcome,
    OutcomeKind,
    PartyRelationship,
    ProtectiveOrder,
    ReconciliationDecision,
    Signal,
    SignalParty,
    ViolenceForm,
)

# --- reading ----------------------------------------------------------------------------------------------


class SignalListSerializer(serializers.ModelSerializer):
    """A signal as lists show it: number, dates, place, status and flags. Never a name or an address."""

    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    # Nullable: a signal may be registered without a district (the schema must say so).
    district: serializers.SlugRelatedField[District] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    outcome_kind = serializers.SerializerMethodField()
    forms = serializers.ListField(child=serializers.ChoiceField(choices=ViolenceForm.choices), read_only=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Signal
        fields = [
            "id",
            "registration_number",
            "channel",
            "received_at",
            "registered_at",
            "region",
            "district",
            "status",
            "outcome_kind",
            "closed_at",
            "first_contact_due",
            "first_contact_at",
            "outcome_due",
            "is_overdue",
            "forms",
            "children_present",
            "weapon",
            "injuries",
            "alcohol_or_drugs",
            "anonymous_reporter",
            "victim_declined",
            "breach_of",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=OutcomeKind.choices, allow_null=True))
    def get_outcome_kind(self, obj: Signal) -> str | None:
        return obj.outcome.kind if obj.outcome_id and obj.outcome else None

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_overdue(self, obj: Signal) -> bool:
        # Annotated by queries.with_deadlines on lists; a freshly created signal is computed here.
        value = getattr(obj, "is_overdue", None)
        if value is not None:
            return bool(value)
        now = timezone.now()
        if obj.is_closed:
            return False
        return obj.outcome_due < now or (obj.first_contact_at is None and obj.first_contact_due < now)


class PartyPersonSerializer(serializers.ModelSerializer):
    """The person of a party, on a signal's retrieve only. The IIN is masked."""

    class Meta:
        model = Person
        fields = ["id", "surname", "given_name", "patronymic", "birth_date", "sex", "iin_masked"]
        read_only_fields = fields


class SignalPartySerializer(serializers.ModelSerializer):
    """A party. `child_involvement` for a child ("witness" or "affected"), else "". `relationship` is kept
    for clients of the single relationship: an offender's relationship when it is the same to every victim,
    else "" (the pairs are in the signal's `relationships`)."""

    person = PartyPersonSerializer(read_only=True)
    child_involvement = serializers.ChoiceField(
        choices=ChildInvolvement.choices, allow_blank=True, read_only=True
    )
    # Declared: a generated read-only field drops allow_blank, and "" (no relationship: the victim, a
    # witness) would break the enum of the schema.
    relationship = serializers.SerializerMethodField()

    class Meta:
        model = SignalParty
        fields = ["person", "role", "child_involvement", "relationship"]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=OffenderRelationship.choices, allow_blank=True))
    def get_relationship(self, obj: SignalParty) -> str:
        codes = {pair.relationship for pair in obj.relationships_as_offender.all()}
        return codes.pop() if len(codes) == 1 else ""


class PartyRelationshipSerializer(serializers.ModelSerializer):
    """What the alleged offender (a person id) is to the victim (a person id)."""

    offender = serializers.IntegerField(source="offender.person_id", read_only=True)
    victim = serializers.IntegerField(source="victim.person_id", read_only=True)
    relationship = serializers.ChoiceField(choices=OffenderRelationship.choices, read_only=True)

    class Meta:
        model = PartyRelationship
        fields = ["offender", "victim", "relationship"]
        read_only_fields = fields


class OutcomeSerializer(serializers.ModelSerializer):
    """A legal measure. `is_decisive`: it is the signal's outcome (or was, if superseded); `corrects`: the
    earlier version it replaced, which stays in the list with `superseded_at` set."""

    is_decisive = serializers.BooleanField(read_only=True)

    class Meta:
        model = Outcome
        fields = [
            "id",
            "kind",
            "is_decisive",
            "decided_at",
            "article",
            "part",
            "case_number",
            "referred_agency",
            "order",
            "details",
            "reason",
            "corrects",
            "correction_reason",
            "recorded_by",
            "recorded_at",
            "superseded_at",
        ]
        read_only_fields = fields


class SignalDetailSerializer(SignalListSerializer):
    """One signal in full: parties with names, address, account and outcomes. Reads are audited."""

    parties = SignalPartySerializer(many=True, read_only=True)
    relationships = PartyRelationshipSerializer(
        many=True, read_only=True, help_text="What each alleged offender is to each victim (person ids)."
    )
    outcomes = OutcomeSerializer(many=True, read_only=True)
    protective_orders: serializers.PrimaryKeyRelatedField[ProtectiveOrder] = (
        serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    )

    class Meta(SignalListSerializer.Meta):
        fields = [
            *SignalListSerializer.Meta.fields,
            "address",
            "account",
            "agency",
            "registered_by",
            "assigned_to",
            "assigned_at",
            "victim_declined_at",
            "victim_declined_note",
            "first_contact_rule",
            "outcome_rule",
            "parties",
            "relationships",
            "outcomes",
            "protective_orders",
        ]
        read_only_fields = fields


# --- registering ------------------------------------------------------------------------------------------


class NewPersonSerializer(PersonSerializer):
    """A person not yet registered, created with the signal (duplicates by IIN are prevented)."""

    # Not taken here: the person is registered in the region of the caller's agency.
    iin_masked = None  # type: ignore[assignment]
    region = None  # type: ignore[assignment]
    district = None  # type: ignore[assignment]

    class Meta(PersonSerializer.Meta):
        fields = ["iin", *PERSON_DETAIL_FIELDS]
        read_only_fields: list[str] = []


class PartyInputSerializer(serializers.Serializer):
    """A person of the signal: `person` (the id of a person you may see) or `new_person`, not both."""

    person = VisiblePersonField(
        required=False,
        help_text="Id of a registered person within your scope; any other id answers 'does not exist'.",
    )
    new_person = NewPersonSerializer(required=False, help_text="A person to register with the signal.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("person" in attrs) == ("new_person" in attrs):
            raise serializers.ValidationError(_("Give either a person id or a new person, not both."))
        return attrs


class ChildInputSerializer(PartyInputSerializer):
    """A child of the signal (a child witness or an affected child, not a victim): a person and what the
    child went through."""

    child_involvement = serializers.ChoiceField(
        choices=ChildInvolvement.choices,
        help_text="witness: the child witnessed the violence; affected: the child was directly affected.",
    )


class PairInputSerializer(serializers.Serializer):
    """What one alleged offender is to one victim, the two given by their positions in `offenders` and
    `victims` (0 is the first), so that persons created with the signal can be named."""

    offender = serializers.IntegerField(min_value=0, help_text="Position in `offenders` (from 0).")
    victim = serializers.IntegerField(min_value=0, help_text="Position in `victims` (from 0).")
    relationship = serializers.ChoiceField(choices=OffenderRelationship.choices)


class SignalCreateSerializer(serializers.Serializer):
    """What registering a signal takes. The service checks the rules (deadlines, parties, relationship)."""

    channel = serializers.ChoiceField(choices=Channel.choices)
    received_at = serializers.DateTimeField(help_text="With a time zone; not in the future.")
    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), help_text="ISO 3166-2:KZ code, e.g. KZ-71."
    )
    district = serializers.SlugRelatedField(
        slug_field="code", queryset=District.objects.all(), required=False, allow_null=True
    )
    address = StrictCharField(required=False, allow_blank=True, max_length=300)
    anonymous_reporter = serializers.BooleanField(required=False, default=False)
    reporter = PartyInputSerializer(required=False, allow_null=True)
    victims = PartyInputSerializer(many=True, allow_empty=False)
    offenders = PartyInputSerializer(many=True, required=False)
    relationship = serializers.ChoiceField(
        choices=OffenderRelationship.choices,
        required=False,
        allow_blank=True,
        help_text=(
            "What the alleged offender is to the victim, for every offender-victim pair not given in "
            "`relationships` (the single relationship of earlier clients). Every pair needs one."
        ),
    )
    relationships = PairInputSerializer(
        many=True,
        required=False,
        help_text="What each alleged offender is to each victim, one item per pair.",
    )
    witnesses = PartyInputSerializer(many=True, required=False)
    children = ChildInputSerializer(
        many=True,
        required=False,
        help_text="Child witnesses and affected children (not victims); with any, children_present is true.",
    )
    forms = serializers.ListField(
        child=serializers.ChoiceField(choices=ViolenceForm.choices), required=False, default=list
    )
    children_present = serializers.BooleanField(required=False, default=False)
    weapon = serializers.BooleanField(required=False, default=False)
    injuries = serializers.BooleanField(required=False, default=False)
    alcohol_or_drugs = serializers.BooleanField(required=False, default=False)
    account = StrictCharField(required=False, allow_blank=True)

    PARTY_FIELDS = ("reporter", "victims", "offenders", "witnesses", "children")


# --- working a signal ------------------------------------------------------------------------------------


class OutcomeInputSerializer(serializers.Serializer):
    """Record a legal measure. Which fields a kind needs is checked by the service (400 on the field)."""

    kind = serializers.ChoiceField(choices=OutcomeKind.choices)
    decided_at = serializers.DateTimeField(required=False, help_text="Default: now.")
    article = StrictCharField(required=False, allow_blank=True, max_length=20)
    part = StrictCharField(required=False, allow_blank=True, max_length=10)
    case_number = StrictCharField(required=False, allow_blank=True, max_length=40)
    referred_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(), required=False, allow_null=True
    )
    details = StrictCharField(required=False, allow_blank=True)
    reason = StrictCharField(required=False, allow_blank=True)
    corrects = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="Id of a current measure of this signal that this one corrects (it is kept, superseded).",
    )
    correction_reason = StrictCharField(required=False, allow_blank=True)
    offender = VisiblePersonField(
        required=False,
        allow_null=True,
        help_text="protective_order: the alleged offender the order is issued against.",
    )
    served_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="protective_order: when the order was served."
    )
    order_number = StrictCharField(required=False, allow_blank=True, max_length=40)


class ProtectiveOrderInputSerializer(serializers.Serializer):
    """Issue a protective order; it is recorded as a legal measure of the signal (which stays open)."""

    offender = VisiblePersonField(
        required=False, help_text="The alleged offender; may be left out when the signal names exactly one."
    )
    served_at = serializers.DateTimeField(help_text="With a time zone; not in the future.")
    victims = serializers.ListField(
        child=VisiblePersonField(),
        required=False,
        help_text="The protected persons, victims of the signal; default: every victim.",
    )
    number = StrictCharField(required=False, allow_blank=True, max_length=40)
    details = StrictCharField(required=False, allow_blank=True)


class FirstContactInputSerializer(serializers.Serializer):
    contacted_at = serializers.DateTimeField(required=False, help_text="Default: now.")


class VictimDeclinedInputSerializer(serializers.Serializer):
    declined_at = serializers.DateTimeField(required=False, help_text="Default: now.")
    note = StrictCharField(required=False, allow_blank=True, max_length=2000)


class AssignInputSerializer(serializers.Serializer):
    assignee = serializers.IntegerField(
        allow_null=True,
        min_value=1,
        help_text="Id of an inspector of the signal's police; null clears the assignment.",
    )


class ComplianceCheckInputSerializer(serializers.Serializer):
    done_at = serializers.DateTimeField(help_text="With a time zone; not in the future.")
    result = serializers.ChoiceField(choices=CheckResult.choices)
    notes = StrictCharField(required=False, allow_blank=True, max_length=4000)


class ComplianceCheckSerializer(serializers.ModelSerializer):
    result = serializers.ChoiceField(choices=CheckResult.choices, allow_blank=True, read_only=True)

    class Meta:
        model = ComplianceCheck
        fields = ["id", "order", "due_at", "done_at", "done_by", "result", "notes"]
        read_only_fields = fields


class BreachInputSerializer(serializers.Serializer):
    """Report a breach of a protective order: registered as a new signal with the order's parties."""

    received_at = serializers.DateTimeField(help_text="With a time zone; while the order was in force.")
    channel = serializers.ChoiceField(choices=Channel.choices)
    forms = serializers.ListField(
        child=serializers.ChoiceField(choices=ViolenceForm.choices), required=False, default=list
    )
    children_present = serializers.BooleanField(required=False, default=False)
    weapon = serializers.BooleanField(required=False, default=False)
    injuries = serializers.BooleanField(required=False, default=False)
    alcohol_or_drugs = serializers.BooleanField(required=False, default=False)
    account = StrictCharField(required=False, allow_blank=True)


class ReconciliationInputSerializer(serializers.Serializer):
    offender = VisiblePersonField(
        required=False, help_text="The alleged offender; may be left out when the signal names exactly one."
    )
    at = serializers.DateField(
        required=False, help_text="The day whose law applies; default: the day the signal was received."
    )
    note = StrictCharField(required=False, allow_blank=True)


class ReconciliationDecisionSerializer(serializers.ModelSerializer):
    """The guard's decision, citing the rule-set version and the rule that refused it (if any)."""

    rule_set: serializers.SlugRelatedField[LegalRuleSet] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    rule_set_title = serializers.CharField(source="rule_set.title", read_only=True)
    rule_title = serializers.SerializerMethodField()

    class Meta:
        model = ReconciliationDecision
        fields = [
            "id",
            "signal",
            "offender",
            "allowed",
            "rule_set",
            "rule_set_title",
            "rule_code",
            "rule_title",
            "law_date",
            "explanation",
            "request_note",
            "requested_at",
            "decided_by",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_rule_title(self, obj: ReconciliationDecision) -> str | None:
        return obj.rule.title if obj.rule_id and obj.rule else None


class ProtectiveOrderSerializer(serializers.ModelSerializer):
    """A protective order as lists show it: no names; the next compliance check due and overdue ones."""

    signal_number = serializers.CharField(source="signal.registration_number", read_only=True)
    district: serializers.SlugRelatedField[District] = serializers.SlugRelatedField(
        source="signal.district", slug_field="code", read_only=True, allow_null=True
    )
    in_force = serializers.SerializerMethodField()
    next_check_due = serializers.DateTimeField(read_only=True, allow_null=True)
    checks_overdue = serializers.IntegerField(read_only=True)

    class Meta:
        model = ProtectiveOrder
        fields = [
            "id",
            "number",
            "signal",
            "signal_number",
            "district",
            "status",
            "served_at",
            "expires_at",
            "in_force",
            "next_check_due",
            "checks_overdue",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_in_force(self, obj: ProtectiveOrder) -> bool:
        return obj.in_force()


class TransferInputSerializer(serializers.Serializer):
    """Hand a signal over to another region. The service checks the region, district and reason."""

    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), help_text="ISO 3166-2:KZ code of the region."
    )
    district = serializers.SlugRelatedField(
        slug_field="code", queryset=District.objects.all(), required=False, allow_null=True
    )
    reason = serializers.CharField(max_length=2000, help_text="Why the signal is handed over.")
