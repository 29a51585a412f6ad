"""Serializers of the facilities API's register, stays, waiting list, vacancy reports and occupancy.

Input serializers state every constraint the services enforce (choices, lengths, ranges), so that a
request the schema allows never ends in a 500. The address is write-only: no output has it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from qorgau.cases.models import Case, ServiceType
from qorgau.core.api.fields import StrictCharField
from qorgau.core.models import District

from .models import (
    Accessibility,
    Capacity,
    DischargeDestination,
    DischargeOutcome,
    Facility,
    FacilityType,
    Language,
    OpeningMode,
    Operator,
    Placement,
    PlacementExtension,
    PlacementRequest,
    PlaceType,
    Settlement,
    VacancyUpdate,
    WaitingEntry,
    WaitingRemoval,
)
from .serializers import AccompanyingChildSerializer, CapacitySerializer, FacilityBriefSerializer

MAX_PLACES = 1000


class PlacesSerializer(serializers.Serializer[Any]):
    """Places by type: each optional, a whole number from 0 to 1000."""

    women = serializers.IntegerField(required=False, min_value=0, max_value=MAX_PLACES)
    women_children = serializers.IntegerField(required=False, min_value=0, max_value=MAX_PLACES)
    men = serializers.IntegerField(required=False, min_value=0, max_value=MAX_PLACES)
    minors = serializers.IntegerField(required=False, min_value=0, max_value=MAX_PLACES)
    disability = serializers.IntegerField(required=False, min_value=0, max_value=MAX_PLACES)


class FacilitySerializer(serializers.ModelSerializer[Facility]):
    """A facility as its staff and administrators read it: details and places, never the address."""

    name = serializers.CharField(source="agency.display_name", read_only=True)
    region = serializers.CharField(source="region.code", read_only=True)
    settlement_name = serializers.CharField(source="settlement.name", read_only=True)
    has_address = serializers.BooleanField(read_only=True)
    capacities = CapacitySerializer(many=True, read_only=True)

    class Meta:
        model = Facility
        fields = [
            "id",
            "code",
            "name",
            "type",
            "operator",
            "region",
            "district",
            "settlement",
            "settlement_name",
            "licence_number",
            "licence_valid_until",
            "services",
            "opening_mode",
            "accessibility",
            "languages",
            "takes_teenage_sons",
            "teenage_son_max_age",
            "takes_pets",
            "is_active",
            "has_address",
            "capacities",
        ]
        read_only_fields = fields


class _FacilityFields(serializers.Serializer[Any]):
    operator = serializers.ChoiceField(choices=Operator.choices)
    district = serializers.PrimaryKeyRelatedField(
        queryset=District.objects.all(), required=False, allow_null=True
    )
    settlement = serializers.PrimaryKeyRelatedField(queryset=Settlement.objects.all())
    licence_number = StrictCharField(required=False, allow_blank=True, max_length=64)
    licence_valid_until = serializers.DateField(required=False, allow_null=True)
    services = serializers.MultipleChoiceField(choices=ServiceType.choices, required=False)
    opening_mode = serializers.ChoiceField(choices=OpeningMode.choices, required=False)
    accessibility = serializers.MultipleChoiceField(choices=Accessibility.choices, required=False)
    languages = serializers.MultipleChoiceField(choices=Language.choices, required=False)
    takes_teenage_sons = serializers.BooleanField(required=False)
    teenage_son_max_age = serializers.IntegerField(required=False, min_value=10, max_value=17)
    takes_pets = serializers.BooleanField(required=False)
    address = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=300,
        write_only=True,
        help_text="The secret street address: stored encrypted, never returned.",
    )
    places = PlacesSerializer(required=False)

    def validated(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        for name in ("services", "accessibility", "languages"):
            if name in data:
                data[name] = sorted(data[name])
        if "places" in data:
            data["places"] = dict(data["places"])
        return data


class FacilityRegisterSerializer(_FacilityFields):
    name = StrictCharField(max_length=200)
    type = serializers.ChoiceField(choices=FacilityType.choices)


class FacilityChangeSerializer(_FacilityFields):
    """Every field optional (PATCH); `address` replaces the secret address ("" removes it)."""

    type = serializers.ChoiceField(choices=FacilityType.choices, required=False)
    is_active = serializers.BooleanField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("operator", "settlement"):
            self.fields[name].required = False


class PlacementSerializer(serializers.ModelSerializer[Placement]):
    case_code = serializers.CharField(source="case.code", read_only=True)
    facility = FacilityBriefSerializer(read_only=True)
    place_type = serializers.CharField(source="capacity.place_type", read_only=True)
    children = AccompanyingChildSerializer(many=True, read_only=True)
    extensions = serializers.SerializerMethodField()

    class Meta:
        model = Placement
        fields = [
            "id",
            "code",
            "case",
            "case_code",
            "facility",
            "place_type",
            "children",
            "places",
            "request",
            "admitted_at",
            "planned_end",
            "discharged_at",
            "destination",
            "outcome",
            "extensions",
        ]
        read_only_fields = fields

    def get_extensions(self, obj: Placement) -> list[dict[str, Any]]:
        rows: list[PlacementExtension] = list(obj.extensions.all())
        return [
            {"previous_end": e.previous_end, "new_end": e.new_end, "reason": e.reason, "at": e.extended_at}
            for e in rows
        ]


class AdmitSerializer(serializers.Serializer[Any]):
    """An admission at the caller's own facility: from an accepted request, or directly."""

    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.none())
    request = serializers.PrimaryKeyRelatedField(
        queryset=PlacementRequest.objects.none(), required=False, allow_null=True
    )
    place_type = serializers.ChoiceField(choices=PlaceType.choices, required=False)
    children = AccompanyingChildSerializer(many=True, required=False)
    planned_end = serializers.DateField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["case"].queryset = Case.objects.visible_to(request.user, "view")  # type: ignore[attr-defined]
            self.fields["request"].queryset = PlacementRequest.objects.visible_to(request.user, "change")  # type: ignore[attr-defined]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("request") is None and not attrs.get("place_type"):
            raise serializers.ValidationError(
                {"place_type": _("Choose the type of place, or give the request.")}
            )
        return attrs


