"""Migration 0003: maintain key results stored in the start/target form become the ranges they were read as."""

import uuid

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import make_url

from addon.adapters.database import alembic_config, make_engine, upgrade
from tests.conftest import POSTGRES_URL, need_service

NOW = "2027-01-04 00:00:00"


def _seed(connection) -> None:
    connection.execute(
        sa.text(
            'INSERT INTO cycles (id, tenant_id, name, level, start, "end", language, checkin_dates, status, '
            "created_at, updated_at) VALUES (1, 't', 'Q1', 'company', '2027-01-04', '2027-03-31', 'en', '[]', "
            "'tracking', :now, :now)"
        ),
        {"now": NOW},
    )
    connection.execute(
        sa.text("INSERT INTO objectives (id, cycle_id, position, title, learning_goal) VALUES (1, 1, 1, 'Goal', '')")
    )
    rows = [
        (1, "maintain", 30.0, 25.0),  # written as start 30 / target 25: read as the range 25..30
        (2, "maintain", 99.5, 100.0),
        (3, "increase", 0.0, 10.0),  # untouched
        (4, "maintain", 0.0, None),  # no threshold at all: stays so (rule M6 asks for one)
    ]
    for kr_id, kind, start, target in rows:
        connection.execute(
            sa.text(
                "INSERT INTO key_results (id, objective_id, position, title, kind, start_value, target, unit, "
                "status, weight, history) VALUES (:id, 1, :id, 'KR', :kind, :start, :target, '', 'draft', 1, '[]')"
            ),
            {"id": kr_id, "kind": kind, "start": start, "target": target},
        )


def _read(engine):
    with engine.connect() as connection:
        return connection.execute(
            sa.text("SELECT id, kind, start_value, target, at_least, at_most FROM key_results ORDER BY id")
        ).all()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fresh_engine(request, tmp_path):
    """An empty database of each supported kind, for migrating step by step."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
        yield engine
        engine.dispose()
        return
    admin_url = make_url(POSTGRES_URL)
    try:
        admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text("select 1"))
    except Exception as error:  # noqa: BLE001 - any failure to connect means "no server here"
        need_service("PostgreSQL", error.__class__.__name__)
    name = f"okrboard_migrate_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'create database "{name}"'))
    engine = make_engine(admin_url.set(database=name).render_as_string(hide_password=False))
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(sa.text(f'drop database if exists "{name}" with (force)'))
    admin.dispose()


def test_existing_maintain_key_results_become_explicit_ranges_and_can_go_back(fresh_engine):
    engine = fresh_engine
    upgrade(engine, "0005")
    with engine.begin() as connection:
        _seed(connection)
    upgrade(engine)
    assert [tuple(r) for r in _read(engine)] == [
        (1, "maintain", 0.0, None, 25.0, 30.0),
        (2, "maintain", 0.0, None, 99.5, 100.0),
        (3, "increase", 0.0, 10.0, None, None),
        (4, "maintain", 0.0, None, None, None),
    ]
    command.downgrade(alembic_config(engine), "0005")  # the revision 0003 follows
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT id, start_value, target FROM key_results ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [(1, 25.0, 30.0), (2, 99.5, 100.0), (3, 0.0, 10.0), (4, 0.0, None)]
