from django.urls import path

from .views import manage, network, occupancy, register, search

app_name = "facilities"
urlpatterns = [
    path("", register.facility_list, name="facility_list"),
    path("new/", register.facility_create, name="facility_create"),
    path("<int:pk>/", register.facility_detail, name="facility_detail"),
    path("manage/", manage.manage, name="manage"),
    path("manage/vacancies/<int:pk>/", manage.vacancy_step, name="vacancy_step"),
    path("manage/confirm/", manage.vacancy_confirm, name="vacancy_confirm"),
    path("manage/requests/<int:pk>/answer/", manage.request_answer, name="request_answer"),
    path("manage/requests/<int:pk>/admit/", manage.request_admit, name="request_admit"),
    path("manage/placements/<int:pk>/discharge/", manage.discharge, name="discharge"),
    path("manage/placements/<int:pk>/extend/", manage.extend, name="extend"),
    path("search/<int:case_pk>/", search.search, name="search"),
    path("search/<int:case_pk>/request/<int:facility_pk>/", search.request_create, name="request_create"),
    path("search/<int:case_pk>/wait/<int:facility_pk>/", search.waiting_add, name="waiting_add"),
    path("requests/", search.request_list, name="request_list"),
    path("requests/<int:pk>/", search.request_detail, name="request_detail"),
    path("requests/<int:pk>/withdraw/", search.request_withdraw, name="request_withdraw"),
    path("network/", network.network, name="network"),
    path("network/occupancy/", occupancy.network_occupancy, name="network_occupancy"),
    path("<int:pk>/occupancy/", occupancy.facility_occupancy, name="facility_occupancy"),
]
