from django.urls import path

from .views import gaps, scenarios

app_name = "planning"

urlpatterns = [
    path("", gaps.gap_table, name="gaps"),
    path("regions/<int:pk>/", gaps.region_gaps, name="region_gaps"),
    path("scenarios/", scenarios.scenario_list, name="scenario_list"),
    path("scenarios/new/", scenarios.scenario_create, name="scenario_create"),
    path("scenarios/compare/", scenarios.scenario_compare, name="scenario_compare"),
    path("scenarios/<int:pk>/", scenarios.scenario_detail, name="scenario_detail"),
    path("scenarios/<int:pk>/export.xlsx", scenarios.scenario_export, name="scenario_export"),
]
