"""A radio list whose arrow keys move the choice itself, not only a highlight.

Textual's ``RadioSet`` moves a highlight with ↑↓ and presses a button with Enter or
Space; in a dialog where Enter means "finish", a clerk who pressed ↓ saw the highlight
on 材料不全 and recorded *done*. Here the highlighted button is the pressed one, and the
choice is known the moment the key is handled (``chosen``) rather than when the buttons'
messages arrive, so keys typed in a burst act on what the clerk saw.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import RadioButton, RadioSet


class ChoiceList(RadioSet):
    """One choice among buttons; ↑↓ (and a caller's shortcut keys) change it at once.

    ``on_choose(button_id)`` runs in the same key handler as the change, so what depends
    on the choice (a field shown only for one outcome) is there for the very next key.
    """

    def __init__(
        self,
        *buttons: RadioButton,
        on_choose: Callable[[str], None] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(*buttons, id=id)
        self.on_choose = on_choose
        self._chosen: str | None = None

    @property
    def chosen(self) -> str | None:
        """The id of the chosen button, current as soon as a key has been handled."""
        if self._chosen is None and self.pressed_button is not None:
            return self.pressed_button.id
        return self._chosen

    def action_next_button(self) -> None:
        super().action_next_button()
        self._press_highlighted()

    def action_previous_button(self) -> None:
        super().action_previous_button()
        self._press_highlighted()

    def action_toggle_button(self) -> None:
        self._press_highlighted()

    def choose(self, button_id: str) -> None:
        """Choose (and highlight) the button with this id, as a shortcut key does."""
        for index, button in enumerate(self.query(RadioButton)):
            if button.id == button_id:
                self._selected = index
                self._press_highlighted()
                return

    def _press_highlighted(self) -> None:
        if not self.is_mounted or self._selected is None:
            return  # RadioSet highlights its first button while mounting: not a choice
        chosen = self._nodes[self._selected]
        if not isinstance(chosen, RadioButton):
            return
        with self.prevent(RadioButton.Changed):
            for button in self.query(RadioButton):
                button.value = button is chosen
        changed = chosen.id != self.chosen
        self._pressed_button = chosen
        self._chosen = chosen.id
        if changed:
            self.post_message(self.Changed(self, chosen))
            if self.on_choose is not None and chosen.id is not None:
                self.on_choose(chosen.id)
