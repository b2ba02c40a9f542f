"""The workbench's keys, read from the classes' bindings.

The help screen and the command palette both list keys from here, so a key added to any
screen or widget appears in both without anyone having to remember to document it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, replace

from textual.actions import parse
from textual.binding import Binding
from textual.dom import DOMNode

OFFERED_BY_TEXTUAL = {"quit"}
"""App actions the palette already lists under Textual's own titles."""


def own_bindings(cls: type) -> list[Binding]:
    """The bindings that `cls` and its qualcode base classes declare, nearest class first.

    Textual's own bindings (of Screen, Input, DataTable, …) are left out; a key declared again
    by a subclass counts once.
    """
    out: list[Binding] = []
    seen: set[str] = set()
    for klass in cls.__mro__:
        if not klass.__module__.startswith("qualcode.") or "BINDINGS" not in klass.__dict__:
            continue
        for binding in Binding.make_bindings(klass.__dict__["BINDINGS"]):
            if binding.system or binding.key in seen:
                continue
            seen.add(binding.key)
            out.append(binding)
    return out


def what_it_does(binding: Binding) -> str:
    """A binding's full description (its tooltip, else its footer label)."""
    return binding.tooltip or binding.description or binding.action


def key_of(app, binding: Binding) -> str:
    """The key as the coder presses it (`ctrl+z`, `]`), not the footer's short form."""
    return app.get_key_display(replace(binding, key_display=None))


@dataclass(frozen=True)
class KeyCommand:
    """A key's action, to be run from the command palette."""

    title: str
    key: str
    run: functools.partial


def title_now(node: DOMNode, binding: Binding) -> str:
    """What a key does at the moment: a node may name it better than its binding can (the code
    on a quick key) with a `key_title(binding)` method returning the title, or None."""
    name_it = getattr(node, "key_title", None)
    title = name_it(binding) if callable(name_it) else None
    return title or what_it_does(binding)


def commands(screen: DOMNode) -> Iterator[KeyCommand]:
    """Every key that does something now on `screen`: its own, its widgets' and the app's.

    Keys that do not apply at the moment (their `check_action` says no) are left out.
    """
    app = screen.app
    nodes: list[DOMNode] = [screen]
    nodes += [w for w in screen.query("*") if type(w).__module__.startswith("qualcode.")]
    nodes.append(app)
    seen: set[tuple[int, str]] = set()
    for node in nodes:
        for binding in own_bindings(type(node)):
            namespace, name, parameters = parse(binding.action)
            target = {"app": app, "screen": screen}.get(namespace, node)
            if (id(target), binding.action.split(".")[-1]) in seen:
                continue
            seen.add((id(target), binding.action.split(".")[-1]))
            if target is app and name in OFFERED_BY_TEXTUAL:
                continue
            if not target.check_action(name, parameters):
                continue
            yield KeyCommand(title_now(node, binding), key_of(app, binding),
                             functools.partial(node.run_action, binding.action))
