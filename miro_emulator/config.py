"""Emulator settings: one dataclass, with defaults that work for local development."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from miro_emulator.faults import FaultSpec, parse_faults

# Miro client ids are numeric strings (https://developers.miro.com/docs/getting-started-with-oauth).
DEFAULT_CLIENT_ID = "3458764500000000900"
DEFAULT_CLIENT_SECRET = "emulator-client-secret"
DEFAULT_REDIRECT_URIS = (
    "http://127.0.0.1:5000/auth/callback",
    "http://localhost:5000/auth/callback",
    "http://127.0.0.1:8000/auth/callback",
    "http://localhost:8000/auth/callback",
)
DEFAULT_SCOPES = ("boards:read", "boards:write")
# Largest request body accepted (413 beyond). Miro documents no limit for JSON bodies; the largest request it
# documents is a file upload, "Maximum file size is 6 MB" (UploadFileFromDevice in the OpenAPI spec,
# https://developers.miro.com/reference/create-image-item-using-local-file), so no valid request is bigger.
MAX_BODY_BYTES = 6 * 1024 * 1024


@dataclass
class EmulatorConfig:
    """Everything that changes how the emulator behaves; `clock` and `sleep` are injectable for tests."""

    host: str = "127.0.0.1"
    port: int = 8765
    latency_ms: float = 0.0
    faults: FaultSpec | str | None = None
    seed: int = 0
    credits_per_minute: int = 100_000
    state_file: str | None = None
    tokens: dict[str, str] = field(default_factory=dict)  # fixed, non-expiring token -> user id
    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = DEFAULT_CLIENT_SECRET
    redirect_uris: list[str] = field(default_factory=lambda: list(DEFAULT_REDIRECT_URIS))
    scopes: list[str] = field(default_factory=lambda: list(DEFAULT_SCOPES))
    clock: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep
    # How long a `timeout` fault holds the request before dropping it (short by default so tests don't wait).
    timeout_seconds: float = 2.0
    # Access tokens of expiring-token apps live 3599 s (https://developers.miro.com/reference/get-new-access-token-using-refresh-token).
    access_token_ttl: int = 3599
    refresh_token_ttl: int = 60 * 24 * 3600
    # Spec types numeric style fields as strings; with this on, JSON numbers are accepted and stored as strings.
    lenient_numbers: bool = False
    # Unknown properties in request bodies are rejected (catches client typos); switch off to ignore them.
    reject_unknown_fields: bool = True
    max_body_bytes: int = MAX_BODY_BYTES  # larger request bodies get a 413 without being read
    default_user_id: str | None = None  # the seeded user that `--token` acts as (first seeded user if None)
    # Seconds Miro's clock runs ahead of `clock` (negative: behind): item and board timestamps, the Date header
    # and token lifetimes follow it, so a client can be tested against a server whose clock is off.
    clock_offset: float = 0.0

    def fault_spec(self) -> FaultSpec:
        """Return the parsed fault spec (the field may hold the CLI text)."""
        if isinstance(self.faults, FaultSpec):
            return self.faults
        return parse_faults(self.faults or "")
