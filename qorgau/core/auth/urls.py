from django.contrib.auth.decorators import login_not_required
from django.urls import path

from qorgau.core import health

from . import views

# Included at the site root inside the `core` namespace (core:login, core:otp_verify ...).
urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/verify/", views.OTPVerifyView.as_view(), name="otp_verify"),
    path("accounts/two-factor/", views.OTPSetupView.as_view(), name="otp_setup"),
    path("accounts/two-factor/start/", views.EnrolmentCodeView.as_view(), name="otp_enrolment_code"),
    path("accounts/logout/", login_not_required(views.LogoutView.as_view()), name="logout"),
    path("healthz", login_not_required(health.healthz), name="healthz"),
]
