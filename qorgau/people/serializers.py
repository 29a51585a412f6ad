"""The people API's serializers: persons, families and their members, consent. They validate input;
the viewsets (api.py) call the services with it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from qorgau.core.api.fields import InputModelSerializer, StrictCharField
from qorgau.core.models import Agency, District, Region, work_regions

from .iin import normalize_iin, validate_iin
from .models import Consent, ConsentPurpose, Family, FamilyMember, Person, Relationship
from .services import (
    PERSON_FIELDS,
)
from .services.consent import consent_status, do_record_consent


def _validate_iin_field(value: str) -> None:
    if normalize_iin(value):
        validate_iin(value)


class PersonListSerializer(serializers.ModelSerializer):
    """A person as lists show it: no IIN, surname and initial only."""

    display_name = serializers.CharField(source="short_name", read_only=True)
    birth_year = serializers.SerializerMethodField()
    age = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "display_name",
            "iin_masked",
            "birth_year",
            "age",
            "sex",
            "region",
            "district",
            "agency",
        ]
        read_only_fields = fields

    def get_birth_year(self, obj: Person) -> int | None:
        return obj.birth_date.year if obj.birth_date else None

    def get_age(self, obj: Person) -> int | None:
        """Full years today: with the district, what tells namesakes apart in a list."""
        return obj.age()


class WorkRegionField(serializers.PrimaryKeyRelatedField):
    """A region where the caller works (any other id "does not exist"); see core.permissions.may_work_in."""

    def get_queryset(self) -> QuerySet[Region]:
        request = self.context.get("request")
        return work_regions(request.user) if request is not None else Region.objects.none()


class PersonSerializer(InputModelSerializer):
    """A person in full. `iin` is write-only, and shown in clear only when the view says so."""

    iin = StrictCharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=20,
        validators=[_validate_iin_field],
        help_text="12 digits; write-only. Never sent back except on retrieve to roles with people.view_iin.",
    )
    iin_masked = serializers.CharField(read_only=True)
    region = WorkRegionField(required=False, allow_null=True)
    district = serializers.PrimaryKeyRelatedField(
        queryset=District.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "iin",
            "iin_masked",
            *PERSON_FIELDS,
            "agency",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "iin_masked", "agency", "created_at", "updated_at"]

    def validate_iin(self, value: str) -> str:
        return normalize_iin(value)


class PersonDetailSerializer(PersonSerializer):
    """A person as a retrieve (and a create or change) answers: `iin` in clear only for people.view_iin."""

    iin = serializers.SerializerMethodField(  # type: ignore[assignment]  # read-only twin of the input
        help_text="The IIN in clear on retrieve, for roles with people.view_iin; otherwise null."
    )

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_iin(self, obj: Person) -> str | None:
        request = self.context.get("request")
        if request is not None and self.context.get("reveal_iin") and request.user.can("people.view_iin"):
            return obj.reveal_iin() or None
        return None


class PersonSearchSerializer(serializers.Serializer):
    iin = StrictCharField(required=False, allow_blank=True, max_length=20, validators=[_validate_iin_field])
    name = StrictCharField(required=False, allow_blank=True, max_length=200)
    birth_year = serializers.IntegerField(required=False, allow_null=True, min_value=1800, max_value=2100)

    def validate_iin(self, value: str) -> str:
        return normalize_iin(value)


@extend_schema_field(OpenApiTypes.INT)
class VisiblePersonField(serializers.PrimaryKeyRelatedField):
    """A person the caller may `action` (view by default); any other id answers 'does not exist', as for a
    missing one. The one field every serializer uses for a person given by id."""

    def __init__(self, *, action: str = "view", **kwargs: Any) -> None:
        self.scope_action = action
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Person]:
        request = self.context.get("request")
        return Person.objects.visible_to(getattr(request, "user", None), self.scope_action)


class FamilyMemberSerializer(serializers.ModelSerializer):
    person = VisiblePersonField()
    relationship = serializers.ChoiceField(choices=Relationship.choices)

    class Meta:
        model = FamilyMember
        fields = ["person", "relationship"]


class FamilySerializer(InputModelSerializer):
    members = FamilyMemberSerializer(many=True, source="memberships", required=False)
    region = WorkRegionField()
    district = serializers.PrimaryKeyRelatedField(
        queryset=District.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Family
        fields = ["id", "code", "region", "district", "address", "agency", "members", "created_at"]
        read_only_fields = ["id", "code", "agency", "created_at"]


class FamilyMemberAddSerializer(FamilyMemberSerializer):
    pass


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
