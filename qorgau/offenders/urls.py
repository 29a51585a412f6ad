from django.urls import path

from .views import analysis, programmes, treatment

app_name = "offenders"

urlpatterns = [
    path("treatment/", treatment.TreatmentListView.as_view(), name="treatment_list"),
    path("treatment/<int:pk>/", treatment.TreatmentDetailView.as_view(), name="treatment_detail"),
    path("treatment/<int:pk>/step/", treatment.TreatmentStepView.as_view(), name="treatment_step"),
    path("signals/<int:pk>/treatment/", treatment.TreatmentStartView.as_view(), name="treatment_start"),
    path("signals/<int:pk>/programme/", programmes.ProgrammeReferView.as_view(), name="programme_refer"),
    path("signals/<int:pk>/requirements/", programmes.RequirementAddView.as_view(), name="requirement_add"),
    path("requirements/<int:pk>/check/", programmes.RequirementCheckView.as_view(), name="requirement_check"),
    path("programmes/", programmes.ProgrammeReferralListView.as_view(), name="programme_referral_list"),
    path(
        "programmes/<int:pk>/",
        programmes.ProgrammeReferralDetailView.as_view(),
        name="programme_referral_detail",
    ),
    path("programmes/<int:pk>/assess/", programmes.AssessView.as_view(), name="programme_assess"),
    path("programmes/<int:pk>/session/", programmes.SessionView.as_view(), name="programme_session"),
    path("programmes/<int:pk>/end/", programmes.EndView.as_view(), name="programme_end"),
    path("sessions/<int:pk>/seen/", programmes.AcknowledgeAbsenceView.as_view(), name="absence_seen"),
    path("partner-contacts/", programmes.PartnerContactListView.as_view(), name="partner_contact_list"),
    path("partner-contacts/<int:pk>/", programmes.PartnerContactView.as_view(), name="partner_contact"),
    path("reoffending/", analysis.reoffending_view, name="reoffending"),
]
