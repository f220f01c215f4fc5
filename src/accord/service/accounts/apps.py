from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accord.service.accounts"
    label = "accounts"
    verbose_name = "People"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accord.service.audit import signals  # noqa: F401  (login/logout in the audit log)
