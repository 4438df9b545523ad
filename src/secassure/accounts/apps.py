from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "secassure.accounts"
    label = "accounts"
    verbose_name = "People"
