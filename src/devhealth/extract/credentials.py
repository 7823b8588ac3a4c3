"""Where a provider token comes from: an argument (the semantic layer's decrypted credential), env, dlt secrets."""

from __future__ import annotations

import os
from collections.abc import Mapping

import dlt

from devhealth.errors import ConfigError


def resolve_token(provider: str, explicit: str | None, env_names: tuple[str, ...],
                  environ: Mapping[str, str] | None = None) -> str:
    """The first token found; the error names where to set one and never echoes a value."""
    if explicit:
        return explicit
    environ = os.environ if environ is None else environ
    for name in env_names:
        if environ.get(name, "").strip():
            return environ[name].strip()
    secret = dlt.secrets.get(f"sources.{provider}.access_token")
    if secret:
        return str(secret)
    places = ", ".join(env_names)
    raise ConfigError(f"{provider}: no access token; set {places} or sources.{provider}.access_token "
                      "in .dlt/secrets.toml")
