"""Load board layout files (YAML) that the layout turns into a board plan, validated by `layout_schema`.

Generation and every sync read the bundled layout. Validating it needs PyYAML and marshmallow, which cost a
process about 50 ms to import, so a bundled layout once validated is kept as JSON in `__pycache__` beside it,
the way Python keeps bytecode, under a key that changes with the file, with the schema module and with the
constants the schema checks against.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from addon.domain.board.layout import BLOCK_ORDER, STICKY_ASPECT

LAYOUTS_DIR = Path(__file__).resolve().parent.parent / "board_layouts"
CACHE_DIR = LAYOUTS_DIR / "__pycache__"
VALIDATOR = Path(__file__).with_name("layout_schema.py")
# Miro's named sticky-note colours, the only ones a layout may give sticky notes.
STICKY_COLOURS = (
    "gray",
    "light_yellow",
    "yellow",
    "orange",
    "light_green",
    "green",
    "dark_green",
    "cyan",
    "light_pink",
    "pink",
    "violet",
    "red",
    "light_blue",
    "blue",
    "dark_blue",
    "black",
)


class TemplateError(ValueError):
    """A template file that cannot be used; `problems` lists each one as `field.path: message`."""

    def __init__(self, source: str, problems: list[str]):
        super().__init__(f"Board template {source} is invalid:\n  " + "\n  ".join(problems))
        self.problems = problems


def validate_template(document, source: str = "<template>") -> dict:
    """Validate a parsed template document and return it; raise TemplateError naming each bad field."""
    from addon.adapters.layout_schema import validate_template as validate

    return validate(document, source)


def template_path(name_or_path: str | Path) -> Path:
    """Return the file of a bundled template name (`gtm`) or of a path to a YAML file."""
    text = str(name_or_path)
    if re.fullmatch(r"[a-z0-9_-]+", text):
        return LAYOUTS_DIR / f"{text}.yaml"
    return Path(text)


def _cache_file(path: Path, text: str) -> Path | None:
    """Where a bundled layout's validated form is kept (None for a layout file of the user's own)."""
    if path.resolve().parent != LAYOUTS_DIR:
        return None
    key = hashlib.sha256(text.encode())
    key.update(VALIDATOR.read_bytes())
    key.update(repr((BLOCK_ORDER, STICKY_ASPECT, STICKY_COLOURS)).encode())  # the schema checks against these
    return CACHE_DIR / f"{path.stem}.{key.hexdigest()[:16]}.json"


# The template's sections (layout_schema.TemplateSchema's fields; a test keeps the two lists equal).
SECTIONS = frozenset(
    "name languages board fonts cards stickies colours header objectives kanban matrix log retro rollup labels".split()
)


def _read_cache(cached: Path) -> dict | None:
    try:
        layout = json.loads(cached.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # not there yet, or unreadable: validate again
        return None
    # A file of another shape (cut short by a full disk, or written by hand) is not trusted: validate again.
    return layout if isinstance(layout, dict) and layout.keys() == SECTIONS else None


def _write_cache(cached: Path, layout: dict) -> None:
    try:
        CACHE_DIR.mkdir(exist_ok=True)
        for stale in CACHE_DIR.glob(cached.name.split(".")[0] + ".*.json"):
            stale.unlink(missing_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(layout), encoding="utf-8")
        os.replace(partial, cached)  # readers see the whole file or none
    except OSError:  # a read-only install: every process validates, as without the cache
        pass


def _parse(path: Path, text: str):
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's loader when it is installed
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as error:
        raise TemplateError(str(path), [f"template: not valid YAML: {error}"]) from None


def load_layout(name_or_path: str | Path = "gtm") -> dict:
    """Read and validate a board template by bundled name or file path."""
    path = template_path(name_or_path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TemplateError(
            str(path), [f"template: no such file (bundled: {', '.join(available_templates())})"]
        ) from None
    cached = _cache_file(path, text)
    layout = _read_cache(cached) if cached else None
    if layout is None:
        layout = validate_template(_parse(path, text), str(path))
        if cached:
            _write_cache(cached, layout)
    return layout


def available_templates() -> list[str]:
    """Return the names of the bundled templates."""
    return sorted(path.stem for path in LAYOUTS_DIR.glob("*.yaml"))


def available_languages(template: dict | str | Path = "gtm") -> list[str]:
    """Return the languages a template (a loaded dict, a bundled name or a path) has every label in."""
    loaded = template if isinstance(template, dict) else load_layout(template)
    return list(loaded["languages"])
