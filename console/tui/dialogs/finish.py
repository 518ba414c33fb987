"""How a ticket ends: outcome, what to bring next time, satisfaction, a note.

The dialog runs the finish itself and stays open until the hall has it: a refusal or an
unreachable hall is shown inside the dialog with everything the clerk entered kept, and
Enter retries with the same idempotency key, so a finish that did reach the hall is never
done twice.
"""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioButton, SelectionList, Static

from console.domain import OUTCOMES
from console.domain.errors import QConsoleError
from console.tui.widgets.choice_list import ChoiceList


@dataclass(frozen=True)
class FinishChoice:
    """What the clerk chose in the finish dialog."""

    outcome: str = "done"
    materials: list[str] = field(default_factory=list)
    rating: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class Finished:
    """The hall finished the ticket: what the clerk chose and what the hall returned."""

    choice: FinishChoice
    result: Any


class FinishDialog(ModalScreen[Finished | None]):
    """Enter finishes (done, no rating by default); 1-5 rate, 0 for not given; Esc cancels.

    ``finish(choice, key)`` is called in a worker; the dialog closes only when it returns.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # Every key the dialog itself reads acts at once, in the order typed (priority);
        # a key for a text field (SkipAction) goes on to the field. Without this, a key
        # bound inside a list was run only after the keys typed behind it.
        Binding("escape", "cancel", show=False),
        Binding("enter", "submit", show=False, priority=True),
        Binding("ctrl+s", "submit", show=False, priority=True),
        Binding("tab", "next_field(1)", show=False, priority=True),
        Binding("shift+tab", "next_field(-1)", show=False, priority=True),
        Binding("down,right", "move(1)", show=False, priority=True),
        Binding("up,left", "move(-1)", show=False, priority=True),
        Binding("space", "tick", show=False, priority=True),
        *[Binding(str(n), f"rate({n})", show=False, priority=True) for n in range(6)],
    ]

    def __init__(
        self, number: str, materials: list[str], finish: Callable[[FinishChoice, str], Any]
    ) -> None:
        super().__init__(classes="dialog")
        self.number = number
        self.materials = materials
        """The service's list of materials, offered as a pick list when incomplete."""
        self.finish = finish
        self.key = uuid.uuid4().hex
        """One key for every try of this finish: a retry after a lost answer changes nothing."""
        self.sending = False

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical(classes="dialog-box finish-box"):
            yield Static(t("finish.title", number=self.number), classes="dialog-title")
            with ChoiceList(id="finish-outcome", on_choose=self._outcome_chosen):
                for i, outcome in enumerate(OUTCOMES):
                    yield RadioButton(t(f"outcome.{outcome}"), value=i == 0, id=f"o-{outcome}")
            yield Static(t("finish.materials"), id="finish-materials-label", classes="-hidden")
            yield SelectionList[str](
                *[(m, m) for m in self.materials], id="finish-materials", classes="-hidden"
            )
            yield Input(
                placeholder=t("finish.more_materials"),
                id="finish-more",
                classes="-hidden",
                compact=True,
            )
            yield Static(t("finish.rating"))
            with ChoiceList(id="finish-rating"):
                yield RadioButton(t("finish.not_given"), value=True, id="r-0")
                for n in range(1, 6):
                    yield RadioButton(str(n), id=f"r-{n}")
            yield Input(placeholder=t("finish.note"), id="finish-note", compact=True)
            yield Static("", id="finish-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("finish.ok"), variant="success", id="finish-ok", compact=True)
                yield Button(t("dialog.cancel"), id="finish-cancel", compact=True)
            yield Static(t("finish.help"), classes="dialog-help")

    def on_mount(self) -> None:
        for widget in self.query(Input):
            widget.cursor_blink = self.app.settings.cursor_blink
        self.query_one("#finish-outcome", ChoiceList).focus()

    @property
    def outcome(self) -> str:
        chosen = self.query_one("#finish-outcome", ChoiceList).chosen
        return chosen.removeprefix("o-") if chosen else "done"

    def _outcome_chosen(self, button_id: str) -> None:
        """Show the materials only for an incomplete finish, before the next key is read."""
        incomplete = button_id == "o-incomplete"
        for wid in ("#finish-materials-label", "#finish-materials", "#finish-more"):
            self.query_one(wid).set_class(not incomplete, "-hidden")

    FIELDS = ("#finish-outcome", "#finish-materials", "#finish-more", "#finish-rating",
              "#finish-note", "#finish-ok", "#finish-cancel")  # fmt: skip
    """The order Tab visits the fields in; the materials only for an incomplete finish."""

    async def _settle(self) -> None:
        """Let every field handle the keys already sent to it.

        Tab and Enter act at once, ahead of the keys still queued at a field, so a fast
        typist's "户口本 Tab 5" put the 5 among the materials; waiting keeps the order typed.
        """
        for _ in range(100):
            if not any(widget.message_queue_size for widget in self.query("*")):
                return
            await asyncio.sleep(0)

    async def action_next_field(self, step: int) -> None:
        """Move to the next field in ``FIELDS`` after the keys typed before this one."""
        await self._settle()
        skip = () if self.outcome == "incomplete" else self.FIELDS[1:3]
        fields = [f for f in self.FIELDS if f not in skip]
        focused = f"#{self.focused.id}" if self.focused is not None else fields[0]
        here = fields.index(focused) if focused in fields else 0
        self.set_focus(self.query_one(fields[(here + step) % len(fields)]))

    async def action_move(self, step: int) -> None:
        """↑↓ choose in the outcome and rating lists, move in the materials list."""
        focused = self.focused
        if isinstance(focused, Input) or focused is None:
            raise SkipAction()
        await self._settle()
        if isinstance(focused, ChoiceList):
            (focused.action_next_button if step > 0 else focused.action_previous_button)()
        elif isinstance(focused, SelectionList):
            (focused.action_cursor_down if step > 0 else focused.action_cursor_up)()

    async def action_tick(self) -> None:
        """Space ticks a material; in a text field it is a space."""
        focused = self.focused
        if not isinstance(focused, SelectionList):
            raise SkipAction()
        await self._settle()
        if focused.highlighted is not None:
            focused.toggle(focused.get_option_at_index(focused.highlighted).value)

    async def action_rate(self, n: int) -> None:
        """A digit rates, except in a text field ("2寸照片")."""
        if isinstance(self.focused, Input):
            raise SkipAction()
        await self._settle()
        self.query_one("#finish-rating", ChoiceList).choose(f"r-{n}")

    def choice(self) -> FinishChoice:
        outcome = self.outcome
        materials: list[str] = []
        if outcome == "incomplete":
            materials = list(self.query_one("#finish-materials", SelectionList).selected)
            more = self.query_one("#finish-more", Input).value
            materials += [m.strip() for m in more.replace("，", ",").split(",") if m.strip()]
        chosen = self.query_one("#finish-rating", ChoiceList).chosen
        rating = int(chosen.removeprefix("r-")) if chosen else 0
        note = self.query_one("#finish-note", Input).value.strip() or None
        return FinishChoice(outcome, materials, rating or None, note)

    async def action_submit(self) -> None:
        await self._settle()
        if self.focused is not None and self.focused.id == "finish-cancel":
            self.dismiss(None)
            return
        choice = self.choice()
        if choice.outcome == "incomplete" and not choice.materials:
            self.query_one("#finish-error", Static).update(self.app.t("finish.need_materials"))
            self.query_one("#finish-materials", SelectionList).focus()
            return
        if self.sending:
            return
        self.sending = True
        t, key = self.app.t, self.key
        self.query_one("#finish-error", Static).update(t("desk.working"))

        def run() -> None:
            try:
                result = self.finish(choice, key)
            except QConsoleError as exc:
                self.app.call_from_thread(self._failed, t.error(exc))
            except (sqlite3.Error, OSError) as exc:
                self.app.call_from_thread(self._failed, f"{type(exc).__name__}: {exc}")
            else:
                self.app.call_from_thread(self.dismiss, Finished(choice, result))

        self.run_worker(run, thread=True, group="finish", name="finish")

    def _failed(self, error: str) -> None:
        """Keep everything entered; say what happened and that Enter tries again."""
        self.sending = False
        self.query_one("#finish-error", Static).update(self.app.t("finish.retry", error=error))
        self.app.bell()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "finish-ok":
            self.action_submit()
        else:
            self.action_cancel()
