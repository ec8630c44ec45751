"""`okrboard demo`: the whole loop with no account and no setup, on an in-process Miro emulator and SQLite."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from addon.adapters.board_layouts import load_layout
from addon.adapters.miro_gateway import MiroGateway, miro_item
from addon.adapters.store import Store
from addon.demo.team import TeamMember
from addon.domain.board.layout import plan_board
from addon.domain.method.rules import check_cycle
from addon.services.checkin import CheckinResult, record_checkin
from addon.services.cycles import cycle_view, import_plan_file
from addon.services.generation.generator import BoardGenerator, GenerationSummary
from addon.services.sync_board import SyncResult, cycle_conflicts, sync_cycle
from addon.services.track import start_tracking

SAMPLE_PLANS = {"en": "company-q1.yaml", "fr": "entreprise-t1-fr.yaml"}
TENANT = "demo"


def sample_plan(language: str) -> Path:
    """Return the sample plan of a language, from the source tree or from the installed package."""
    name = SAMPLE_PLANS[language]
    package = Path(__file__).resolve().parents[1]  # addon/
    for folder in (package.parent / "examples", package / "examples"):
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
    sync: SyncResult | None = None
    checkin: CheckinResult | None = None
    files: dict[str, Path] = field(default_factory=dict)
    steps: list[str] = field(default_factory=list)


def run_demo(out: Path, language: str = "en", say=print) -> DemoResult:
    """Run the demo loop, writing its store and pictures into `out`."""
    from board_picture import render_board
    from miro_client import MiroClient
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
        say(
            f"Imported the sample plan {plan.name} as cycle {cycle.id} ({cycle.name}): "
            f"{len(cycle.objectives)} objectives, {sum(len(o.key_results) for o in cycle.objectives)} key results, "
            f"{len(findings)} rule findings."
        )
        generation = BoardGenerator(store, TENANT, gateway).run(str(cycle.id), language=language)
        usage = generation.usage
        say(
            f"Generated board {generation.board_id}: {generation.created} items in {usage['requests']} API calls "
            f"({usage['credits']} credits), {generation.seconds:.2f} s."
        )
        tracking = start_tracking(store, TENANT, str(cycle.id), gateway)
        say(f"Started tracking: {tracking.moved} key-result cards moved to the Kanban's first column.")
        result = DemoResult(
            out=out,
            cycle_id=cycle.id,
            board_id=generation.board_id,
            generation=generation,
            moved_to_kanban=tracking.moved,
        )
        play_a_checkin(store, miro, gateway, result, say)
        result.sync = sync_cycle(store, TENANT, str(cycle.id), gateway)
        from addon.cli.sync import sync_lines

        say("Synced the board into the store:")
        for line in sync_lines(result.sync):
            say(f"  {line}")
        with store.unit(TENANT) as uow:
            first_checkin = uow.cycles.get(cycle.id).checkin_dates[0]
        result.checkin = record_checkin(
            store, TENANT, str(cycle.id), gateway, on=first_checkin, note="First check-in of the demo", sync=False
        )
        say(
            f"Recorded check-in {result.checkin.number} on {result.checkin.on}: "
            f"{result.checkin.log_cells} cells of the board's check-in log filled."
        )
        for snap in result.checkin.snapshots:
            value = "-" if snap.value is None else f"{snap.value:g}"
            say(f"  {snap.ref:7} {snap.status:12} value {value:>6}  score {snap.score:.2f}")
        items = [miro_item(item) for item in gateway.iter_items(generation.board_id)]
        for fmt in ("png", "svg"):
            path = out / f"board.{fmt}"
            render_board(items, str(path))  # the header frame shows the cycle's name once
            result.files[f"board_{fmt}"] = path
        (out / "board-items.json").write_text(json.dumps(items, indent=1), encoding="utf-8")
        result.files["board_items"] = out / "board-items.json"
        with store.unit(TENANT) as uow:
            stored = uow.cycles.get(cycle.id)
        view = cycle_view(stored, check_cycle(stored), cycle_conflicts(store, TENANT, cycle.id), today=first_checkin)
        (out / "cycle.json").write_text(json.dumps(view, indent=1, ensure_ascii=False), encoding="utf-8")
        result.files["cycle_json"] = out / "cycle.json"
        write_reports(store, gateway, cycle.id, first_checkin, out, result)
        say("Wrote the report as HTML, CSV, JSON and Markdown.")
    store.close()
    result.files["store"] = database
    return result


def write_reports(store: Store, gateway: MiroGateway, cycle_id: int, today, out: Path, result: DemoResult) -> None:
    """Write the cycle's report in the four formats (synced first, as `okrboard report` does)."""
    from addon.cli.report import render, write_atomically
    from addon.services.report import load_report

    made = load_report(store, TENANT, str(cycle_id), gateway, today=today)
    for fmt, name in (("html", "report.html"), ("csv", "report.csv"), ("json", "report.json"), ("md", "report.md")):
        write_atomically(out / name, render(made, fmt))
        result.files[f"report_{fmt}"] = out / name


def play_a_checkin(store: Store, miro, gateway: MiroGateway, result: DemoResult, say=print) -> None:
    """Ben, a team member, works on the board: moves cards, types values, adds ideas, and one bad score."""
    from miro_client import MiroClient

    with store.unit(TENANT) as uow:
        cycle = uow.cycles.get(result.cycle_id)
        board = uow.boards.latest_board(cycle.id)
        ids = {key: entry.miro_item_id for key, entry in uow.boards.entries(board.id).items()}
    ben = miro.state.find_user("Ben")
    gateway.client.share_board(result.board_id, emails=[ben.email], role="editor")
    plan = plan_board(cycle, load_layout(), language=board.language)
    with MiroClient(miro.add_token("Ben"), base_url=miro.base_url) as client:
        team = TeamMember(client, result.board_id, plan, ids)
        team.move_card_to_column("KR1.1", "done")
        team.type_on_card("KR1.1", "Current: 4")
        team.move_card_to_column("KR1.2", "in_progress")
        team.type_on_card("KR1.2", "Current: 22")
        team.move_card_to_column("KR2.2", "in_progress", slot=1)
        team.move_card_to_column("KR3.3", "at_risk")
        team.type_on_card("KR2.1", "Score: abc")
        team.idea_in_matrix("KR1.1", "Co-host a webinar with a partner bank", impact=8.5, effort=2)
        team.idea_in_matrix("KR1.1", "Build a custom integration for one prospect", impact=2, effort=9)
        team.note_in_area("retro:worked", "frame:retro", "Weekly partner calls")
    say(
        "Ben (a team member) moved 4 cards across the Kanban, typed values on 3 cards (one bad score), "
        "added 2 ideas to a matrix and a retrospective note."
    )
