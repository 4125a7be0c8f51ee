from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnConfig(AppConfig):
    name = "solidarity.un"
    label = "un"
    verbose_name = _("UN engagement")
