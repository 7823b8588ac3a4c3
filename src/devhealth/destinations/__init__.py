"""dlt destinations that devhealth adds: `chdb`, dlt's ClickHouse destination on the embedded engine."""

from devhealth.destinations.chdb import chdb

__all__ = ["chdb"]
