"""dlt sources: each provider is a folder that loads into the ClickHouse database `raw`."""
