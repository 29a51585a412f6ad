from django.urls import path

from .views import rules, runs

app_name = "familymap"
urlpatterns = [
    path("runs/", runs.run_list, name="run_list"),
    path("runs/<int:pk>/", runs.run_detail, name="run_detail"),
    path("runs/<int:pk>/resume/", runs.run_resume, name="run_resume"),
    path("rules/", rules.ruleset_list, name="ruleset_list"),
    path("rules/<int:pk>/", rules.ruleset_detail, name="ruleset_detail"),
    path("rules/<int:pk>/dry-run/", rules.ruleset_dry_run, name="ruleset_dry_run"),
    path("rules/<int:pk>/publish/", rules.ruleset_publish, name="ruleset_publish"),
]
