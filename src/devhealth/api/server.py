"""Run the API under uvicorn, on the warehouse and semantic database the environment resolves."""

from __future__ import annotations

from fastapi import FastAPI

from devhealth.api.app import create_app
from devhealth.api.auth import KEY_CACHE_SECONDS
from devhealth.api.engine import DEFAULT_POOL_SIZE, MartReader


def build_app(pool_size: int = DEFAULT_POOL_SIZE, key_cache_seconds: float = KEY_CACHE_SECONDS) -> FastAPI:
    """The app for this environment: refuses a semantic schema behind its migrations and unbuilt marts."""
    from devhealth.semantic_db import migrate

    # the admin login: a presented key is looked up across organizations, since it is what names the org
    return create_app(MartReader(pool_size=pool_size), migrate.current_engine(admin=True),
                      key_cache_seconds=key_cache_seconds)


def serve(host: str, port: int, *, pool_size: int = DEFAULT_POOL_SIZE, log_level: str = "info",
          key_cache_seconds: float = KEY_CACHE_SECONDS) -> None:
    import uvicorn

    # one process: chDB is one engine per process, and the rate limits are counted in memory
    uvicorn.run(build_app(pool_size, key_cache_seconds), host=host, port=port, log_level=log_level, workers=1,
                server_header=False)
