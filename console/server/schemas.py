"""Request bodies of the hall server, validated before the engine sees them.

Bounds here (patterns, ranges, choices) turn a malformed request into a 422
with a clear message instead of an error deep in the engine. What a person
types into a field the engine checks (a name, a note, a reason, minutes) is
declared once in ``console.domain.fields``: here its limits are documented
from that declaration and the engine's own check refuses, so a refusal says
the same code and words over the server as in-process.
"""

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    field_validator,
)

from console.domain import GREEN_REASONS, OUTCOMES
from console.domain import fields as f


def _typed(field: f.Text | f.Note) -> Any:
    """Text the engine checks with ``field``: its limits documented, the check the engine's."""
    low = {"minLength": 1} if isinstance(field, f.Text) else {}
    return Annotated[str, Field(json_schema_extra={**low, "maxLength": field.max_len})]


def _minutes(kind: type) -> Any:
    """Minutes the engine checks (``fields.Minutes``): above zero, at most ``NUMBER_MAX``."""
    low = {"minimum": 1} if kind is int else {"exclusiveMinimum": 0}
    return Annotated[kind, Field(json_schema_extra={**low, "maximum": f.NUMBER_MAX})]


ShortText = Annotated[str, Field(min_length=1, max_length=60)]
Material = _typed(f.MATERIAL)
NameZh = _typed(f.NAME_ZH)
NameEn = _typed(f.NAME_EN)
CounterName = _typed(f.COUNTER_NAME)
StaffNo = _typed(f.STAFF_NO)
ClerkName = _typed(f.CLERK_NAME)
SessionName = _typed(f.SESSION_NAME)
PrinterName = _typed(f.PRINTER_NAME)
PrinterAddress = _typed(f.PRINTER_ADDRESS)
PauseReason = _typed(f.PAUSE_REASON)
GreenNote = _typed(f.GREEN_NOTE)
AppointmentCode = _typed(f.APPOINTMENT_CODE)
DepartmentZh = _typed(f.DEPARTMENT_ZH)
DepartmentEn = _typed(f.DEPARTMENT_EN)
Note = _typed(f.NOTE)
ParkReason = _typed(f.PARK_REASON)
TargetWait = _minutes(int)
Handling = _minutes(float)
TicketRef = Annotated[
    str, Field(min_length=1, max_length=40, description="A023, 2026-11-25/A023 or #17")
]
CounterNo = Annotated[int, Field(ge=1, le=9999)]
Pin = Annotated[str, Field(pattern=r"^[0-9]{4,12}$")]
Hhmm = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
Day = Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
GreenReason = Literal[GREEN_REASONS]  # type: ignore[valid-type]
Outcome = Literal[OUTCOMES]  # type: ignore[valid-type]
Role = Literal["clerk", "manager", "admin"]
Flag = StrictBool
"""true or false, not 0, 1 or "yes": what the description says is what is accepted."""


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorBody(BaseModel):
    """Every refusal: a code a program can test and one line a person can read."""

    error: str = Field(description="refused | forbidden | unauthenticated | bad_input | "
                       "not_found | unavailable")  # fmt: skip
    message: str = Field(description="The sentence: Chinese when Accept-Language prefers "
                         "Chinese, else English.")  # fmt: skip
    reason: str | None = Field(None, description="The stable reason code a program matches "
                               "(console/domain/reasons/), e.g. request.not_text.")  # fmt: skip
    params: dict[str, Any] | None = Field(None, description="The reason's parameters, e.g. "
                                          '{"what": "service"}.')  # fmt: skip


class LoginIn(Body):
    staff_no: ShortText
    pin: Pin


class LoginOut(BaseModel):
    session: str = Field(description="Send as X-QConsole-Session on later requests.")
    actor: dict[str, Any]


class SettingIn(Body):
    value: Annotated[str | int | bool, Field(description="New value (string, number or bool)")]


class ServiceIn(Body):
    code: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,16}$")]
    name_zh: NameZh
    name_en: NameEn
    prefix: Annotated[str, Field(pattern=r"^[A-Za-z]{1,3}$")]
    target_wait_min: TargetWait | None = None
    handling_min: Handling | None = None
    active: Flag | None = None
    materials: Annotated[list[Material], Field(max_length=50)] | None = None


class ServiceEdit(Body):
    """A service's code names it and is not edited (tickets and reports refer to it)."""

    name_zh: NameZh | None = None
    name_en: NameEn | None = None
    prefix: Annotated[str, Field(pattern=r"^[A-Za-z]{1,3}$")] | None = None
    target_wait_min: TargetWait | None = None
    handling_min: Handling | None = None
    active: Flag | None = None
    materials: Annotated[list[Material], Field(max_length=50)] | None = None


ServiceList = Annotated[list[Annotated[str, Field(max_length=120)]], Field(max_length=100)]


