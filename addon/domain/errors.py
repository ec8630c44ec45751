"""The errors the app raises to say no to a person: every one carries a message fit to show as it is."""

from __future__ import annotations


class OkrError(Exception):
    """Base class of every error the domain and the services raise (a clear message, never a trace)."""


class PlanError(OkrError):
    """A plan file that cannot be read, parsed or validated; `problems` lists `path: message` lines."""

    def __init__(self, source: str, problems: list[str]):
        super().__init__(f"{source}: " + "; ".join(problems))
        self.source = source
        self.problems = problems
