from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "secassure.journal"
    label = "journal"
    verbose_name = "Journal"
