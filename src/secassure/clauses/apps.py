from django.apps import AppConfig


class ClausesConfig(AppConfig):
    name = "secassure.clauses"
    label = "clauses"
    verbose_name = "Section G"
