from django.urls import include, path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.PersonListView.as_view(), name="person_list"),
    path("new/", views.PersonCreateView.as_view(), name="person_create"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("<int:pk>/edit/", views.PersonUpdateView.as_view(), name="person_update"),
    path("families/", views.FamilyListView.as_view(), name="family_list"),
    path("families/new/", views.FamilyCreateView.as_view(), name="family_create"),
    path("families/<int:pk>/", views.FamilyDetailView.as_view(), name="family_detail"),
    path("families/<int:pk>/candidates/", views.FamilyCandidatesView.as_view(), name="family_candidates"),
    path("families/<int:pk>/members/", views.family_member_add, name="family_member_add"),
    path(
        "families/<int:pk>/members/<int:person_pk>/remove/",
        views.family_member_remove,
        name="family_member_remove",
    ),
    path("", include("qorgau.people.consent_urls")),  # consents of a person (people:consent_*)
]
