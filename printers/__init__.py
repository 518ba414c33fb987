"""ESC/POS printing for qconsole: tickets and receipts on 58 and 80 mm thermal printers.

Rendering is separate from transport. ``printers.render`` turns a
``TicketSlip`` or ``ReceiptSlip`` into bytes for one printer (paper width,
text or raster mode, GB18030 or GBK) with no hardware; ``printers.transport``
moves bytes over USB, network (port 9100), serial, a device file or CUPS, with
short timeouts; ``printers.job`` puts them together: one job at a time per
printer, status before and after, no retry once bytes went out, and only
``printers.errors`` classes on failure.

Default mode: text (the printer's GB18030 font ROM, under 1 KB a ticket);
raster for printers without a Chinese ROM. This package imports no UI, CLI or
server framework and nothing of ``console``.
"""

from printers.errors import (
    CoverOpen,
    PaperOut,
    PrinterBusy,
    PrinterConfigError,
    PrinterDropped,
    PrinterError,
    PrinterNotFound,
    PrinterOffline,
    PrinterRefused,
    PrinterTimeout,
    PrinterUnavailable,
    PrinterUnreachable,
)
from printers.job import PrinterConfig, PrintResult, print_slip, query_status, send_job
from printers.render import RenderOptions, preview, render, text_lines
from printers.slips import Lang, ReceiptSlip, Slip, TicketSlip
from printers.status import PrinterStatus
from printers.transport import ADDRESS_HELP, CONNECTIONS, Timeouts

__all__ = [
    "ADDRESS_HELP",
    "CONNECTIONS",
    "CoverOpen",
    "Lang",
    "PaperOut",
    "PrintResult",
    "PrinterBusy",
    "PrinterConfig",
    "PrinterConfigError",
    "PrinterDropped",
    "PrinterError",
    "PrinterNotFound",
    "PrinterOffline",
    "PrinterRefused",
    "PrinterStatus",
    "PrinterTimeout",
    "PrinterUnavailable",
    "PrinterUnreachable",
    "ReceiptSlip",
    "RenderOptions",
    "Slip",
    "TicketSlip",
    "Timeouts",
    "preview",
    "print_slip",
    "query_status",
    "render",
    "send_job",
    "text_lines",
]
