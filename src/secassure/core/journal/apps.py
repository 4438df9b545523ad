from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "secassure.core.journal"
    label = "journal"
    verbose_name = "Journal"
