from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "solidarity.core"
    label = "core"

    def ready(self) -> None:
        # Registers the key check and the settings-changed receiver.
        from solidarity.core import encryption  # noqa: F401
