"""The product's errors, each mapped to one exit code of the CLI contract.

0 ok, 1 refused, 2 bad usage or input, 3 database or server unreachable. The
hall server maps the same classes to HTTP statuses, and the remote client maps
them back, so a screen sees the same error wherever the engine runs.

Every error raised by the engine, the store, the server and the remote client
names a stable **reason** from ``console.domain.reasons`` and its parameters:
``raise Refused(reason="counter.no_current", counter=3)``. The English
sentence is rendered from the catalog; screens and the CLI render the same
reason in their own language, so no one parses English to translate it.
"""

from __future__ import annotations

from console.domain import reasons


def _plain(value: object) -> object:
    """A parameter as JSON can carry it (the server sends parameters to the stations)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


class QConsoleError(Exception):
    """Base of every error the product reports to a person as one line."""

    exit_code = 1
    http_status = 409
    code = "error"

    def __init__(self, message: str | None = None, *, reason: str = "", **params: object) -> None:
        self.reason = reason
        self.params = {name: _plain(value) for name, value in params.items()}
        if message is None:
            message = reasons.render(reason, self.params, "en")
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict:
        out: dict = {"error": self.code, "message": self.message}
        if self.reason:
            out["reason"] = self.reason
            out["params"] = self.params
        return out


class Refused(QConsoleError):
    """The operation is understood but not allowed now (nothing waiting, bad transition)."""

    exit_code = 1
    http_status = 409
    code = "refused"


class AuthError(Refused):
    """Wrong PIN, locked out, or a role that may not do this."""

    http_status = 403
    code = "forbidden"


class BadInput(QConsoleError):
    """The request itself is wrong: unknown service, malformed number, bad date."""

    exit_code = 2
    http_status = 422
    code = "bad_input"


class NotFound(BadInput):
    """A named thing (service, counter, clerk, ticket) does not exist."""

    http_status = 404
    code = "not_found"


class Unavailable(QConsoleError):
    """The database or the hall server cannot be reached or used."""

    exit_code = 3
    http_status = 503
    code = "unavailable"
