from django.urls import path

from .views import card, export, orders, outcomes, signals

app_name = "intake"
urlpatterns = [
    path("", signals.SignalListView.as_view(), name="signal_list"),
    path("new/", signals.SignalCreateView.as_view(), name="signal_create"),
    path("queue/", signals.InspectorQueueView.as_view(), name="inspector_queue"),
    path("export/", export.signal_export, name="signal_export"),
    path("history/", signals.PersonHistoryView.as_view(), name="person_history"),
    path("districts/", signals.district_options, name="district_options"),
    path("<int:pk>/", signals.SignalDetailView.as_view(), name="signal_detail"),
    path("<int:pk>/card/", card.SignalCardView.as_view(), name="signal_card"),
    path("<int:pk>/outcome/", outcomes.OutcomeCreateView.as_view(), name="outcome_create"),
    path("<int:pk>/assign/", outcomes.AssignView.as_view(), name="signal_assign"),
    path("<int:pk>/first-contact/", outcomes.FirstContactView.as_view(), name="first_contact"),
    path("<int:pk>/transfer/", outcomes.TransferView.as_view(), name="signal_transfer"),
    path("<int:pk>/victim-declined/", outcomes.VictimDeclinedView.as_view(), name="victim_declined"),
    path("<int:pk>/reconciliation/", outcomes.ReconciliationView.as_view(), name="reconciliation_request"),
    path("orders/", orders.OrderListView.as_view(), name="order_list"),
    path("orders/<int:pk>/breach/", orders.BreachReportView.as_view(), name="breach_report"),
    path("orders/checks/<int:pk>/", orders.ComplianceCheckView.as_view(), name="compliance_check"),
]
