"""The pages of notices, mounted at /notices/."""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.notice_list, name="notices"),
    path("review/", views.review_queue, name="notice-review"),
    path("attention/", views.attention, name="notice-attention"),
    path("new/<str:kind>/", views.file_notice, name="notice-file"),
    path("counts/", views.counts, name="notice-counts"),
    path("providers/", views.provider_lists, name="notice-providers"),
    path("cpl/", views.cpl, name="notice-cpl"),
    path("cpl/<int:pk>/plan/", views.file_plan, name="notice-plan-file"),
    path("plans/<int:pk>/", views.plan_detail, name="notice-plan"),
    path("export.<str:fmt>", views.export, name="notice-export"),
    path("attachments/<int:pk>/", views.attachment, name="notice-attachment"),
    path("<int:pk>/", views.detail, name="notice"),
    path("<int:pk>/<str:action>/", views.act, name="notice-act"),
]
