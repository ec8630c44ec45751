"""Fixtures shared by every suite: stores on SQLite and PostgreSQL, settings, a CLI runner."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from addon.adapters.store import Store

IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_URL = os.environ.get("OKRBOARD_TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")


def need_service(name: str, reason: str) -> None:
    """Skip with a visible reason outside CI; fail under CI=true, where every service must run."""
    message = f"{name} is not available: {reason}"
    if IN_CI:
        pytest.fail(message + " (CI=true requires it)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_server_url():
    """A throwaway PostgreSQL database for this test session, dropped at the end."""
    admin_url = make_url(POSTGRES_URL)
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("select 1"))
    except Exception as error:  # noqa: BLE001 - any failure to connect means "no server here"
        need_service("PostgreSQL", f"{admin_url.render_as_string(hide_password=True)} ({error.__class__.__name__})")
    name = f"okrboard_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'create database "{name}"'))
    yield admin_url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'drop database if exists "{name}" with (force)'))
    admin.dispose()


def _empty(store: Store) -> None:
    from addon.adapters.orm import Base

    with store.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    """A migrated, empty store on each supported database."""
    if request.param == "sqlite":
        opened = Store.open(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    else:
        opened = Store.open(request.getfixturevalue("postgres_server_url"))
        _empty(opened)
    yield opened
    opened.close()


@pytest.fixture
def sqlite_store(tmp_path):
    """A migrated SQLite store in a temporary folder."""
    opened = Store.open(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    yield opened
    opened.close()


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    """Environment for CLI tests: a private instance folder and no settings leaking from the machine."""
    for name in list(os.environ):
        if name.startswith(("OKRBOARD_", "MIRO_")) or name == "REDIS_URL":
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OKRBOARD_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def miro():
    """A running Miro emulator with a fresh state."""
    from miro_emulator.testing import EmulatorServer

    with EmulatorServer() as server:
        yield server


@pytest.fixture
def gateway(miro):
    """A gateway whose client talks to the emulator as its default user, never sleeping for real."""
    from addon.adapters.miro_gateway import MiroGateway
    from miro_client import MiroClient

    return MiroGateway(MiroClient(miro.token, base_url=miro.base_url, sleep=lambda _seconds: None))
