"""Fault injection: seeded, reproducible failures of API requests (latency is applied by the pipeline).

Kinds: `5xx` (a server error, nothing applied), `429` (rate limited, nothing applied), `timeout` (the request is
held `timeout_seconds`, then the connection is dropped, nothing applied) and `lost` (the change IS applied, then
the response is lost: a 5xx or a dropped connection). The decision for the Nth request of a route ("METHOD
/route/{template}") depends only on (seed, route, N), so a seed fails the same requests of each route on every
run, also when clients send them concurrently and routes interleave differently. Scripted faults with `match`
count per route too; those without (`lost@7`: the 7th API request of any route) depend on arrival order.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import asdict, dataclass, field

KINDS = ("5xx", "429", "timeout", "lost")
SERVER_ERRORS = (500, 502, 503)


@dataclass
class ScriptedFault:
    """Fail the `nth` API request (1-based; counted among requests matching `match` when given) with `kind`."""

    nth: int
    kind: str
    match: str | None = None  # "METHOD /route/{template}", e.g. "POST /v2/boards/{board_id}/items/bulk"


@dataclass
class FaultSpec:
    """Random fault rates by kind plus scripted faults."""

    rates: dict[str, float] = field(default_factory=dict)
    script: list[ScriptedFault] = field(default_factory=list)

    def to_json(self) -> dict:
        """Return the spec as JSON-ready data."""
        return {"rates": dict(self.rates), "script": [asdict(item) for item in self.script]}

    @classmethod
    def from_json(cls, data: dict) -> FaultSpec:
        """Build a spec from `to_json` output; raises ValueError on bad input."""
        rates = {str(k): float(v) for k, v in (data.get("rates") or {}).items()}
        script = [ScriptedFault(int(s["nth"]), str(s["kind"]), s.get("match")) for s in data.get("script") or []]
        spec = cls(rates, script)
        spec.check()
        return spec

    def check(self) -> None:
        """Raise ValueError for unknown kinds, rates outside 0..1 or a total rate above 1."""
        for kind, rate in self.rates.items():
            if kind not in KINDS:
                raise ValueError(f"unknown fault kind {kind!r} (known: {', '.join(KINDS)})")
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"fault rate for {kind} must be within 0..1, got {rate}")
        if sum(self.rates.values()) > 1.0 + 1e-9:
            raise ValueError("fault rates add up to more than 1")
        for item in self.script:
            if item.kind not in KINDS or item.nth < 1:
                raise ValueError(f"bad scripted fault {item}")


def parse_faults(text: str) -> FaultSpec:
    """Parse `5xx=0.1,lost=0.05` (rates) and `lost@7` (fail the 7th API request) into a FaultSpec."""
    spec = FaultSpec()
    for part in filter(None, (p.strip() for p in text.split(","))):
        if "@" in part:
            kind, _, nth = part.partition("@")
            spec.script.append(ScriptedFault(int(nth), kind.strip()))
        elif "=" in part:
            kind, _, rate = part.partition("=")
            spec.rates[kind.strip()] = float(rate)
        else:
            raise ValueError(f"bad fault spec item {part!r}: use kind=rate or kind@N")
    spec.check()
    return spec


@dataclass(frozen=True)
class Fault:
    """One decided fault: `status` is the HTTP status to answer with, or None to drop the connection."""

    kind: str
    status: int | None


class FaultInjector:
    """Decides, per API request, whether and how it fails."""

    def __init__(self, spec: FaultSpec, seed: int):
        self.spec = spec
        self.seed = seed
        self._lock = threading.Lock()
        self.sequence = 0
        self._matched: Counter[str] = Counter()
        self.injected: Counter[str] = Counter()
        self._log: list[tuple[str, int, str]] = []

    def reset(self) -> None:
        """Restart the request sequence (scripted faults count from 1 again)."""
        with self._lock:
            self.sequence = 0
            self._matched.clear()
            self.injected.clear()
            self._log.clear()

    def injected_counts(self) -> dict[str, int]:
        """Return how many faults of each kind were injected since the last reset."""
        with self._lock:
            return dict(self.injected)

    def injected_requests(self) -> list[tuple[str, int, str]]:
        """Return (route, number of the request on that route, kind) of every fault since the last reset."""
        with self._lock:
            return list(self._log)

    def next(self, route_key: str) -> Fault | None:
        """Number the next API request and return its fault, if any."""
        with self._lock:
            self.sequence += 1
            seq = self.sequence
            self._matched[route_key] += 1
            matched = self._matched[route_key]
            kind = None
            for item in self.spec.script:
                if (item.match is None and item.nth == seq) or (item.match == route_key and item.nth == matched):
                    kind = item.kind
                    break
            if kind is None and not self.spec.rates:
                return None
            # A string seed is hashed with SHA-512: the same draws in every process, whatever PYTHONHASHSEED.
            rng = random.Random(f"{self.seed}:{route_key}:{matched}")
            if kind is None:
                draw, total = rng.random(), 0.0
                for candidate in KINDS:
                    total += self.spec.rates.get(candidate, 0.0)
                    if draw < total:
                        kind = candidate
                        break
            if kind is None:
                return None
            self.injected[kind] += 1
            self._log.append((route_key, matched, kind))
        if kind == "429":
            return Fault(kind, 429)
        if kind == "timeout":
            return Fault(kind, None)
        if kind == "lost":
            return Fault(kind, rng.choice((None, *SERVER_ERRORS)))
        return Fault(kind, rng.choice(SERVER_ERRORS))
