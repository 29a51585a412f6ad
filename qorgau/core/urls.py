from django.urls import include, path

app_name = "core"
# Each module below owns its pages; names live in the `core` namespace (core:login, core:home ...).
urlpatterns = [
    path("", include("qorgau.core.auth.urls")),  # accounts/login, logout, two-factor, healthz
    path("audit/", include("qorgau.core.audit_urls")),  # the auditor's search
    path("agency/users/", include("qorgau.core.agency_users_urls")),  # an agency administrator's accounts
    path("", include("qorgau.core.home_urls")),  # home page per role
]
