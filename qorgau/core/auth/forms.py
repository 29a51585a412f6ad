"""Forms of the sign-in flow: password, then a code from the authenticator app or a backup code."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp import devices_for_user, verify_token
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from qorgau.core.models import User


def _bootstrap(form: forms.Form) -> None:
    for field in form.fields.values():
        field.widget.attrs.setdefault("class", "form-control")


def normalise_code(value: str) -> str:
    # People copy codes with spaces or dashes ("123 456", "ab3d-ef7g"); backup codes are lower-case base32.
    return "".join(value.split()).replace("-", "").lower()


def throttle_wait(devices: Iterable[Device]) -> int:
    """Seconds until every device accepts a code again after wrong ones (django-otp's back-off), or 0.

    A throttled device refuses even its right code without looking at it, so while any device is
    throttled no code is checked at all: nothing is guessed, and nothing is counted as a failure.
    """
    wait = 0.0
    now = timezone.now()
    for device in devices:
        allowed, data = device.verify_is_allowed()
        if not allowed and data and data.get("locked_until"):
            wait = max(wait, (data["locked_until"] - now).total_seconds())
    return math.ceil(wait) if wait > 0 else 0


def throttled_error(seconds: int) -> forms.ValidationError:
    message = ngettext(
        "Too many codes in a row: wait %(seconds)d second, then enter the code again.",
        "Too many codes in a row: wait %(seconds)d seconds, then enter the code again.",
        seconds,
    )
    return forms.ValidationError(message, code="throttled", params={"seconds": seconds})


class LoginForm(AuthenticationForm):
    """Username and password, checked through `authenticate(request=...)` so that django-axes counts failures.

    AuthenticationForm already sets autocomplete="username" / "current-password".
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class CodeField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Code"))
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "autocomplete": "one-time-code",
                    "autocapitalize": "off",
                    "spellcheck": "false",
                    "autofocus": True,
                }
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return normalise_code(super().to_python(value) or "")


class OTPVerifyForm(forms.Form):
    """A code from any confirmed device of the user: the TOTP app (6 digits) or a single-use backup code."""

    code = CodeField(
        help_text=_("The 6-digit code from your authenticator app, or one of your backup codes.")
    )

    error_messages = {"invalid": _("This code is not valid. Check the code and try again.")}

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.device: Device | None = None
        _bootstrap(self)

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        devices = list(devices_for_user(self.user, confirmed=True))
        if seconds := throttle_wait(devices):
            raise throttled_error(seconds)
        # Each device is verified on its own (inside a transaction, with its own throttling), as
        # django-otp recommends, instead of django_otp.match_token.
        for device in devices:
            verified = verify_token(self.user, device.persistent_id, code)
            if verified is not None:
                self.device = verified
                return code
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class OTPSetupForm(forms.Form):
    """Confirms a new authenticator: the first code it shows proves the secret was copied correctly."""

    code = CodeField(help_text=_("Enter the 6-digit code your authenticator app shows for Qorgau."))

    error_messages = {
        "invalid": _("This code does not match. Check the time on your phone and enter the current code.")
    }

    def __init__(self, device: TOTPDevice, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.device = device
        _bootstrap(self)

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if seconds := throttle_wait([self.device]):
            raise throttled_error(seconds)
        if not self.device.verify_token(code):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return code


class EnrolmentCodeForm(forms.Form):
    """The one-time enrolment code an administrator gave the user (checked by the view's service)."""

    code = CodeField(
        label=_("Enrolment code"),
        help_text=_(
            "The one-time code your agency's Qorgau administrator gave you, for example abcd-efgh-ijkl-mnop."
        ),
    )

    error_messages = {
        "invalid": _(
            "This enrolment code is not valid: it may be mistyped, used, expired or issued for someone else."
        )
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def refuse(self) -> None:
        self.add_error("code", forms.ValidationError(self.error_messages["invalid"], code="invalid"))
