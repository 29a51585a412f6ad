"""The facilities API's serializers. Counts, codes and names only: no serializer has the address."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from qorgau.cases.models import Case
from qorgau.core.api.fields import StrictCharField

from .models import (
    Accessibility,
    Capacity,
    DeclineReason,
    Facility,
    FacilityType,
    Language,
    PlacementRequest,
    PlaceType,
)


class ChildSerializer(serializers.Serializer[Any]):
    age = serializers.IntegerField(min_value=0, max_value=17)
    sex = StrictCharField(
        required=False, allow_blank=True, default="", max_length=1, help_text="F, M or empty."
    )

    def validate_sex(self, value: str) -> str:
        if value not in ("", "F", "M"):
            raise serializers.ValidationError("F, M or empty.")
        return value


class FacilityBriefSerializer(serializers.ModelSerializer[Facility]):
    name = serializers.CharField(source="agency.display_name", read_only=True)
    settlement = serializers.CharField(source="settlement.name", read_only=True)
    region = serializers.CharField(source="region.code", read_only=True)

    class Meta:
        model = Facility
        fields = [
            "id",
            "code",
            "name",
            "type",
            "operator",
            "region",
            "settlement",
            "opening_mode",
            "languages",
            "accessibility",
        ]
        read_only_fields = fields


class CapacitySerializer(serializers.ModelSerializer[Capacity]):
    free = serializers.IntegerField(read_only=True)
    stale = serializers.SerializerMethodField()

    class Meta:
        model = Capacity
        fields = ["id", "facility", "place_type", "beds", "vacant", "held", "free", "as_of", "stale"]
        read_only_fields = fields

    def get_stale(self, obj: Capacity) -> bool:
        return obj.is_stale()


class StepSerializer(serializers.Serializer[Any]):
    step = serializers.ChoiceField(choices=[1, -1])


class VacancyQuerySerializer(serializers.Serializer[Any]):
    """The search's query parameters (nothing personal: what kind of place is needed, and from where)."""

    place_type = serializers.ChoiceField(choices=PlaceType.choices)
    origin = serializers.IntegerField(required=False, min_value=1, help_text="A settlement id.")
    region = serializers.IntegerField(required=False, min_value=1, help_text="A region id.")
    children = StrictCharField(required=False, max_length=200, help_text="Ages and F or M: 4F,7M.")
    accessibility = serializers.MultipleChoiceField(choices=Accessibility.choices, required=False)
    language = serializers.ChoiceField(choices=Language.choices, required=False)
    types = serializers.MultipleChoiceField(choices=FacilityType.choices, required=False)
    pets = serializers.BooleanField(required=False, default=False)
    include_full = serializers.BooleanField(required=False, default=False)


class VacancyMatchSerializer(serializers.Serializer[Any]):
    rank = serializers.IntegerField()
    facility = FacilityBriefSerializer()
    place_type = serializers.CharField(source="capacity.place_type")
    free = serializers.IntegerField()
    as_of = serializers.DateTimeField(source="capacity.as_of")
    stale = serializers.BooleanField()
    fits = serializers.BooleanField()
    distance_km = serializers.FloatField(source="distance", allow_null=True)
    reasons = serializers.ListField(child=serializers.CharField())


class PlacementRequestSerializer(serializers.ModelSerializer[PlacementRequest]):
    case_code = serializers.CharField(source="case.code", read_only=True)
    facility = FacilityBriefSerializer(read_only=True)
    places = serializers.IntegerField(read_only=True)
    children = ChildSerializer(many=True, read_only=True)

    class Meta:
        model = PlacementRequest
        fields = [
            "id",
            "code",
            "case",
            "case_code",
            "facility",
            "place_type",
            "children",
            "places",
            "status",
            "answer_due",
            "requested_at",
            "decided_at",
            "decline_reason",
        ]
        read_only_fields = fields


class PlacementRequestInputSerializer(serializers.Serializer[Any]):
    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.none())
    facility = serializers.PrimaryKeyRelatedField(queryset=Facility.objects.filter(is_active=True))
    place_type = serializers.ChoiceField(choices=PlaceType.choices)
    children = ChildSerializer(many=True, required=False)
    needs_accessibility = serializers.MultipleChoiceField(choices=Accessibility.choices, required=False)
    note = StrictCharField(required=False, allow_blank=True, max_length=2000)
    legal_mandate = StrictCharField(required=False, allow_blank=True, max_length=200)
    mandate_reason = StrictCharField(required=False, allow_blank=True, max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")  # none when the schema generator builds it
        if request is not None:
            # Only the user's own cases (by their own scope): any other id "does not exist".
            cases = Case.objects.visible_to(request.user, "change", grants=False)
            self.fields["case"].queryset = cases  # type: ignore[attr-defined]


class PlacementDeclineSerializer(serializers.Serializer[Any]):
    decline_reason = serializers.ChoiceField(choices=DeclineReason.choices)
    note = StrictCharField(required=False, allow_blank=True, max_length=2000)


class PlacementWithdrawSerializer(serializers.Serializer[Any]):
    reason = StrictCharField(max_length=2000)
