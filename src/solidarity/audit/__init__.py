"""The audit seam: an append-only, hash-chained log of every write, sign-in and export.

Services call ``audit.record(...)`` (``from solidarity import audit``);
``solidarity audit verify`` checks the chain. See ``verify.py`` for what a
check can and cannot prove.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from solidarity.audit.services import (
        Entry,
        changed_fields,
        history_for,
        record,
        record_many,
        snapshot,
    )

__all__ = ["Entry", "changed_fields", "history_for", "record", "record_many", "snapshot"]


def __getattr__(name: str) -> Any:
    # Lazy, because Django imports this package before the models can be loaded.
    if name in __all__:
        from solidarity.audit import services

        return getattr(services, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
