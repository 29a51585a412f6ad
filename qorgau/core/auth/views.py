"""Sign-in: password (django-axes counts failures), then a second factor, or enrolment of one.

The flow, for every staff user:

1. /accounts/login/      username + password -> django.contrib.auth.login (session is *not* verified yet);
2. /accounts/verify/     a TOTP code or a backup code -> django_otp.login marks the session verified;
   a user with no confirmed device goes to
3. /accounts/two-factor/ to enrol an authenticator app (secret + QR code, confirmed with a code).

RequireOTPMiddleware keeps an unverified session away from every other page. Wrong second-factor codes
count as failed logins for django-axes: after AXES_FAILURE_LIMIT of them the user is signed out and the
account is locked like after wrong passwords.
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
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from qorgau.core.audit import record
from qorgau.core.middleware import is_verified
from qorgau.core.models import User

from .forms import LoginForm, OTPSetupForm, OTPVerifyForm
from .services import do_enrol_totp

# Session key counting wrong second-factor codes in this session (django-axes counts them per account too).
OTP_FAILURES_SESSION_KEY = "qorgau_otp_failures"
TOTP_DEVICE_NAME = "authenticator"


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


class LoginView(auth_views.LoginView):
    """Step 1: the password. A correct one signs the user in, unverified, and sends them to step 2."""

    template_name = "core/login.html"
    authentication_form = LoginForm

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        super().form_valid(form)  # django.contrib.auth.login: session key cycled, auth.login audited
        self.request.session[OTP_FAILURES_SESSION_KEY] = 0
        return HttpResponseRedirect(with_next(reverse("core:otp_verify"), self.get_redirect_url()))


class SecondFactorMixin(LoginRequiredMixin):
    request: HttpRequest

    def get_success_url(self) -> str:
        return safe_next(self.request) or resolve_url(settings.LOGIN_REDIRECT_URL)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["next"] = safe_next(self.request)
        return context


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
            if not user_has_device(user, confirmed=True):
                return HttpResponseRedirect(with_next(reverse("core:otp_setup"), safe_next(request)))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # An account locked meanwhile (for example by wrong codes in another session) gets no more tries.
        if not AxesProxyHandler.is_allowed(request, {"username": request.user.get_username()}):
            return self.lock_out()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: OTPVerifyForm) -> HttpResponse:
        assert form.device is not None
        otp_login(self.request, form.device)
        self.request.session.pop(OTP_FAILURES_SESSION_KEY, None)
        record(
            actor=self.request.user,  # type: ignore[arg-type]
            action="auth.otp_verified",
            changes={"method": "backup_code" if form.device.name == "backup" else "authenticator"},
        )
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form: OTPVerifyForm) -> HttpResponse:
        request = self.request
        user: User = request.user  # type: ignore[assignment]
        failures = int(request.session.get(OTP_FAILURES_SESSION_KEY, 0)) + 1
        request.session[OTP_FAILURES_SESSION_KEY] = failures
        record(actor=user, action="auth.otp_failed", changes={"failures_in_session": failures})
        # Count the wrong code as a failed login of this account: axes locks it at the same limit as passwords
        # (and sends user_locked_out, which signals.py audits). The code itself is masked by
        # AXES_SENSITIVE_PARAMETERS.
        AxesProxyHandler.user_login_failed(
            sender=type(self), credentials={"username": user.get_username()}, request=request
        )
        if failures >= failure_limit() or getattr(request, "axes_locked_out", False):
            return self.lock_out()
        context = self.get_context_data(form=form, attempts_left=failure_limit() - failures)
        return self.render_to_response(context)

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
class OTPSetupView(SecondFactorMixin, FormView):
    """Step 3: enrol an authenticator app.

    Open to a signed-in user with no confirmed device yet (first sign-in) and to a verified user replacing
    their authenticator; never to an unverified session of a user who has a device, as that would let a
    stolen password replace the second factor.
    """

    template_name = "core/otp_setup.html"
    form_class = OTPSetupForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if user.is_authenticated and not is_verified(user) and user_has_device(user, confirmed=True):
            return HttpResponseRedirect(with_next(reverse("core:otp_verify"), safe_next(request)))
        return super().dispatch(request, *args, **kwargs)

    def pending_device(self) -> TOTPDevice:
        # One unconfirmed device per user, reused across page loads so that the secret stays the same.
        device, _ = TOTPDevice.objects.get_or_create(
            user=self.request.user, name=TOTP_DEVICE_NAME, confirmed=False
        )
        return device

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "device": self.pending_device()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        device: TOTPDevice = context["form"].device
        context["secret"] = " ".join(
            base64.b32encode(device.bin_key).decode()[i : i + 4] for i in range(0, 32, 4)
        ).strip()
        context["qr_data_uri"] = qr_data_uri(device.config_url)
        return context

    def form_valid(self, form: OTPSetupForm) -> HttpResponse:
        device = form.device
        user: User = self.request.user  # type: ignore[assignment]
        do_enrol_totp(actor=user, device=device)
        otp_login(self.request, device)
        self.request.session.pop(OTP_FAILURES_SESSION_KEY, None)
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
