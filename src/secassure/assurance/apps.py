from django.apps import AppConfig


class AssuranceConfig(AppConfig):
    name = "secassure.assurance"
    label = "assurance"
    verbose_name = "Security assurance"

    def ready(self) -> None:
        from secassure.registry.panels import PartyPanel, register_party_panel

        from .views.schedule import party_panel
        register_party_panel(PartyPanel("assurance", "assurance/_party_assurance.html",
                                        party_panel, order=10))
