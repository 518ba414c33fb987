"""Modal dialogs: each a ``ModalScreen[T]`` that dismisses with its answer."""

from console.tui.dialogs.breakdown import BreakdownDialog
from console.tui.dialogs.confirm import ConfirmDialog
from console.tui.dialogs.finish import FinishChoice, FinishDialog, Finished
from console.tui.dialogs.matter import MatterDialog
from console.tui.dialogs.pick import PickDialog, Picked
from console.tui.dialogs.receipt import ReceiptDialog

__all__ = [
    "BreakdownDialog",
    "ConfirmDialog",
    "FinishChoice",
    "FinishDialog",
    "Finished",
    "MatterDialog",
    "PickDialog",
    "Picked",
    "ReceiptDialog",
]
