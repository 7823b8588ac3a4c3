"""`devhealth api`: serve the marts over REST and GraphQL to API keys."""

from __future__ import annotations

from typing import Annotated

import typer

from devhealth.api.auth import KEY_CACHE_SECONDS
from devhealth.errors import InputError


def api(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
    pool_size: Annotated[int, typer.Option("--pool-size", help="Connections to a ClickHouse server.")] = 16,
    log_level: Annotated[str, typer.Option("--log-level", help="uvicorn's log level.")] = "info",
    key_cache_seconds: Annotated[float, typer.Option(
        "--key-cache-seconds", help="How long an accepted API key is taken on trust without asking the semantic "
        "database: the bound on honouring a revocation. 0 asks on every request.")] = KEY_CACHE_SECONDS,
) -> None:
    """Serve the marts: REST under /v1 (OpenAPI at /openapi.json, docs at /docs) and GraphQL at /graphql."""
    from devhealth.api.server import serve

    if not 0 < port < 65536:
        raise InputError(f"--port {port}: not a TCP port")
    if pool_size < 1:
        raise InputError(f"--pool-size {pool_size}: must be at least 1")
    if not 0 <= key_cache_seconds <= 300:
        raise InputError(f"--key-cache-seconds {key_cache_seconds}: must be between 0 and 300")
    serve(host, port, pool_size=pool_size, log_level=log_level, key_cache_seconds=key_cache_seconds)
