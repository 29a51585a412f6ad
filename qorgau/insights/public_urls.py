from django.urls import path

from .views import public

app_name = "open_data"
urlpatterns = [
    path("", public.open_data, name="page"),
    path("signals.csv", public.open_data_csv, name="csv"),
]
