"""The engine: the hall's rooms, composed over one core and its one write path.

Each room owns one aggregate (its tables and its events) and is a small object holding
the shared :class:`~console.engine.core.Core`; a room that reads another's rows is handed
that room when the engine is built, so every dependency is a constructor argument a
reader can follow. :class:`Engine` is the facade the service interface calls: each of its
operations is written once, in its room, and named here by one :class:`Forward` line.

=================  ==================================================================
room               owns
=================  ==================================================================
``settings``       the hall's settings (reading them is the core's)
``services``       the queue lines: code, prefix, names, target wait
``catalogue``      departments and matters, and their import
``print_jobs``     printers and the print jobs queued for them
``counters``       counters' setup and state (open, paused, closed, their clerk)
``clerks``         clerks, their PINs and lockout, and login
``sessions``       opening hours (``hours.py``)
``tickets``        a ticket on the floor: issue, transfer, cancel, green channel, a matter
``calls``          the ticket at a desk: call, recall, serve, finish, no-show, park, resume
``appointments``   booked visits and their check-in
``public``         what a citizen's phone reads, and its rating
``views``          read-only views of a desk, the hall, the floor; the change feed
``failover``       the standby's take-over and the hall's generation
``personal``       the purge of personal fields
=================  ==================================================================
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, overload

from console.engine.appointments import Appointments
from console.engine.calls import Calls
from console.engine.catalogue import Catalogue
from console.engine.clerks import Clerks
from console.engine.clock import Clock
from console.engine.core import Core
from console.engine.counters import Counters
from console.engine.failover import Failover
from console.engine.hours import Sessions
from console.engine.personal import Personal
from console.engine.print_jobs import PrintJobs
from console.engine.public import Public
from console.engine.services import Services
from console.engine.settings import Settings
from console.engine.tickets import Tickets
from console.engine.views import Views

P = ParamSpec("P")
R = TypeVar("R")


class Forward(Generic[P, R]):
    """An engine operation that is one room's method: ``Engine.call_next`` is
    ``Calls.call_next`` run on the engine's ``calls`` room (same arguments, same
    result). On the class it is the room's function itself, so its signature is the
    room's."""

    def __init__(self, room: str, method: Callable[Concatenate[Any, P], R]) -> None:
        self.room = room
        self.method = method
        self.__doc__ = method.__doc__

    @overload
    def __get__(self, engine: None, owner: type | None = None) -> Callable[..., R]: ...
    @overload
    def __get__(self, engine: Engine, owner: type | None = None) -> Callable[P, R]: ...
    def __get__(self, engine: Engine | None, owner: type | None = None) -> Callable[..., R]:
        if engine is None:
            return self.method
        return getattr(getattr(engine, self.room), self.method.__name__)


