from django.apps import AppConfig


class CommitteeConfig(AppConfig):
    name = "secassure.committee"
    label = "committee"
    verbose_name = "Committees (G7)"
