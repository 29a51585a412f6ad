from django.urls import path

from .views import dashboard, report

app_name = "insights"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("export/<slug:table>/", dashboard.export, name="export"),
    path("<str:code>/", dashboard.region, name="region"),
    path("<str:code>/export/<slug:table>/", dashboard.region_export, name="region_export"),
    path("<str:code>/report/", report.report, name="report"),
    path("<str:code>/report/run/", report.report_run, name="report_run"),
    path("runs/<int:pk>/", report.run_status, name="run"),
    path("runs/<int:pk>/download/", report.run_download, name="run_download"),
    path("<str:code>/<int:district>/", dashboard.district, name="district"),
    path("<str:code>/<int:district>/export/<slug:table>/", dashboard.district_export, name="district_export"),
]
