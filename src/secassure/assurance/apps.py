from django.apps import AppConfig


class AssuranceConfig(AppConfig):
    name = "secassure.assurance"
    label = "assurance"
    verbose_name = "Security assurance"
