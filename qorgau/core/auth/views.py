"""Sign-in: password (django-axes counts failures), then a second factor, or enrolment of one.

The flow, for every staff user:

1. /accounts/login/             username + password -> django.contrib.auth.login (session *not* verified);
2. /accounts/verify/            a TOTP code or a backup code -> the session is verified (new session key);
   a user with no usable second factor goes to
3. /accounts/two-factor/start/  the one-time enrolment code an administrator issued (enrolment.py), then
4. /accounts/two-factor/        to enrol an authenticator app (secret + QR code, confirmed with a code).
   A verified user may come here directly to replace their authenticator.

RequireOTPMiddleware keeps an unverified session away from every other page. Wrong codes (second factor
or enrolment code) count as failed logins of the account for django-axes, across sessions: after
AXES_FAILURE_LIMIT of them the user is signed out and the account is locked like after wrong passwords.
Only a verified second factor resets the count. The views parse and call services.py / enrolment.py.
"""

from __future__ import annotations

import base64
import io
from typing import Any
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from qorgau.core.middleware import is_verified
from qorgau.core.models import EnrolmentCode, User

from .enrolment import do_redeem_enrolment_code, redeemed_code
from .forms import EnrolmentCodeForm, LoginForm, OTPSetupForm, OTPVerifyForm
from .services import (
    do_enrol_totp,
    do_pass_second_factor,
    do_record_second_factor_failure,
    do_start_totp_enrolment,
)

# The id of the enrolment code this session redeemed: it lets this session, and no other, see a secret.
ENROLMENT_CODE_SESSION_KEY = "qorgau_enrolment_code"


def safe_next(request: HttpRequest) -> str:
    """The `next` URL of the request if it stays on this site, else ''."""
    target = request.POST.get("next", request.GET.get("next", ""))
    if url_has_allowed_host_and_scheme(
        url=target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def failure_limit() -> int:
    return int(settings.AXES_FAILURE_LIMIT)


def has_second_factor(user: User) -> bool:
    """A confirmed authenticator, or backup codes of which at least one is left.

    A user whose backup codes are used up has nothing to verify with and is treated like a new user:
    they need an enrolment code (or fresh backup codes) from an administrator.
    """
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or StaticDevice.objects.filter(user=user, confirmed=True, token_set__isnull=False).exists()
    )


class LoginView(auth_views.LoginView):
    """Step 1: the password. A correct one signs the user in, unverified, and sends them to step 2."""

    template_name = "core/login.html"
    authentication_form = LoginForm

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        super().form_valid(form)  # django.contrib.auth.login: session key cycled, auth.login audited
        return HttpResponseRedirect(with_next(reverse("core:otp_verify"), self.get_redirect_url()))


class SecondFactorMixin(LoginRequiredMixin):
    request: HttpRequest

    def get_success_url(self) -> str:
        return safe_next(self.request) or resolve_url(settings.LOGIN_REDIRECT_URL)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["next"] = safe_next(self.request)
        return context

    def redirect(self, name: str) -> HttpResponse:
        return HttpResponseRedirect(with_next(reverse(name), safe_next(self.request)))

    def is_locked(self) -> bool:
        # An account locked meanwhile (for example by wrong codes in another session) gets no more tries.
        return not AxesProxyHandler.is_allowed(self.request, {"username": self.request.user.get_username()})

    def count_failure(self, form: forms.Form, step: str) -> HttpResponse:
        """A wrong code: counted against the account; the page again, or the lockout at the limit."""
        request = self.request
        user: User = request.user  # type: ignore[assignment]
        failures = do_record_second_factor_failure(request=request, user=user, step=step)
        if failures >= failure_limit() or getattr(request, "axes_locked_out", False):
            return self.lock_out()
        context = self.get_context_data(form=form, attempts_left=failure_limit() - failures)
        return self.render_to_response(context)  # type: ignore[attr-defined]

    def lock_out(self) -> HttpResponse:
        request = self.request
        credentials = {"username": request.user.get_username()}
        logout(request)  # audited as auth.logout by signals.py
        request.axes_locked_out = True  # type: ignore[attr-defined]
        request.axes_credentials = credentials  # type: ignore[attr-defined]
        # AxesMiddleware would turn the flag into this page too; rendering it here keeps it independent of
        # middleware order.
        return get_lockout_response(request, None, credentials)


