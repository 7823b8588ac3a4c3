"""Fixtures for the semantic layer: an engine on a fresh migrated database, and a fixed Fernet keyring."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Engine

from devhealth.semantic_db import db
from devhealth.semantic_db.secret_keys import Keyring


@pytest.fixture
def engine(semantic_database: str) -> Iterator[Engine]:
    yield db.get_engine(semantic_database)


@pytest.fixture
def keyring() -> Keyring:
    return Keyring((Fernet.generate_key(),), source="test keyring")
