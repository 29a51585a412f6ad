from django.urls import path

from . import consent_views

# Included under /people/ in the `people` namespace.
urlpatterns = [
    path("<int:person_pk>/consents/", consent_views.consent_list, name="consent_list"),
    path("<int:person_pk>/consents/new/", consent_views.consent_create, name="consent_create"),
    path("consents/<int:pk>/withdraw/", consent_views.consent_withdraw, name="consent_withdraw"),
]
