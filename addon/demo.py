"""`okrboard demo`: the whole loop with no account and no setup, on an in-process Miro emulator and SQLite."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from addon.adapters.miro_gateway import MiroGateway
from addon.adapters.store import Store
from addon.services.cycles import import_plan_file
from addon.services.generate_board import BoardGenerator, GenerationSummary
from addon.services.track import start_tracking

SAMPLE_PLANS = {"en": "company-q1.yaml", "fr": "entreprise-t1-fr.yaml"}
TENANT = "demo"


def sample_plan(language: str) -> Path:
    """Return the sample plan of a language, from the source tree or from the installed package."""
    name = SAMPLE_PLANS[language]
    for folder in (Path(__file__).resolve().parent.parent / "examples", Path(__file__).resolve().parent / "examples"):
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(f"sample plan {name} is not installed")


@dataclass
class DemoResult:
    """Where the demo's files are and what it did."""

    out: Path
    cycle_id: int
    board_id: str
    generation: GenerationSummary
    moved_to_kanban: int
    files: dict[str, Path] = field(default_factory=dict)
    steps: list[str] = field(default_factory=list)


def run_demo(out: Path, language: str = "en", say=print) -> DemoResult:
    """Run the demo loop, writing its store and pictures into `out`."""
    from miro_client import MiroClient
    from miro_client.board_picture import render_board
    from miro_emulator.testing import EmulatorServer

    out.mkdir(parents=True, exist_ok=True)
    database = out / "okrboard.sqlite3"
    for stale in out.glob("okrboard.sqlite3*"):
        stale.unlink()
    store = Store.open(f"sqlite:///{database.resolve()}")
    with EmulatorServer() as miro:
        say(f"Miro emulator running at {miro.base_url}")
        gateway = MiroGateway(MiroClient(miro.token, base_url=miro.base_url))
        plan = sample_plan(language)
        shutil.copy(plan, out / plan.name)
        cycle, findings = import_plan_file(plan, store, TENANT)
        say(f"Imported the sample plan {plan.name} as cycle {cycle.id} ({cycle.name}): "
            f"{len(cycle.objectives)} objectives, {sum(len(o.key_results) for o in cycle.objectives)} key results, "
            f"{len(findings)} rule findings.")
        generation = BoardGenerator(store, TENANT, gateway).run(str(cycle.id), language=language)
        usage = generation.usage
        say(f"Generated board {generation.board_id}: {generation.created} items in {usage['requests']} API calls "
            f"({usage['credits']} credits), {generation.seconds:.2f} s.")
        tracking = start_tracking(store, TENANT, str(cycle.id), gateway)
        say(f"Started tracking: {tracking.moved} key-result cards moved to the Kanban's first column.")
        items = list(gateway.iter_items(generation.board_id))
        result = DemoResult(out=out, cycle_id=cycle.id, board_id=generation.board_id, generation=generation,
                            moved_to_kanban=tracking.moved)
        for fmt in ("png", "svg"):
            path = out / f"board.{fmt}"
            render_board(items, str(path), title=cycle.name)
            result.files[f"board_{fmt}"] = path
        (out / "board-items.json").write_text(json.dumps(items, indent=1), encoding="utf-8")
        result.files["board_items"] = out / "board-items.json"
    store.close()
    result.files["store"] = database
    return result
