"""What the durable message path needs to tell apart: a lost claim, and a database that is away."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

_CONNECTION_ERRORS = {
    "ConnectionDoesNotExistError",
    "CannotConnectNowError",
    "ConnectionFailureError",
    "TooManyConnectionsError",
    "AdminShutdownError",
    "CrashShutdownError",
}
"""asyncpg's names for a server that went away or is not ready yet."""


class LeaseLost(Exception):
    """The row was taken over by another worker (our lease ran out): our work is rolled back."""


def database_unavailable(exc: BaseException) -> bool:
    """True when ``exc`` comes from a database that cannot be reached, not from our code:
    the work is then retried later instead of being answered with an error."""
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            return False
        if isinstance(seen, DBAPIError) and seen.connection_invalidated:
            return True
        if isinstance(seen, OperationalError | InterfaceError | ConnectionError | OSError):
            return True
        if type(seen).__name__ in _CONNECTION_ERRORS:
            return True
        seen = seen.__cause__ or seen.__context__
    return False
