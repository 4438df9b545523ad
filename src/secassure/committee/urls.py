from django.urls import path

from . import views

urlpatterns = [
    path("", views.meeting_list, name="committee"),
    path("meetings/<int:pk>/", views.meeting_detail, name="committee-meeting"),
    path("meetings/<int:pk>/headlines/", views.headlines, name="committee-headlines"),
    path("meetings/<int:pk>/headlines.pdf", views.headlines, {"kind": "pdf"},
         name="committee-headlines-pdf"),
    path("meetings/<int:pk>/headlines.docx", views.headlines, {"kind": "docx"},
         name="committee-headlines-docx"),
    path("meetings/<int:pk>/minutes.pdf", views.minutes_download, {"kind": "pdf"},
         name="committee-minutes-pdf"),
    path("meetings/<int:pk>/minutes.docx", views.minutes_download, {"kind": "docx"},
         name="committee-minutes-docx"),
    path("papers/<int:pk>/", views.paper_download, name="committee-paper"),
    path("members/", views.members, name="committee-members"),
    path("actions/", views.action_log, name="committee-actions"),
    path("monthly/", views.monthly, name="committee-monthly"),
    path("monthly.pdf", views.monthly, {"kind": "pdf"}, name="committee-monthly-pdf"),
    path("monthly.docx", views.monthly, {"kind": "docx"}, name="committee-monthly-docx"),
    path("calendar.ics", views.calendar, name="committee-calendar"),
]
