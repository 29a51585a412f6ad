from django.urls import path

from .views import consent, families, persons

app_name = "people"
urlpatterns = [
    path("", persons.PersonListView.as_view(), name="person_list"),
    path("new/", persons.PersonCreateView.as_view(), name="person_create"),
    path("<int:pk>/", persons.PersonDetailView.as_view(), name="person_detail"),
    path("<int:pk>/edit/", persons.PersonUpdateView.as_view(), name="person_update"),
    path("families/", families.FamilyListView.as_view(), name="family_list"),
    path("families/new/", families.FamilyCreateView.as_view(), name="family_create"),
    path("families/<int:pk>/", families.FamilyDetailView.as_view(), name="family_detail"),
    path("families/<int:pk>/candidates/", families.FamilyCandidatesView.as_view(), name="family_candidates"),
    path("families/<int:pk>/members/", families.family_member_add, name="family_member_add"),
    path(
        "families/<int:pk>/members/<int:person_pk>/remove/",
        families.family_member_remove,
        name="family_member_remove",
    ),
    path("<int:person_pk>/consents/", consent.consent_list, name="consent_list"),
    path("<int:person_pk>/consents/new/", consent.consent_create, name="consent_create"),
    path("consents/<int:pk>/withdraw/", consent.consent_withdraw, name="consent_withdraw"),
]
