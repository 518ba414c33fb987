"""The hall database: connections with the right pragmas, and the schema's migrations."""

from console.store.connection import connect, write_transaction
from console.store.migrations import SCHEMA_VERSION, migrate, schema_version

__all__ = ["SCHEMA_VERSION", "connect", "migrate", "schema_version", "write_transaction"]
