from django.urls import path

from .views import cases, opening, plans, referrals, specialists

app_name = "cases"
urlpatterns = [
    path("", cases.CaseListView.as_view(), name="case_list"),
    path("new/", opening.CaseOpenView.as_view(), name="case_open"),
    path("from-signal/<int:pk>/", opening.CaseFromSignalView.as_view(), name="case_from_signal"),
    path("<int:pk>/", cases.CaseDetailView.as_view(), name="case_detail"),
    path("<int:pk>/assessment/", plans.AssessmentView.as_view(), name="assessment"),
    path("<int:pk>/safety-plan/", plans.SafetyPlanView.as_view(), name="safety_plan"),
    path("<int:pk>/goals/new/", plans.GoalView.as_view(), name="goal_add"),
    path("<int:pk>/services/new/", plans.ServiceView.as_view(), name="service_add"),
    path("<int:pk>/children/new/", opening.ChildAddView.as_view(), name="child_add"),
    path("<int:pk>/close/", cases.CloseView.as_view(), name="case_close"),
    path("<int:pk>/reopen/", cases.ReopenView.as_view(), name="case_reopen"),
    path("<int:pk>/assign/", cases.AssignView.as_view(), name="case_assign"),
    path("<int:pk>/refer/", referrals.ReferView.as_view(), name="referral_create"),
    path("<int:pk>/transfer/", referrals.TransferRequestView.as_view(), name="transfer_request"),
    path("services/<int:pk>/sessions/new/", plans.SessionView.as_view(), name="session_add"),
    path("referrals/", referrals.ReferralListView.as_view(), name="referral_list"),
    path("referrals/<int:pk>/", referrals.ReferralDetailView.as_view(), name="referral_detail"),
    path("referrals/<int:pk>/accept/", referrals.AcceptReferralView.as_view(), name="referral_accept"),
    path("referrals/<int:pk>/decline/", referrals.DeclineReferralView.as_view(), name="referral_decline"),
    path("referrals/<int:pk>/complete/", referrals.CompleteReferralView.as_view(), name="referral_complete"),
    path("referrals/<int:pk>/revoke/", referrals.RevokeReferralView.as_view(), name="referral_revoke"),
    path("transfers/<int:pk>/accept/", referrals.AcceptTransferView.as_view(), name="transfer_accept"),
    path("transfers/<int:pk>/decline/", referrals.DeclineTransferView.as_view(), name="transfer_decline"),
    path("specialists/", specialists.SpecialistListView.as_view(), name="specialist_list"),
    path("specialists/new/", specialists.SpecialistAddView.as_view(), name="specialist_add"),
    path("specialists/<int:pk>/", specialists.SpecialistChangeView.as_view(), name="specialist_change"),
    path(
        "specialists/<int:pk>/qualifications/new/",
        specialists.QualificationAddView.as_view(),
        name="qualification_add",
    ),
]