class ExtendSerializer(serializers.Serializer[Any]):
    new_end = serializers.DateField()
    reason = StrictCharField(max_length=2000, help_text="Why the stay is extended (required).")


class DischargeSerializer(serializers.Serializer[Any]):
    destination = serializers.ChoiceField(choices=DischargeDestination.choices)
    outcome = serializers.ChoiceField(choices=DischargeOutcome.choices)
    note = StrictCharField(required=False, allow_blank=True, max_length=2000)
    at = serializers.DateTimeField(required=False, help_text="When the person left; now when not given.")


class WaitingEntrySerializer(serializers.ModelSerializer[WaitingEntry]):
    case_code = serializers.CharField(source="case.code", read_only=True)
    facility = FacilityBriefSerializer(read_only=True)
    children = AccompanyingChildSerializer(many=True, read_only=True)

    class Meta:
        model = WaitingEntry
        fields = [
            "id",
            "case",
            "case_code",
            "facility",
            "place_type",
            "children",
            "urgent",
            "note",
            "added_at",
            "removed_at",
            "removal",
        ]
        read_only_fields = fields


class WaitingEntryInputSerializer(serializers.Serializer[Any]):
    facility = serializers.PrimaryKeyRelatedField(queryset=Facility.objects.filter(is_active=True))
    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.none())
    place_type = serializers.ChoiceField(choices=PlaceType.choices)
    children = AccompanyingChildSerializer(many=True, required=False)
    urgent = serializers.BooleanField(required=False, default=False)
    note = StrictCharField(required=False, allow_blank=True, max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["case"].queryset = Case.objects.visible_to(request.user, "view")  # type: ignore[attr-defined]


class WaitingRemoveSerializer(serializers.Serializer[Any]):
    removal = serializers.ChoiceField(choices=WaitingRemoval.choices)


class ReportSerializer(serializers.Serializer[Any]):
    vacant = serializers.IntegerField(min_value=0, max_value=MAX_PLACES)
    as_of = serializers.DateTimeField(required=False, help_text="When counted (up to 72 hours back); now.")


class VacancyUpdateSerializer(serializers.ModelSerializer[VacancyUpdate]):
    place_type = serializers.CharField(source="capacity.place_type", read_only=True)

    class Meta:
        model = VacancyUpdate
        fields = ["id", "capacity", "place_type", "kind", "beds", "vacant", "held", "as_of", "recorded_at"]
        read_only_fields = fields


class OccupancyQuerySerializer(serializers.Serializer[Any]):
    facility = serializers.IntegerField(required=False, min_value=1, help_text="A facility id.")
    region = serializers.IntegerField(required=False, min_value=1, help_text="A region id.")
    start = serializers.DateField(help_text="First day (local).")
    end = serializers.DateField(help_text="Last day (local); at most 731 days after start.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        from .history import LONGEST_PERIOD

        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": _("The last day cannot be before the first.")})
        if (attrs["end"] - attrs["start"]).days >= LONGEST_PERIOD:
            raise serializers.ValidationError(
                {"end": _("At most %(days)s days at once.") % {"days": LONGEST_PERIOD}}
            )
        return attrs


class OccupancyDaySerializer(serializers.Serializer[Any]):
    day = serializers.DateField()
    beds = serializers.IntegerField()
    occupied = serializers.IntegerField()
    held = serializers.IntegerField()
    occupancy = serializers.IntegerField(allow_null=True, help_text="Per cent of places taken.")


class OccupancyTodaySerializer(serializers.Serializer[Any]):
    region = serializers.CharField()
    type = serializers.CharField()
    facilities = serializers.IntegerField()
    beds = serializers.IntegerField()
    vacant = serializers.IntegerField()
    held = serializers.IntegerField()
    stale = serializers.IntegerField()
    occupancy = serializers.IntegerField(allow_null=True)


__all__ = [
    "AdmitSerializer",
    "Capacity",
    "DischargeSerializer",
    "ExtendSerializer",
    "FacilityChangeSerializer",
    "FacilityRegisterSerializer",
    "FacilitySerializer",
    "OccupancyDaySerializer",
    "OccupancyQuerySerializer",
    "OccupancyTodaySerializer",
    "PlacementSerializer",
    "ReportSerializer",
    "VacancyUpdateSerializer",
    "WaitingEntryInputSerializer",
    "WaitingEntrySerializer",
    "WaitingRemoveSerializer",
]
