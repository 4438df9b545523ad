from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "secassure.accounts"
    label = "accounts"
    verbose_name = "People"

    def ready(self) -> None:
        from . import signin  # noqa: F401  (connects the failed sign-in journal)
