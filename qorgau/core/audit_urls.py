from django.urls import path

from .audit_views import audit_list

# Included at /audit/ inside the `core` namespace.
urlpatterns = [
    path("", audit_list, name="audit_list"),
]
