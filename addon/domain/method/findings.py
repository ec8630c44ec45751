"""A rule finding: a stable rule id, a severity, the ref it concerns and its message in any catalogued language."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

from addon.domain.method.rule_messages import render


class Severity(enum.StrEnum):
    """How much a finding matters: an error blocks an action, a warning is shown, info informs."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    """One rule finding about a cycle, an objective (O2) or a key result (KR2.3).

    `message` is in the language the cycle was checked in; `key` and `params` name the catalogue entry it was
    written from (`rule_messages.MESSAGES`), so that `text` can say it in another language.
    """

    rule: str
    severity: Severity
    ref: str
    message: str
    key: str = ""
    params: tuple[tuple[str, object], ...] = ()

    def text(self, language: str) -> str:
        """Return the message in a language (the stored message when the finding has no catalogue entry)."""
        return render(self.key, language, dict(self.params)) if self.key else self.message

    def in_language(self, language: str) -> Finding:
        """Return the same finding with its message in a language."""
        return replace(self, message=self.text(language))

    def as_dict(self) -> dict:
        """Return the finding as plain JSON-ready values."""
        return {"rule": self.rule, "severity": str(self.severity), "ref": self.ref, "message": self.message}


def finding(rule: str, severity: Severity, ref: str, key: str, **params) -> Finding:
    """Return a finding written from the catalogue entry `key`, its message in English until localised."""
    return Finding(rule, severity, ref, render(key, "en", params), key, tuple(sorted(params.items())))


def errors(findings: list[Finding]) -> list[Finding]:
    """Return the findings that block an action."""
    return [f for f in findings if f.severity is Severity.ERROR]
