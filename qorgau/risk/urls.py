from django.urls import path

from .views import assessments, conferences

app_name = "risk"
urlpatterns = [
    path("", assessments.AssessmentListView.as_view(), name="assessment_list"),
    path("signals/<int:pk>/assess/", assessments.StartView.as_view(), name="assessment_start"),
    path("cases/<int:pk>/assess/", assessments.CaseStartView.as_view(), name="case_assessment_start"),
    path("assessments/<int:pk>/", assessments.AssessmentDetailView.as_view(), name="assessment_detail"),
    path("assessments/<int:pk>/edit/", assessments.AssessmentEditView.as_view(), name="assessment_edit"),
    path("referrals/", conferences.ReferralListView.as_view(), name="referral_list"),
    path("conferences/", conferences.ConferenceListView.as_view(), name="conference_list"),
    path("conferences/new/", conferences.ConferenceCreateView.as_view(), name="conference_create"),
    path("conferences/<int:pk>/", conferences.ConferenceDetailView.as_view(), name="conference_detail"),
    path("conferences/<int:pk>/agenda/", conferences.build_agenda, name="conference_agenda"),
    path("conferences/<int:pk>/record/", conferences.RecordView.as_view(), name="conference_record"),
    path("conferences/<int:pk>/actions/new/", conferences.ActionCreateView.as_view(), name="action_create"),
    path("actions/", conferences.ActionListView.as_view(), name="action_list"),
    path("actions/<int:pk>/complete/", conferences.ActionCompleteView.as_view(), name="action_complete"),
]