@method_decorator([sensitive_post_parameters("code"), never_cache], name="dispatch")
class OTPVerifyView(SecondFactorMixin, FormView):
    """Step 2: a code from the authenticator app or a backup code."""

    template_name = "core/otp_verify.html"
    form_class = OTPVerifyForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if user.is_authenticated:
            if is_verified(user):
                return HttpResponseRedirect(self.get_success_url())
            if not has_second_factor(user):
                return self.redirect("core:otp_setup")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.is_locked():
            return self.lock_out()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: OTPVerifyForm) -> HttpResponse:
        assert form.device is not None
        do_pass_second_factor(request=self.request, user=self.request.user, device=form.device)  # type: ignore[arg-type]
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form: OTPVerifyForm) -> HttpResponse:
        if form.has_error("code", "throttled"):
            # No code was checked (django-otp's back-off after a wrong one): nothing to count.
            return self.render_to_response(self.get_context_data(form=form))
        return self.count_failure(form, step="verify")


@method_decorator([sensitive_post_parameters("code"), never_cache], name="dispatch")
class EnrolmentCodeView(SecondFactorMixin, FormView):
    """Step 3: the one-time enrolment code, before a user without a second factor sees a secret.

    Only for a signed-in, unverified user with no usable second factor who has not yet redeemed a code
    in this session; everyone else is sent on to where they belong.
    """

    template_name = "core/otp_enrolment_code.html"
    form_class = EnrolmentCodeForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if user.is_authenticated:
            if is_verified(user) or session_enrolment_code(request) is not None:
                return self.redirect("core:otp_setup")
            if has_second_factor(user):
                return self.redirect("core:otp_verify")
        return super().dispatch(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.is_locked():
            return self.lock_out()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: EnrolmentCodeForm) -> HttpResponse:
        user: User = self.request.user  # type: ignore[assignment]
        code = do_redeem_enrolment_code(actor=user, code=form.cleaned_data["code"])
        if code is None:
            form.refuse()
            return self.count_failure(form, step="enrolment_code")
        self.request.session[ENROLMENT_CODE_SESSION_KEY] = code.pk
        return self.redirect("core:otp_setup")


def session_enrolment_code(request: HttpRequest) -> EnrolmentCode | None:
    return redeemed_code(request.user, request.session.get(ENROLMENT_CODE_SESSION_KEY))  # type: ignore[arg-type]


@method_decorator([sensitive_post_parameters("code"), never_cache], name="dispatch")
class OTPSetupView(SecondFactorMixin, FormView):
    """Step 4: enrol an authenticator app.

    Open to a signed-in user with no second factor yet who redeemed an enrolment code in this session
    (first sign-in), and to a verified user replacing their authenticator; never to an unverified session
    of a user who has a second factor, as that would let a stolen password replace it.
    """

    template_name = "core/otp_setup.html"
    form_class = OTPSetupForm

    enrolment_code: EnrolmentCode | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if user.is_authenticated and not is_verified(user):
            if has_second_factor(user):
                return self.redirect("core:otp_verify")
            # No secret without an enrolment code redeemed in this very session (no trust on first use).
            self.enrolment_code = session_enrolment_code(request)
            if self.enrolment_code is None:
                return self.redirect("core:otp_enrolment_code")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        device = do_start_totp_enrolment(actor=self.request.user)  # type: ignore[arg-type]
        return {**super().get_form_kwargs(), "device": device}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        device: TOTPDevice = context["form"].device
        context["secret"] = " ".join(
            base64.b32encode(device.bin_key).decode()[i : i + 4] for i in range(0, 32, 4)
        ).strip()
        context["qr_data_uri"] = qr_data_uri(device.config_url)
        return context

    def form_valid(self, form: OTPSetupForm) -> HttpResponse:
        user: User = self.request.user  # type: ignore[assignment]
        do_enrol_totp(
            actor=user, device=form.device, enrolment_code=self.enrolment_code, request=self.request
        )
        self.request.session.pop(ENROLMENT_CODE_SESSION_KEY, None)
        messages.success(self.request, _("Your authenticator app is set up."))
        return HttpResponseRedirect(self.get_success_url())


def qr_data_uri(data: str) -> str:
    """An inline SVG QR code (the CSP allows data: images; no script involved)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default); audited as auth.logout by signals.py."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have signed out."))
        return response
