"""The desk's pickers: the actions that ask the clerk to choose first (a park reason, a
transfer target, a parked ticket, a green-channel reason, a number, a pause reason, the
citizen's matter) and then run one service call through ``DeskActions._act``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from console.domain import GREEN_REASONS, Ticket
from console.tui import live
from console.tui.messages import ActionFailed

if TYPE_CHECKING:
    from console.tui.dialogs import Picked

PARK_REASONS = ("photo", "document", "form", "payment", "copy")
"""The short list a clerk picks a park reason from (anything else is typed)."""


class DeskPickers:
    """Mixed into ``DeskScreen`` (which has ``actor``, ``number``, ``view``, ``_act``,
    ``_current`` and ``_not_while_held``)."""

    def action_park(self) -> None:
        """Ask why (a short list, or typed), then set the ticket aside; its timer stops."""
        from console.tui.dialogs import PickDialog

        ticket = self._current()
        if ticket is None:
            return
        t, svc, a, n = self.app.t, self.app.service, self.actor, self.number
        items = [(t(f"park.{r}"), t(f"park.{r}")) for r in PARK_REASONS]

        def chosen(picked: Picked | None) -> None:
            if picked is not None:
                self._act("park", lambda key: svc.park(a, n, reason=picked.value, key=key))

        self.app.push_screen(
            PickDialog(t("park.title", number=ticket.number), items, free_text=True,
                       placeholder=t("park.hint")),
            chosen,
        )  # fmt: skip

    def action_matter(self) -> None:
        """The citizen came for another matter: pick it from the catalogue (m)."""
        from console.catalogue.search import CatalogueIndex

        ticket = self._current()
        if ticket is None:
            return
        svc = self.app.service

        def load_catalogue() -> None:
            try:
                index = CatalogueIndex((), svc.list_matters(), svc.list_departments())
            except live.FAILURES as exc:
                self.post_message(ActionFailed("matter", live.describe(exc, self.app.t), True))
                return
            self.app.call_from_thread(self._pick_matter, ticket, index)

        self.run_worker(load_catalogue, thread=True, group="lists")

    def _pick_matter(self, ticket: Ticket, index: Any) -> None:
        from console.tui.dialogs import MatterDialog

        t, svc, a, ref = self.app.t, self.app.service, self.actor, f"#{ticket.id}"

        def chosen(code: str | None) -> None:
            if code and code != ticket.matter_code:
                self._act("matter", lambda key: svc.change_matter(a, ref, code, key=key))

        self.app.push_screen(
            MatterDialog(t("matter.title", number=ticket.number), index, ticket.matter_code),
            chosen,
        )

    def action_transfer(self) -> None:
        from console.tui.transfer_targets import transfer_targets

        ticket = self._current()
        if ticket is None:
            return
        t, svc, n = self.app.t, self.app.service, self.number

        def load_targets() -> None:
            try:
                services, counters = svc.list_services(), svc.list_counters()
            except live.FAILURES as exc:
                self.post_message(ActionFailed("transfer", live.describe(exc, self.app.t), True))
                return
            items, names = transfer_targets(
                t, services, counters, own_service=ticket.service_code, own_counter=n
            )
            self.app.call_from_thread(self._pick_transfer, ticket, items, names)

        self.run_worker(load_targets, thread=True, group="lists")

    def _pick_transfer(
        self, ticket: Ticket, items: list[tuple[str, str]], names: dict[str, str]
    ) -> None:
        from console.tui.dialogs import PickDialog

        t, svc, a = self.app.t, self.app.service, self.actor

        def chosen(picked: Picked | None) -> None:
            if picked is None:
                return
            kind, _, target = picked.value.partition(":")
            ref = f"#{ticket.id}"
            if kind == "service":
                self._act("transfer", lambda key: svc.transfer(a, ref, to_service=target, key=key))
            else:
                self._act(
                    "transfer", lambda key: svc.transfer(a, ref, to_counter=int(target), key=key)
                )

        self.app.push_screen(
            PickDialog(t("transfer.title", number=ticket.number), items,
                       placeholder=t("transfer.search"), aliases=names),
            chosen,
        )  # fmt: skip

    def action_resume(self) -> None:
        from console.tui.dialogs import PickDialog

        t = self.app.t
        parked = self.view.parked if self.view else []
        if self._not_while_held():
            return
        if not parked:
            self._refuse("desk.no_parked")
            return
        now = self.app.now()
        items = [
            (
                f"#{p.id}",
                t(
                    "resume.item",
                    number=p.number,
                    min=round(max(0, now - (p.parked_at or p.called_at or p.issued_at)) / 60),
                    reason=p.park_reason or "",
                ),
            )
            for p in parked
        ]
        svc, a, n = self.app.service, self.actor, self.number

        def chosen(picked: Picked | None) -> None:
            if picked is not None:
                self._act("resume", lambda key: svc.resume(a, n, picked.value, key=key))

        self.app.push_screen(PickDialog(t("resume.title"), items), chosen)

    def action_green(self) -> None:
        from console.tui.dialogs import PickDialog

        ticket = self._current()
        if ticket is None:
            return
        t = self.app.t
        items = [(r, t(f"green.{r}")) for r in GREEN_REASONS]
        svc, a = self.app.service, self.actor

        def chosen(picked: Picked | None) -> None:
            if picked is not None:
                self._act(
                    "green",
                    lambda key: svc.flag_green(
                        a, f"#{ticket.id}", picked.value, picked.note, key=key
                    ),
                )

        self.app.push_screen(
            PickDialog(t("green.title", number=ticket.number), items, note=t("green.note")),
            chosen,
        )

    def action_call_number(self) -> None:
        from console.tui.dialogs import PickDialog

        t = self.app.t
        if self._not_while_held():
            return
        now = self.app.now()
        # as the transfer picker shows a ticket: its service, how long it has waited, green
        items = [
            (
                p.number,
                f"{p.number:<6} {p.service_code:<5} "
                + t("desk.waited_short", min=round(p.waited_s(now) / 60))
                + (f"  {t('desk.green')}:{t(f'green.{p.green_reason}')}" if p.green else ""),
            )
            for p in (self.view.next_tickets if self.view else [])
        ]
        svc, a, n = self.app.service, self.actor, self.number

        def chosen(picked: Picked | None) -> None:
            if picked is not None:
                ref = picked.value.strip().upper()
                self._act("call_number", lambda key: svc.call_number(a, n, ref, key=key))

        self.app.push_screen(
            PickDialog(
                t("call_number.title"), items, free_text=True, placeholder=t("call_number.hint")
            ),
            chosen,
        )

    def action_pause(self) -> None:
        from console.tui.dialogs import PickDialog

        t, svc, a, n = self.app.t, self.app.service, self.actor, self.number
        if self.view is not None and self.view.counter.state == "paused":
            self._act("resume_counter", lambda key: svc.resume_counter(a, n, key=key))
            return
        items = [
            (t(f"pause.{r}"), t(f"pause.{r}")) for r in ("break", "meeting", "system", "other")
        ]

        def chosen(picked: Picked | None) -> None:
            if picked is not None:
                self._act("pause", lambda key: svc.pause_counter(a, n, picked.value, key=key))

        self.app.push_screen(
            PickDialog(t("pause.title"), items, free_text=True, placeholder=t("pause.hint")),
            chosen,
        )
