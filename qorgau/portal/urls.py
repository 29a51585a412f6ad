from django.urls import path

from .views import activities

app_name = "portal"
urlpatterns = [
    path("", activities.activity_list, name="activity_list"),
    path("new/", activities.activity_create, name="activity_create"),
    path("<int:pk>/", activities.activity_detail, name="activity_detail"),
    path("<int:pk>/edit/", activities.activity_edit, name="activity_edit"),
    path("<int:pk>/evaluation/", activities.activity_evaluation, name="activity_evaluation"),
]
