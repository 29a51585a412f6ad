"""Forms of the portal: the public "write to us" (no name, no phone, no account) and the staff register."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.models import District, Region, work_regions

from .models import Activity, ActivityKind, Audience, ReachUnit
from .services.activities import TEXT_LIMITS
from .services.messages import REFERENCE_CHARS

MESSAGE_MAX = 2000  # intake.services.public.MESSAGE_MAX: the form says it before the service does
TOKEN_SALT = "qorgau.portal.form"  # noqa: S105  (a signing salt, not a secret)
TOKEN_MIN_SECONDS = 3  # a person needs longer than this to write; a script posting at once does not
TOKEN_MAX_SECONDS = 4 * 3600


def form_token() -> str:
    """A signed moment: the form was shown by us, then. No cookie, nothing stored."""
    return signing.dumps(int(timezone.now().timestamp()), salt=TOKEN_SALT)


class SpamChecks(forms.Form):
    """A honeypot field people do not see, and the signed moment the form was shown (too fast, too old
    or forged is refused with a message, and what was written is kept on the page)."""

    token = forms.CharField(widget=forms.HiddenInput, required=False)
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # No maxlength in the page: a browser would cut a pasted text silently; the server says how long
        # it is instead, and keeps it.
        for name, field in self.fields.items():
            field.widget.attrs.pop("maxlength", None)
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}_hint"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("website"):
            raise forms.ValidationError(_("The message could not be sent. Please try again."), code="spam")
        try:
            shown = signing.loads(data.get("token") or "", salt=TOKEN_SALT, max_age=TOKEN_MAX_SECONDS)
        except signing.SignatureExpired:
            raise forms.ValidationError(
                _("The page was open for a long time. Your text is kept: please send it again."), code="old"
            ) from None
        except signing.BadSignature:
            raise forms.ValidationError(
                _("The message could not be sent. Your text is kept: please send it again."), code="token"
            ) from None
        if not isinstance(shown, int) or timezone.now().timestamp() - shown < TOKEN_MIN_SECONDS:
            raise forms.ValidationError(
                _("That was very quick. Your text is kept: please check it and send it again."), code="fast"
            )
        return data


class MessageForm(SpamChecks):
    region = forms.ModelChoiceField(
        label=_("Your region"),
        queryset=Region.objects.order_by("name_en"),
        empty_label=_("Choose the region"),
        help_text=_("So that the staff of your region receive the message."),
    )
    text = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_(
            "What is happening, and how and when it is safe to reach you, if it is. No name is needed. "
            "At most %(n)d characters."
        )
        % {"n": MESSAGE_MAX},
    )
    children = forms.BooleanField(label=_("Children are affected"), required=False)

    field_order = ["region", "text", "children", "website", "token"]


class AdditionForm(SpamChecks):
    reference = forms.CharField(
        label=_("Your reference"),
        max_length=REFERENCE_CHARS + 6,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        help_text=_("The reference shown when you sent the message, e.g. ABCD-EFGH-JKMN."),
    )
    text = forms.CharField(
        label=_("What you want to add"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    field_order = ["reference", "text", "website", "token"]


# --- staff ----------------------------------------------------------------------------------------------

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("Title"), max_length=TEXT_LIMITS["title"])
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none(), required=False)
    starts_on = forms.DateField(label=_("Starts"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends"), widget=DATE)
    organiser = forms.CharField(label=_("Organiser"), max_length=TEXT_LIMITS["organiser"])
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    reach = forms.IntegerField(label=_("Reach"), min_value=0, help_text=_("0 if not yet known."))
    reach_unit = forms.ChoiceField(label=_("Reach counted as"), choices=ReachUnit.choices)
    materials = forms.CharField(
        label=_("Materials"),
        max_length=TEXT_LIMITS["materials"],
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Leaflets, videos, lesson plans, links to published material."),
    )

    def __init__(self, *args: Any, user: Any, instance: Activity | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(instance, name) for name in self.base_fields}
        super().__init__(*args, **kwargs)
        regions = work_regions(user)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]
        self.fields["district"].queryset = District.objects.filter(region__in=regions).select_related(  # type: ignore[attr-defined]
            "region"
        )
