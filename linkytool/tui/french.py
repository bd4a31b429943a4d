"""Textual's own words, in French: what its widgets show that linkytool does not write.

Textual is in English; the few of its texts an installer can see are replaced here, once,
when the app module is imported. Each entry names the class, the key and the French
description of a binding its footer shows (the rest of Textual's bindings are hidden).
"""

from __future__ import annotations

from textual.binding import Binding
from textual.dom import DOMNode

#: (module, class, key, action) -> French footer description.
BINDING_TEXTS: dict[tuple[str, str, str, str], str] = {
    ("textual.widgets._select", "SelectOverlay", "escape", "dismiss"): "Fermer la liste",
}


def apply() -> None:
    """Replace the English descriptions of :data:`BINDING_TEXTS` (idempotent)."""
    import importlib

    for (module_name, class_name, key, action), text in BINDING_TEXTS.items():
        cls = getattr(importlib.import_module(module_name), class_name)
        assert issubclass(cls, DOMNode)
        cls.BINDINGS = [
            Binding(key, action, text) if _binding_key(binding) == (key, action) else binding
            for binding in cls.BINDINGS
        ]
        cls._merged_bindings = cls._merge_bindings()


def _binding_key(binding: object) -> tuple[str, str] | None:
    if isinstance(binding, Binding):
        return binding.key, binding.action
    if isinstance(binding, tuple) and len(binding) >= 2:
        return str(binding[0]), str(binding[1])
    return None