class CounterEdit(Body):
    name: CounterName | None = None
    services: ServiceList | Annotated[StrictStr, Field(max_length=2000)] | None = Field(
        None,
        description="Service codes in calling order ('A+B' puts two in one tier), or one "
        "comma-separated string of them (the CLI's --services ID,PP).",
    )

    @field_validator("services")
    @classmethod
    def _comma_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [code for code in value.split(",") if code.strip()]
        return value

    green_channel: Flag | None = None
    low_position: Flag | None = None
    active: Flag | None = None
    printer: ShortText | None = None


class CounterIn(CounterEdit):
    number: CounterNo


class ClerkIn(Body):
    staff_no: StaffNo
    name: ClerkName
    role: Role = "clerk"
    pin: Pin


class ClerkEdit(Body):
    name: ClerkName | None = None
    role: Role | None = None
    pin: Pin | None = None
    active: Flag | None = None
    unlock: Flag | None = None


class SessionEdit(Body):
    """A session's name is its key in the interface, so it is not edited here."""

    opens: Hhmm | None = None
    closes: Hhmm | None = None
    weekdays: Annotated[str, Field(pattern=r"^[1-7]{1,7}$")] | None = None
    date: Day | None = None
    active: Flag | None = None


class SessionIn(SessionEdit):
    name: SessionName
    opens: Hhmm | None = None
    closes: Hhmm | None = None
    closed: Flag | None = None


class PrinterIn(Body):
    name: PrinterName
    connection: Literal["usb", "network", "serial", "file", "cups"]
    address: PrinterAddress
    width_dots: Literal[384, 576] = 384
    mode: Literal["text", "raster"] = "text"
    encoding: Literal["gb18030", "gbk"] = "gb18030"
    station: ShortText | None = None
    counter_number: CounterNo | None = None
    purpose: Literal["ticket", "receipt"] = "ticket"


class PauseIn(Body):
    reason: PauseReason


class IssueIn(Body):
    service: Annotated[str, Field(min_length=1, max_length=16)] | None = None
    matter: Annotated[str, Field(min_length=1, max_length=40)] | None = Field(
        None, description="A matter's code: the ticket is issued in its queue and records it."
    )
    green_reason: GreenReason | None = None
    green_note: GreenNote | None = None
    low_position: Flag = False
    print_ticket: Flag = False


class CheckInIn(Body):
    code: AppointmentCode
    print_ticket: Flag = False


Cell = (
    Annotated[StrictStr, Field(max_length=200)]
    | Annotated[StrictInt, Field(ge=-(10**15), le=10**15)]
    | Annotated[StrictFloat, Field(ge=-(10**15), le=10**15, allow_inf_nan=False)]
    | None
)
"""A spreadsheet cell: text, or a number or an empty cell (taken as text, as in a CSV)."""


