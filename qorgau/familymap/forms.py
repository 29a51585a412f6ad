"""Forms of the family map's pages."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class DraftForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    document = forms.CharField(
        label=_("Rules (JSON)"),
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "class": "font-monospace"}),
        help_text=_("Indicators, k, level thresholds and overrides (docs/familymap-pipeline.md)."),
    )

    def clean_document(self) -> Any:
        try:
            return json.loads(self.cleaned_data["document"])
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("Not valid JSON: %(error)s"), params={"error": str(error)}
            ) from error
