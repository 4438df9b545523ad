from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "secassure.notices"
    label = "notices"
    verbose_name = "Notices to the SSC"
