"""Pages of the thresholds register and the quarantine desk, mounted at /adt/."""
from django.urls import path

from . import views
from .views import charts, report
from .views import consultation as g6
from .views.live import live_engine

urlpatterns = [
    path("", views.threshold_list, name="adt-thresholds"),
    path("thresholds/<int:pk>/", views.threshold_detail, name="adt-threshold"),
    path("thresholds/<int:pk>/opinion/", views.threshold_opinion, name="adt-threshold-opinion"),
    path("thresholds/<int:pk>/review/", views.threshold_review, name="adt-threshold-review"),
    path("thresholds/<int:pk>/reviewed/", g6.threshold_reviewed, name="adt-threshold-reviewed"),
    path("proposals/", g6.proposals, name="adt-proposals"),
    path("proposals/<int:pk>/", g6.proposal_detail, name="adt-proposal"),
    path("proposals/<int:pk>/<str:step>/", g6.proposal_action, name="adt-proposal-step"),
    path("consultations/", g6.consultation_list, name="adt-consultations"),
    path("consultations/<int:pk>/", g6.consultation_detail, name="adt-consultation"),
    path("consultations/<int:pk>/answer/", g6.consultation_answer,
         name="adt-consultation-answer"),
    path("notices/", g6.notices, name="adt-notices"),
    path("reviews/", g6.reviews, name="adt-reviews"),
    path("srvs/", views.srv_list, name="adt-srvs"),
    path("srvs/<str:srv>/", views.srv_detail, name="adt-srv"),
    path("srvs/<str:srv>/reference/", views.srv_reference, name="adt-srv-reference"),
    path("srvs/<str:srv>/dcc-threshold/", views.srv_dcc_threshold, name="adt-srv-dcc-threshold"),
    path("party/<str:party_id>/", views.party_thresholds, name="adt-party"),
    path("party/<str:party_id>/test-status/", views.party_test_status, name="adt-party-test"),
    path("party/<str:party_id>/keys/", views.party_key, name="adt-party-key"),
    path("party/<str:party_id>/keys/<int:pk>/revoke/", views.party_key_revoke,
         name="adt-party-key-revoke"),
    path("submit/", views.submit, name="adt-submit"),
    path("quarantine/", views.desk, name="adt-quarantine"),
    path("quarantine/instruction/", views.instruction, name="adt-instruction"),
    path("quarantine/load/", views.load_run, name="adt-quarantine-load"),
    path("charts/", charts.charts, name="adt-charts"),
    path("charts/traffic/", charts.traffic, name="adt-chart-traffic"),
    path("charts/load/", charts.load_summary, name="adt-charts-load"),
    path("report/", report.report_page, name="adt-report"),
    path("report/pdf/", report.report_pdf, name="adt-report-pdf"),
    path("live/", live_engine, name="adt-live"),
]
