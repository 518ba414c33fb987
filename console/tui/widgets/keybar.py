"""Every key of the screen, over as many lines as it takes (a one-line footer cannot show
them all at 80 columns); each label is clickable."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from console.tui.bindings import BY_NAME, display_key


class KeyBar(Static):
    """The footer: the active screen's bindings with their translated labels."""

    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: auto; background: $panel; padding: 0 1; }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._changed)
        self._changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _changed(self, _screen: object) -> None:
        t = self.app.t
        seen: set[str] = set()
        parts: list[Content] = []
        hint = getattr(self.screen, "action_available", None)
        for active in self.screen.active_bindings.values():
            binding = active.binding
            action = BY_NAME.get(binding.action)
            if action is None or not binding.show or action.name in seen:
                continue
            seen.add(action.name)
            available = hint(action.name) if hint else True
            key_style = "bold reverse" if available else "dim reverse"
            label_style = "" if available else "dim"
            parts.append(
                Content.assemble(
                    (f" {display_key(action.key)} ", key_style),
                    (f" {t(action.label)}", label_style),
                ).stylize(
                    f"@click=screen.{action.name}"
                    if action.group != "app"
                    else f"@click=app.{action.name}"
                )
            )
        self.parts = parts
        self._layout()

    def on_resize(self) -> None:
        if getattr(self, "parts", None):
            self._layout()

    def _layout(self) -> None:
        """Break between items only, never inside a label."""
        width = max(20, self.size.width - 2) if self.size.width else 78
        lines: list[list[Content]] = [[]]
        used = 0
        for part in self.parts:
            need = part.cell_length + (2 if lines[-1] else 0)
            if lines[-1] and used + need > width:
                lines.append([])
                used, need = 0, part.cell_length
            lines[-1].append(part)
            used += need
        self.update(Content("\n").join(Content("  ").join(line) for line in lines))
