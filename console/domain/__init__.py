"""Plain data of a service hall: no I/O, no UI, no framework.

Everything a screen, the CLI or the hall server needs to show or send is one of
these dataclasses, so the in-process and the remote service return the same
shapes.
"""

from console.domain.errors import (
    AuthError,
    BadInput,
    NotFound,
    QConsoleError,
    Refused,
    Unavailable,
)
from console.domain.model import (
    GREEN_REASONS,
    OUTCOMES,
    PRINT_LEASE_S,
    ROLES,
    Actor,
    Clerk,
    Counter,
    Department,
    Event,
    IssueResult,
    Matter,
    PrintClaim,
    Printer,
    PrintJob,
    ServiceDef,
    Session,
    Ticket,
    TicketStatus,
)
from console.domain.views import (
    CounterState,
    CounterView,
    HallView,
    MatterStats,
    PrinterProblem,
    ServiceStats,
)

__all__ = [
    "GREEN_REASONS",
    "OUTCOMES",
    "PRINT_LEASE_S",
    "ROLES",
    "Actor",
    "AuthError",
    "BadInput",
    "Clerk",
    "Counter",
    "CounterState",
    "CounterView",
    "Department",
    "Event",
    "HallView",
    "IssueResult",
    "Matter",
    "MatterStats",
    "NotFound",
    "PrintClaim",
    "PrintJob",
    "Printer",
    "PrinterProblem",
    "QConsoleError",
    "Refused",
    "ServiceDef",
    "ServiceStats",
    "Session",
    "Ticket",
    "TicketStatus",
    "Unavailable",
]
