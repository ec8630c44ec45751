"""Settings from the environment (and an optional .env file); one place that knows every variable."""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from addon.domain.errors import OkrError

DEFAULT_MIRO_API_URL = "https://api.miro.com"
DEFAULT_MIRO_AUTH_URL = "https://miro.com/oauth/authorize"
# Origins allowed to frame the panel: Miro loads an app's sdkUri and panel in iframes on its own origins.
DEFAULT_PANEL_ANCESTORS = "https://miro.com https://*.miro.com"
# The Web SDK script panels load (https://developers.miro.com/docs/web-sdk-reference-guide).
DEFAULT_MIRO_SDK_URL = "https://miro.com/app/static/sdk/v2/miro.js"
MAX_CLOCK_SKEW_SECONDS = 86_400.0
MAX_PROXY_HOPS = 10


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


@dataclass(frozen=True)
class Settings:
    """Everything the app reads from its environment."""

    instance_path: Path = Path("instance")
    database_url: str | None = None
    tenant_id: str = "local"
    miro_api_url: str = DEFAULT_MIRO_API_URL
    miro_auth_url: str = DEFAULT_MIRO_AUTH_URL
    miro_access_token: str | None = None
    miro_client_id: str | None = None
    miro_client_secret: str | None = None
    miro_redirect_uri: str | None = None
    token_keys: list[str] = field(default_factory=list)
    secret_key: str | None = None
    redis_url: str | None = None
    panel_ancestors: str = DEFAULT_PANEL_ANCESTORS
    miro_sdk_url: str = DEFAULT_MIRO_SDK_URL
    clock_skew: str | None = None  # OKRBOARD_CLOCK_SKEW as written; read by `clock_skew_seconds`
    proxy_hops: str | None = None  # OKRBOARD_PROXY_HOPS as written; read by `trusted_proxy_hops`

    @property
    def trusted_proxy_hops(self) -> int:
        """How many proxies in front of the web app to believe about the client (OKRBOARD_PROXY_HOPS, default 0)."""
        value = (self.proxy_hops or "").strip()
        if not value:
            return 0
        if not re.fullmatch(r"[0-9]{1,2}", value) or int(value) > MAX_PROXY_HOPS:
            raise OkrError(
                f"OKRBOARD_PROXY_HOPS must be a whole number from 0 to {MAX_PROXY_HOPS} (how many proxies in front "
                f"of the web app add X-Forwarded-For; 0 when clients reach it directly), got {self.proxy_hops!r}."
            )
        return int(value)

    @property
    def clock_skew_seconds(self) -> float:
        """The skew window of sync conflicts in seconds (OKRBOARD_CLOCK_SKEW, default 120); refuses a bad value."""
        if self.clock_skew is None or not self.clock_skew.strip():
            from addon.domain.sync.merge import DEFAULT_CLOCK_SKEW_SECONDS  # the sync's own default (DESIGN §5)

            return DEFAULT_CLOCK_SKEW_SECONDS
        try:
            seconds = float(self.clock_skew)
        except ValueError:
            seconds = math.nan
        if not 0 <= seconds <= MAX_CLOCK_SKEW_SECONDS:
            raise OkrError(
                f"OKRBOARD_CLOCK_SKEW must be a number of seconds from 0 to {MAX_CLOCK_SKEW_SECONDS:.0f} (how far "
                f"Miro's clock and this machine's may disagree), got {self.clock_skew!r}."
            )
        return seconds

    @property
    def store_url(self) -> str:
        """The database URL, defaulting to a SQLite file in the instance folder."""
        if self.database_url:
            return self.database_url
        self.instance_path.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{(self.instance_path / 'okrboard.sqlite3').resolve()}"


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read settings from the environment, after loading `.env` from the working directory if present."""
    if environ is None:
        from dotenv import load_dotenv

        load_dotenv(override=False)
        environ = dict(os.environ)
    get = environ.get
    return Settings(
        instance_path=Path(get("OKRBOARD_INSTANCE_PATH", "instance")),
        database_url=get("OKRBOARD_DATABASE_URL") or None,
        tenant_id=get("OKRBOARD_TENANT", "local"),
        miro_api_url=get("MIRO_API_URL", DEFAULT_MIRO_API_URL),
        miro_auth_url=get("MIRO_AUTH_URL", DEFAULT_MIRO_AUTH_URL),
        miro_access_token=get("MIRO_ACCESS_TOKEN") or None,
        miro_client_id=get("MIRO_CLIENT_ID") or None,
        miro_client_secret=get("MIRO_CLIENT_SECRET") or None,
        miro_redirect_uri=get("MIRO_REDIRECT_URI") or None,
        token_keys=_split(get("OKRBOARD_TOKEN_KEYS")),
        secret_key=get("OKRBOARD_SECRET_KEY") or None,
        redis_url=get("REDIS_URL") or None,
        panel_ancestors=get("OKRBOARD_PANEL_ANCESTORS") or DEFAULT_PANEL_ANCESTORS,
        miro_sdk_url=get("OKRBOARD_MIRO_SDK_URL") or DEFAULT_MIRO_SDK_URL,
        clock_skew=get("OKRBOARD_CLOCK_SKEW"),
        proxy_hops=get("OKRBOARD_PROXY_HOPS"),
    )