class Engine:
    """Every operation and view of one hall over one connection."""

    def __init__(self, conn: sqlite3.Connection, clock: Clock | None = None, path: str = ""):
        self.core = Core(conn, clock, path)
        self.settings_room = Settings(self.core)
        self.services = Services(self.core)
        self.catalogue = Catalogue(self.core, self.services)
        self.print_jobs = PrintJobs(self.core)
        self.counters = Counters(self.core, self.services, self.print_jobs)
        self.clerks = Clerks(self.core)
        self.sessions = Sessions(self.core)
        self.tickets = Tickets(self.core, self.services, self.catalogue, self.print_jobs)
        self.calls = Calls(self.core, self.counters, self.print_jobs)
        self.appointments = Appointments(self.core, self.services, self.tickets)
        self.public = Public(self.core)
        self.views = Views(self.core, self.counters)
        self.failover = Failover(self.core)
        self.personal = Personal(self.core)

    @property
    def conn(self) -> sqlite3.Connection:
        return self.core.conn

    @property
    def clock(self) -> Clock:
        return self.core.clock

    @clock.setter
    def clock(self, clock: Clock) -> None:
        self.core.clock = clock

    @property
    def path(self) -> str:
        return self.core.path

    def settings(self) -> dict[str, Any]:
        """Every setting with its value (the default when none was stored)."""
        return self.core.settings()

    set_setting = Forward("settings_room", Settings.set_setting)

    list_services = Forward("services", Services.list_services)
    add_service = Forward("services", Services.add_service)
    edit_service = Forward("services", Services.edit_service)
    remove_service = Forward("services", Services.remove_service)

    list_departments = Forward("catalogue", Catalogue.list_departments)
    list_matters = Forward("catalogue", Catalogue.list_matters)
    get_matter = Forward("catalogue", Catalogue.get_matter)
    add_matter = Forward("catalogue", Catalogue.add_matter)
    edit_matter = Forward("catalogue", Catalogue.edit_matter)
    remove_matter = Forward("catalogue", Catalogue.remove_matter)
    import_matters = Forward("catalogue", Catalogue.import_matters)

    list_printers = Forward("print_jobs", PrintJobs.list_printers)
    add_printer = Forward("print_jobs", PrintJobs.add_printer)
    remove_printer = Forward("print_jobs", PrintJobs.remove_printer)
    request_print = Forward("print_jobs", PrintJobs.request_print)
    list_print_jobs = Forward("print_jobs", PrintJobs.list_print_jobs)
    claim_print_job = Forward("print_jobs", PrintJobs.claim_print_job)
    renew_print_lease = Forward("print_jobs", PrintJobs.renew_print_lease)
    report_print_job = Forward("print_jobs", PrintJobs.report_print_job)

    list_counters = Forward("counters", Counters.list_counters)
    add_counter = Forward("counters", Counters.add_counter)
    edit_counter = Forward("counters", Counters.edit_counter)
    remove_counter = Forward("counters", Counters.remove_counter)
    open_counter = Forward("counters", Counters.open_counter)
    pause_counter = Forward("counters", Counters.pause_counter)
    resume_counter = Forward("counters", Counters.resume_counter)
    close_counter = Forward("counters", Counters.close_counter)

    login = Forward("clerks", Clerks.login)
    list_clerks = Forward("clerks", Clerks.list_clerks)
    add_clerk = Forward("clerks", Clerks.add_clerk)
    edit_clerk = Forward("clerks", Clerks.edit_clerk)
    remove_clerk = Forward("clerks", Clerks.remove_clerk)

    list_sessions = Forward("sessions", Sessions.list_sessions)
    add_session = Forward("sessions", Sessions.add_session)
    edit_session = Forward("sessions", Sessions.edit_session)
    remove_session = Forward("sessions", Sessions.remove_session)

    issue = Forward("tickets", Tickets.issue)
    transfer = Forward("tickets", Tickets.transfer)
    cancel = Forward("tickets", Tickets.cancel)
    flag_green = Forward("tickets", Tickets.flag_green)
    change_matter = Forward("tickets", Tickets.change_matter)
    close_day = Forward("tickets", Tickets.close_day)

    call_next = Forward("calls", Calls.call_next)
    call_number = Forward("calls", Calls.call_number)
    recall = Forward("calls", Calls.recall)
    serve = Forward("calls", Calls.serve)
    finish = Forward("calls", Calls.finish)
    no_show = Forward("calls", Calls.no_show)
    park = Forward("calls", Calls.park)
    resume = Forward("calls", Calls.resume)

    import_appointments = Forward("appointments", Appointments.import_appointments)
    check_in = Forward("appointments", Appointments.check_in)

    rate_by_code = Forward("public", Public.rate_by_code)
    public_ticket = Forward("public", Public.public_ticket)
    public_views = Forward("public", Public.public_views)

    last_event_id = Forward("views", Views.last_event_id)
    changes_since = Forward("views", Views.changes_since)
    get_ticket = Forward("views", Views.get_ticket)
    list_tickets = Forward("views", Views.list_tickets)
    counter_view = Forward("views", Views.counter_view)
    hall_view = Forward("views", Views.hall_view)
    floor_figures = Forward("views", Views.floor_figures)

    record_failover = Forward("failover", Failover.record_failover)
    mark_generation_served = Forward("failover", Failover.mark_generation_served)

    personal_cutoff = Forward("personal", Personal.personal_cutoff)
    purge_personal = Forward("personal", Personal.purge_personal)
    oldest_personal_day = Forward("personal", Personal.oldest_personal_day)
