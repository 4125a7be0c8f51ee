from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "solidarity.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from solidarity.accounts.roles import ensure_groups

        post_migrate.connect(ensure_groups, dispatch_uid="solidarity-ensure-groups")