def cells_as_text(cells: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Spreadsheet rows as text (an empty cell is ""), each ``_line`` a line number."""
    rows = [{k: "" if v is None else str(v) for k, v in row.items()} for row in cells]
    for row in rows:
        if "_line" in row and not (row["_line"].isascii() and row["_line"].isdigit()):
            raise ValueError("_line is a line number")
    return rows


class ImportIn(Body):
    rows: Annotated[
        list[dict[Annotated[str, Field(max_length=40)], Cell]],
        Field(max_length=20000),
    ]

    @field_validator("rows")
    @classmethod
    def _line_numbers(cls, cells: list[dict[str, Any]]) -> list[dict[str, str]]:
        return cells_as_text(cells)


MatterCode = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,40}$")]
DeptCode = _typed(f.DEPARTMENT)
Materials = (
    Annotated[list[Material], Field(max_length=100)] | Annotated[StrictStr, Field(max_length=4000)]
)
"""A list, or one cell's text with ';' between materials (as in an import)."""


class MatterEdit(Body):
    """A matter's code names it and is not edited (tickets and reports refer to it)."""

    name_zh: NameZh | None = None
    name_en: NameEn | None = None
    department: DeptCode | None = None
    department_zh: DepartmentZh | None = None
    department_en: DepartmentEn | None = None
    service: Annotated[str, Field(min_length=1, max_length=16)] | None = None
    materials: Materials | None = None
    handling_min: Handling | None = None
    target_wait_min: TargetWait | None = None
    active: Flag | None = None


class MatterIn(MatterEdit):
    code: MatterCode
    name_zh: NameZh
    department: DeptCode
    service: Annotated[str, Field(min_length=1, max_length=16)]


LongCell = (
    Annotated[StrictStr, Field(max_length=4000)]
    | Annotated[StrictInt, Field(ge=-(10**15), le=10**15)]
    | Annotated[StrictFloat, Field(ge=-(10**15), le=10**15, allow_inf_nan=False)]
    | None
)
"""A catalogue cell: its materials list may be long."""


class MatterImportIn(Body):
    rows: Annotated[
        list[dict[Annotated[str, Field(max_length=40)], LongCell]],
        Field(max_length=20000),
    ]
    update: Flag = False
    dry_run: Flag = False
    departments: list[Annotated[str, Field(min_length=1, max_length=40)]] | None = Field(
        None, max_length=1000
    )
    confirm: Flag = False

    @field_validator("rows")
    @classmethod
    def _as_text(cls, cells: list[dict[str, Any]]) -> list[dict[str, str]]:
        return cells_as_text(cells)


class ChangeMatterIn(Body):
    ticket: TicketRef
    matter: Annotated[str, Field(min_length=1, max_length=40)]


class TicketIn(Body):
    ticket: TicketRef


class FinishIn(Body):
    outcome: Outcome = "done"
    materials: Annotated[list[Material], Field(max_length=50)] = []
    rating: Annotated[int, Field(ge=1, le=5)] | None = None
    note: Note | None = None
    print_receipt: Flag = False


class NoShowIn(Body):
    requeue: Flag = False


class ParkIn(Body):
    reason: ParkReason | None = None
    """Why the ticket is set aside (shown at the counter and on the floor)."""


class TransferIn(Body):
    ticket: TicketRef
    to_service: Annotated[str, Field(min_length=1, max_length=16)] | None = None
    to_counter: CounterNo | None = None


class GreenIn(Body):
    ticket: TicketRef
    reason: GreenReason
    note: GreenNote | None = None


class PrintIn(Body):
    ticket: TicketRef
    kind: Literal["ticket", "receipt"]


class ImportProblem(BaseModel):
    line: int
    error: str


class ImportOut(BaseModel):
    """What an appointments import stored, and each refused row by its line."""

    imported: int
    errors: list[ImportProblem]


class MatterImportProblem(BaseModel):
    """A bad row of a catalogue: where it is, which column, and the reason."""

    line: int | str
    sheet: str | None = None
    column: str | None = None
    error: str
    reason: str = ""
    params: dict[str, Any] = {}


class RetiredMatter(BaseModel):
    code: str
    name_zh: str
    department: str


class MatterImportOut(BaseModel):
    """What a catalogue import did (or, with dry_run or any bad row, would do)."""

    added: int
    changed: int
    unchanged: int
    retired: int
    skipped: int = Field(0, description="Rows of departments outside the update's scope.")
    stored: bool = Field(description="False after a dry run or when any row was bad.")
    errors: list[MatterImportProblem]
    retired_matters: list[RetiredMatter] = []


SettingValue = str | bool | int | float | None


class Settings(RootModel[dict[str, SettingValue]]):
    """Every setting by name, with its value (the default when none was stored)."""


class HourFigures(BaseModel):
    hour: int
    issued: int
    served: int
    avg_wait_s: float | None


class FloorFigures(BaseModel):
    """Today by hour, and each counter's last finish (Unix seconds, by counter number)."""

    as_of_event: int
    day: str
    hours: list[HourFigures]
    last_finished: dict[str, float]


class Done(BaseModel):
    """What a remove says it did (``removed`` or ``deactivated …``)."""

    result: str


class Count(BaseModel):
    count: int


class WaitOut(BaseModel):
    last_event_id: int


class WhoAmI(BaseModel):
    station: str
    station_role: str
    actor: dict[str, Any] | None
    now: float
    utc_offset_s: int
    last_event_id: int
    version: str


class Health(BaseModel):
    status: Literal["ok", "degraded", "fenced"]
    last_event_id: int
    warnings: list[str] = Field(default=[], description="What an admin must fix")
    generation: int = Field(
        1,
        description="The hall's generation this server serves "
        "(one more per restore from a replica)",
    )
    replication: dict[str, Any] | None = Field(
        None,
        description="Under `serve --replica`: "
        "`lag_writes` (changes the replica lacks), "
        "`lag_s`, `stalled`, `problem`",
    )


class ClaimIn(Body):
    printers: Annotated[list[ShortText], Field(max_length=20)] | None = Field(
        None, description="Only these of the station's printers (default: all of them)."
    )


class ClaimOut(BaseModel):
    """A claimed print job: the bytes to send to the station's own printer, or nothing."""

    job: dict[str, Any] | None = None
    printer: dict[str, Any] | None = None
    data: str | None = Field(None, description="ESC/POS bytes, base64")


class PrintResultIn(Body):
    status: Literal["done", "failed", "unconfirmed"] = Field(
        description="done only with the printer's status answer after the bytes; unconfirmed:"
        " bytes went out but the printer never confirmed them (it may not have printed)"
    )
    error: Annotated[str, Field(max_length=500)] | None = None
    may_have_printed: Flag = False
    warning: Annotated[str, Field(max_length=500)] | None = None
    kind_of_error: Annotated[str, Field(max_length=40)] | None = None
    bytes: Annotated[int, Field(ge=0, le=2**31)] | None = None
    printer_status: Annotated[str, Field(max_length=200)] | None = Field(
        None, description="What the printer answered after the job."
    )
    reason: Annotated[str, Field(max_length=60)] | None = Field(
        None,
        description="The outcome's reason code (printer.paper_out ...), stored with the "
        "job so every screen says it in its reader's language.",
    )
