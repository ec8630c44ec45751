"""Background jobs in process (generate, track, sync, check-in): a thread pool runs the same services the CLI
runs; progress and outcome live in the store's `web_jobs` rows, so any process can show them. Scaling out later
swaps the pool for workers behind the same `submit`."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, is_dataclass
from datetime import UTC, date, datetime

from flask import Flask, current_app
from sqlalchemy import bindparam, select, update

from addon.adapters.orm import JobRow
from addon.domain.errors import OkrError
from addon.web.errors import ApiError

logger = logging.getLogger("okrboard.jobs")
KINDS = ("generate", "track", "sync", "checkin")
ACTIVE = ("queued", "running")
PROGRESS_EVERY = 0.25  # seconds between progress writes: a 200-item board would otherwise write 200 rows


def _plain(value):
    if is_dataclass(value):
        return _plain(asdict(value))
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    if hasattr(value, "value") and isinstance(value.value, str):
        return value.value
    return value


def run_kind(kind: str, store, tenant: str, cycle_id: int, gateway, params: dict, progress: Callable) -> dict:
    """Run one job's service exactly as the CLI does and return its outcome as plain data."""
    cycle_ref = str(cycle_id)
    if kind == "generate":
        from addon.services.generation.generator import BoardGenerator

        generator = BoardGenerator(store, tenant, gateway, progress=progress)
        return _plain(generator.run(cycle_ref, board=None, language=params.get("language")))
    if kind == "track":
        from addon.services.track import TrackingRefused, start_tracking

        try:
            return _plain(start_tracking(store, tenant, cycle_ref, gateway))
        except TrackingRefused as refused:
            detail = "; ".join(f"{f.ref}: {f.message}" for f in refused.findings)
            raise OkrError(f"{refused} {detail}".strip()) from None
    if kind == "sync":
        from addon.services.sync_board import sync_cycle

        return sync_cycle(store, tenant, cycle_ref, gateway).as_dict()
    from addon.services.checkin import record_checkin

    result = record_checkin(
        store, tenant, cycle_ref, gateway, on=date.fromisoformat(params["on"]), note=params.get("note", "")
    )
    outcome = _plain(result)
    outcome["sync"] = result.sync.as_dict() if result.sync else None
    outcome["late"] = result.late
    return outcome


class JobRunner:
    """Submits jobs to a thread pool (or runs them at once when `JOBS_INLINE`, for tests)."""

    def __init__(self, app: Flask, workers: int = 4):
        self.store = app.extensions["okrboard_store"]
        self.inline = bool(app.config.get("JOBS_INLINE"))
        self.pool = None if self.inline else ThreadPoolExecutor(max_workers=workers, thread_name_prefix="okrboard-job")

    def submit(self, user, cycle_id: int, kind: str, gateway, params: dict | None = None) -> int:
        """Queue a job for a cycle; refuses while another job of that cycle is queued or running."""
        if kind not in KINDS:
            raise ApiError(400, "bad_kind", f"Unknown job {kind!r}: use one of {', '.join(KINDS)}.")
        with self.store.engine.begin() as connection:
            busy = connection.execute(
                select(JobRow.id, JobRow.kind).where(
                    JobRow.tenant_id == user.tenant, JobRow.cycle_id == cycle_id, JobRow.state.in_(ACTIVE)
                )
            ).first()
            if busy is not None:
                raise ApiError(409, "busy", f"A {busy.kind} of this cycle is still running (job {busy.id}).")
            job_id = connection.execute(
                JobRow.__table__.insert().values(
                    tenant_id=user.tenant,
                    cycle_id=cycle_id,
                    user_id=user.id,
                    kind=kind,
                    state="queued",
                    done=0,
                    params=params or {},
                    created_at=datetime.now(UTC),
                )
            ).inserted_primary_key[0]
        work = (job_id, kind, user.tenant, cycle_id, gateway, params or {})
        if self.inline:
            self._run(*work)
        else:
            self.pool.submit(self._run, *work)
        return job_id

    def _set(self, job_id: int, **values) -> None:
        with self.store.engine.begin() as connection:
            connection.execute(update(JobRow).where(JobRow.id == job_id).values(**values))

    def _run(self, job_id, kind, tenant, cycle_id, gateway, params) -> None:
        self._set(job_id, state="running")
        last = [0.0]

        def progress(done: int, total: int | None) -> None:
            now = time.monotonic()
            if now - last[0] >= PROGRESS_EVERY or (total and done >= total):
                last[0] = now
                self._set(job_id, done=done, total=total)

        try:
            result = run_kind(kind, self.store, tenant, cycle_id, gateway, params, progress)
        except OkrError as error:
            self._set(job_id, state="failed", error=str(error), finished_at=datetime.now(UTC))
        except Exception:  # noqa: BLE001 - a job must end failed, never stay running
            logger.exception("job %s (%s) failed", job_id, kind)
            self._set(
                job_id,
                state="failed",
                error="Something went wrong on our side; the error was logged. Try again.",
                finished_at=datetime.now(UTC),
            )
        else:
            self._set(job_id, state="done", result=result, finished_at=datetime.now(UTC))


def runner() -> JobRunner:
    """The app's job runner (created on first use)."""
    extensions = current_app.extensions
    if "okrboard_jobs" not in extensions:
        extensions["okrboard_jobs"] = JobRunner(current_app._get_current_object())
    return extensions["okrboard_jobs"]


def get_job(tenant: str, job_id: int) -> JobRow:
    """A job of the tenant; another team's job is as unknown as a missing one."""
    from addon.web.extensions import store

    with store().engine.connect() as connection:
        row = connection.execute(select(JobRow).where(JobRow.id == job_id, JobRow.tenant_id == tenant)).first()
    if row is None:
        raise ApiError(404, "not_found", f"No job {job_id}.")
    return row


@functools.cache
def _newest_job_query():
    # Built once: composing the statement costs more than running it on every dashboard view.
    return (
        select(JobRow.state, JobRow.error, JobRow.finished_at)
        .where(
            JobRow.tenant_id == bindparam("tenant"),
            JobRow.cycle_id == bindparam("cycle_id"),
            JobRow.kind == bindparam("kind"),
        )
        .order_by(JobRow.id.desc())
        .limit(1)
    )


def newest_job(tenant: str, cycle_id: int, kind: str):
    """The newest job of one kind for a cycle (its state, error and finish time), or None."""
    from addon.web.extensions import store

    with store().engine.connect() as connection:
        return connection.execute(_newest_job_query(), {"tenant": tenant, "cycle_id": cycle_id, "kind": kind}).first()
