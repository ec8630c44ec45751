"""What the command-line tests share: running `okrboard` in process and a company board on the emulator."""

from pathlib import Path

from click.testing import CliRunner

from addon.adapters.store import Store
from addon.cli import main
from addon.domain.board import card_text
from addon.domain.method.model import CycleStatus
from miro_client import MiroClient

EXAMPLES = Path(__file__).parent.parent / "examples"


def run(*args):
    """Run `okrboard ARGS` in process, letting exceptions through (a traceback is a failure, not an answer)."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def company_board(miro, monkeypatch, *, track: bool) -> tuple[str, str]:
    """Point the CLI at the emulator, import and generate the company plan (and track it); return the cycle and
    board ids."""
    monkeypatch.setenv("MIRO_API_URL", miro.base_url)
    monkeypatch.setenv("MIRO_ACCESS_TOKEN", miro.token)
    cycle_id = run("cycle", "import", str(EXAMPLES / "company-q1.yaml")).stdout.strip()
    assert run("generate", cycle_id).exit_code == 0
    if track:
        assert run("track", cycle_id).exit_code == 0
    [board_id] = miro.state.boards
    return cycle_id, board_id


def tracked_cycle(cli_env, plan: str = "company-q1.yaml") -> str:
    """Import an example plan and mark it tracking in the store (no board); return the cycle id."""
    cycle_id = run("cycle", "import", str(EXAMPLES / plan)).stdout.strip()
    store = Store.open(f"sqlite:///{cli_env / 'instance' / 'okrboard.sqlite3'}")
    with store.unit("local") as uow:
        cycle = uow.cycles.get(int(cycle_id))
        cycle.status = CycleStatus.TRACKING
        uow.cycles.save(cycle)
    store.close()
    return cycle_id


def find_card(miro, board_id: str, ref: str) -> tuple[MiroClient, dict]:
    """Return a client on the emulator and the key-result card whose title starts with `ref` (e.g. KR2.1)."""
    client = MiroClient(miro.token, base_url=miro.base_url)
    card = next(
        i for i in client.iter_items(board_id, type="card") if card_text.plain_text(i["data"]["title"]).startswith(ref)
    )
    return client, card


def edit_card(miro, board_id: str, ref: str, description: str) -> None:
    """Type a new description on a card, as a teammate does on the board."""
    client, card = find_card(miro, board_id, ref)
    client.update_card(board_id, card["id"], data={"description": description})
