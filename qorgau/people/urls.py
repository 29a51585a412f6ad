from django.urls import include, path

app_name = "people"
urlpatterns = [
    path("", include("qorgau.people.consent_urls")),  # consents of a person (people:consent_*)
]
