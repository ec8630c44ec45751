"""The emulator instance behind a Flask app, and helpers the route modules share."""

from __future__ import annotations

import json
import threading
from collections import Counter

from flask import current_app, g, request

from miro_emulator.bulk import BulkItemValidator
from miro_emulator.config import EmulatorConfig
from miro_emulator.errors import invalid, not_found, payload_too_large
from miro_emulator.faults import FaultInjector
from miro_emulator.policy import require
from miro_emulator.races import ItemLog, RaceScript
from miro_emulator.ratelimit import CreditLimiter
from miro_emulator.seed import DEFAULT_USER_ID
from miro_emulator.state import Store
from miro_emulator.validation import BodyValidator

# The deepest body Miro documents has five levels (bulk list > item > data > fields > field). 100 leaves room for
# any client and stays far below Python's recursion limit, so no later step (validation, copies, JSON output)
# can overflow on a body that was accepted.
MAX_JSON_DEPTH = 100


class Emulator:
    """Config, state, validator, rate limiter, fault injector and request counters of one emulator."""

    def __init__(self, config: EmulatorConfig):
        self.config = config
        self.store = Store(seed=config.seed, clock=self.now)
        self.validator = BodyValidator(
            reject_unknown=config.reject_unknown_fields, lenient_numbers=config.lenient_numbers
        )
        self.bulk_validator = BulkItemValidator(self.validator)
        self.limiter = CreditLimiter(config.credits_per_minute, config.clock)
        self.faults = FaultInjector(config.fault_spec(), config.seed)
        self.requests: Counter[str] = Counter()
        self.races = RaceScript()  # teammates' edits scripted between a listing and the next request
        self.item_log = ItemLog()  # who read or wrote which item
        self._count_lock = threading.Lock()
        self.default_user_id = config.default_user_id or DEFAULT_USER_ID
        self.install_fixed_tokens()

    def now(self) -> float:
        """Miro's time: the configured clock plus the clock offset (read at each call, so it can change)."""
        return self.config.clock() + self.config.clock_offset

    def install_fixed_tokens(self) -> None:
        """Register the configured fixed tokens (non-expiring, the default app's scopes)."""
        for token, user_ref in self.config.tokens.items():
            user = self.store.find_user(user_ref)
            if user is None:
                raise ValueError(f"--token/--user-token names an unknown user: {user_ref}")
            self.store.issue_token(user.id, self.config.client_id, self.config.scopes, access_token=token)

    def count(self, route_key: str) -> None:
        """Count one API request by method and route template."""
        with self._count_lock:
            self.requests[route_key] += 1

    def request_counts(self) -> dict[str, int]:
        """Return a copy of the request counters."""
        with self._count_lock:
            return dict(sorted(self.requests.items()))

    def reset(self, state: bool = False) -> None:
        """Reset counters, credits and the fault sequence; with `state`, delete all boards too."""
        with self._count_lock:
            self.requests.clear()
        self.limiter.reset()
        self.faults.reset()
        self.races.clear()
        self.item_log.reset()
        if state:
            self.store.clear_boards()


def emulator() -> Emulator:
    """Return the emulator of the current app."""
    return current_app.extensions["miro_emulator"]


def base_url() -> str:
    """Return the URL the client used to reach the emulator, without a trailing slash."""
    return request.host_url.rstrip("/")


def _nested_deeper_than(value, limit: int) -> bool:
    """Return True when arrays/objects in `value` nest deeper than `limit` (iterative: no recursion limit)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def json_body(required: bool = True):
    """Return the parsed JSON body (any content type, see docs/emulator.md) or raise Miro's 400."""
    if "body" in g:
        return g.body
    raw = request.get_data(cache=True)
    limit = emulator().config.max_body_bytes
    if request.content_length is None and len(raw) >= limit:
        # A body sent without Content-Length (chunked) is read up to the limit only: reaching it means too big.
        raise payload_too_large(limit)
    if not raw.strip():
        if required:
            raise invalid("Request body is required", "body")
        return None
    too_deep = f"Request body is not valid JSON: arrays and objects nested deeper than {MAX_JSON_DEPTH} levels"
    try:
        body = json.loads(raw)
    except RecursionError:
        raise invalid(too_deep, "body") from None
    except ValueError:
        raise invalid("Request body is not valid JSON", "body") from None
    if _nested_deeper_than(body, MAX_JSON_DEPTH):
        raise invalid(too_deep, "body")
    g.body = body
    return body


def optional_body():
    """Return the JSON body, or {} when there is none (board create and copy); any other JSON, `null` included,
    is returned as is for the validator to refuse when it is not an object."""
    body = json_body(required=False)
    if body is None and not request.get_data(cache=True).strip():
        return {}
    return body


def board_for(board_id: str, need: str = "read"):
    """Return the board if the current user's role allows `need`, else raise 404/403 as Miro does."""
    board = emulator().store.boards.get(board_id)
    if board is None:
        raise not_found(f"Board {board_id} not found")
    g.role = require(board, g.user, need)
    return board


def item_of(board, item_id: str, item_type: str | None = None):
    """Return an item of the board (of the given type when the endpoint is typed) or raise 404."""
    item = board.items.get(item_id)
    if item is None or (item_type and item.type != item_type):
        raise not_found(f"Item {item_id} not found")
    return item


def int_arg(name: str, default: int, low: int, high: int) -> int:
    """Parse an integer query parameter within bounds (e.g. `limit`) or raise Miro's 400."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid(f"Parameter [{name}] must be an integer, got {raw!r}", name) from None
    if not low <= value <= high:
        raise invalid(f"Parameter [{name}] must be between {low} and {high}, got {value}", name)
    return value
