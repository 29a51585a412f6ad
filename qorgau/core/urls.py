from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/verify/", views.home, name="otp_verify"),
    path("accounts/login/", views.home, name="login"),
]
