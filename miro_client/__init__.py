"""miro_client: a typed, rate-aware client for Miro's REST API v2 on requests.

from miro_client import MiroClient
client = MiroClient("ACCESS_TOKEN")
board = client.create_board(name="OKRs")
"""

from .client import DEFAULT_BASE_URL, DEFAULT_TIMEOUT, MiroClient
from .endpoints import OPERATIONS, Operation
from .errors import (
    BadRequest,
    Conflict,
    Forbidden,
    MiroAPIError,
    MiroBulkCreateError,
    MiroConnectionError,
    MiroCreateOutcomeUnknown,
    MiroError,
    MiroTimeout,
    MiroTransportError,
    NotFound,
    RateLimited,
    ServerError,
    Unauthorized,
    error_from_response,
)
from .limiter import DEFAULT_CONCURRENCY, AdaptiveLimiter
from .operations.bulk import BULK_CHUNK_SIZE
from .ratelimit import LEVEL_CREDITS, ClientStats, RateLimitState, Throttle
from .retry import Retrying, RetryPolicy, full_jitter
from .types import ConnectorEnd, Geometry, ItemCreate, Parent, Position

__all__ = [
    "BULK_CHUNK_SIZE",
    "DEFAULT_BASE_URL",
    "DEFAULT_CONCURRENCY",
    "DEFAULT_TIMEOUT",
    "LEVEL_CREDITS",
    "OPERATIONS",
    "AdaptiveLimiter",
    "BadRequest",
    "ClientStats",
    "Conflict",
    "ConnectorEnd",
    "Forbidden",
    "Geometry",
    "ItemCreate",
    "MiroAPIError",
    "MiroBulkCreateError",
    "MiroClient",
    "MiroConnectionError",
    "MiroCreateOutcomeUnknown",
    "MiroError",
    "MiroTimeout",
    "MiroTransportError",
    "NotFound",
    "Operation",
    "Parent",
    "Position",
    "RateLimitState",
    "RateLimited",
    "RetryPolicy",
    "Retrying",
    "ServerError",
    "Throttle",
    "Unauthorized",
    "error_from_response",
    "full_jitter",
]
