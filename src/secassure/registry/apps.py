from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "secassure.registry"
    label = "registry"
    verbose_name = "Register of parties"
