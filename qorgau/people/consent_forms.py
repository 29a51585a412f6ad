"""Forms of the consent pages. They parse input; the rules live in consent.py (do_record_consent)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from qorgau.core.models import Agency

from .models import ConsentPurpose, ConsentRule


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    receiving_agency = forms.ModelChoiceField(
        label=_("Receiving agency"),
        queryset=Agency.objects.filter(is_active=True),
        help_text=_("The only agency this consent lets the data go to."),
    )
    granted_at = forms.DateTimeField(
        label=_("Consent given on"),
        widget=DateTimeLocalInput(),
        help_text=_("When the person signed the written consent."),
    )
    expires_at = forms.DateTimeField(
        label=_("Consent expires on"),
        widget=DateTimeLocalInput(),
        # Lazy as a whole: `%` on a lazy string would translate it once, at import, in the default language.
        help_text=lazy(
            lambda: (
                _("Required. At most %(days)d days after the consent was given.")
                % {"days": ConsentRule.effective(timezone.now()).max_days}
            ),
            str,
        )(),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: limits the person set, such as which information may be shared."),
    )


class WithdrawConsentForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the withdrawal"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In the person's words, as far as possible."),
    )
