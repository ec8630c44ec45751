"""Write one benchmark's results into its own section of docs/benchmarks.md, leaving the others alone."""

from __future__ import annotations

import platform
import re
import statistics
from datetime import UTC, datetime
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
HEADER = (
    "# Benchmarks\n\nEach section is written by its script under `bench/`; the command that produced it is "
    "given in the section. Machines are shared and noisy: compare ratios measured side by side in one run, "
    "and medians over several runs.\n"
)


def median(values: list[float]) -> float:
    """Return the median of measurements."""
    return statistics.median(values)


def machine() -> str:
    """Describe the machine a result was measured on."""
    import os

    python = f"{platform.python_implementation()} {platform.python_version()}"
    return f"{python}, {os.cpu_count()} cores, {platform.machine()}"


def write_section(name: str, body: str, doc: Path = DOC) -> None:
    """Replace (or add) the section `name` of the benchmarks document with `body` (Markdown)."""
    doc.parent.mkdir(parents=True, exist_ok=True)
    text = doc.read_text(encoding="utf-8") if doc.exists() else HEADER
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = f"<!-- bench:{name} -->\n{body.strip()}\n\n_Measured {stamp} on {machine()}._\n<!-- /bench:{name} -->"
    pattern = re.compile(rf"<!-- bench:{re.escape(name)} -->.*?<!-- /bench:{re.escape(name)} -->", re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _match: section, text)
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    doc.write_text(text, encoding="utf-8")


def publish(name: str, body: str, *, write: bool = True) -> None:
    """Print a benchmark's Markdown and, unless asked not to, put it into its section of the document."""
    print(body)
    if write:
        write_section(name, body)
