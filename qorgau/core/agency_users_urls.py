"""The agency administrator's page of their agency's accounts (core/agency_users_views.py)."""

from django.urls import path

from . import agency_users_views as views

urlpatterns = [
    path("", views.user_list, name="agency_users"),
    path("new/", views.user_create, name="agency_user_create"),
    path("<int:pk>/", views.user_change, name="agency_user_change"),
    path("<int:pk>/enrolment-code/", views.user_enrolment_code, name="agency_user_code"),
]
