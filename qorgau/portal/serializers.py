"""The API's serializers of the prevention register: strict input, the service's rules on the fields."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from qorgau.core.api.fields import StrictCharField
from qorgau.core.models import District, Region

from .models import Activity, ActivityKind, Audience, ReachUnit
from .services.activities import REACH_MAX, TEXT_LIMITS


class ActivitySerializer(serializers.ModelSerializer):
    district = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)  # type: ignore[var-annotated]
    materials = serializers.CharField(read_only=True, allow_blank=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "code",
            "kind",
            "title",
            "region",
            "district",
            "starts_on",
            "ends_on",
            "organiser",
            "audience",
            "reach",
            "reach_unit",
            "materials",
            "agency",
            "created_at",
        ]
        read_only_fields = fields


class ActivityInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    title = StrictCharField(max_length=TEXT_LIMITS["title"])
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    district = serializers.PrimaryKeyRelatedField(
        queryset=District.objects.all(), required=False, allow_null=True
    )
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    organiser = StrictCharField(max_length=TEXT_LIMITS["organiser"])
    audience = serializers.ChoiceField(choices=Audience.choices)
    reach = serializers.IntegerField(min_value=0, max_value=REACH_MAX)
    reach_unit = serializers.ChoiceField(choices=ReachUnit.choices)
    materials = StrictCharField(
        max_length=TEXT_LIMITS["materials"], required=False, allow_blank=True, default=""
    )


class ActivityChangeSerializer(ActivityInputSerializer):
    """PATCH: any of the fields; the service checks the whole activity as it would be."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        self.fields["materials"].default = serializers.empty


class SeriesSerializer(serializers.Serializer):
    before = serializers.FloatField(allow_null=True)
    during = serializers.FloatField(allow_null=True)
    after = serializers.FloatField(allow_null=True)
    step = serializers.FloatField(
        allow_null=True, help_text="Change of level at the start (per 10,000 a week)."
    )
    step_low = serializers.FloatField(allow_null=True)
    step_high = serializers.FloatField(allow_null=True)
    lag1 = serializers.FloatField(allow_null=True)
    error = serializers.CharField(allow_blank=True)


class EvaluationSerializer(serializers.Serializer):
    weeks = serializers.ListField(child=serializers.DateField())
    start_week = serializers.IntegerField()
    end_week = serializers.IntegerField()
    comparison_regions = serializers.ListField(child=serializers.IntegerField())
    region = SeriesSerializer()
    hotline = SeriesSerializer()
    comparison = SeriesSerializer()
