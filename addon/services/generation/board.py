"""Which board a generation writes to: the cycle's board to resume, a given Miro board, or a new one.

A new board carries a unique marker in its description, so when Miro's answer to its creation is lost the board
is found by listing the user's boards instead of being created twice.
"""

from __future__ import annotations

from addon.domain.method.model import Cycle
from addon.services.generation.job import BoardTarget, GenerationError
from addon.services.ownership import check_claimable, check_owned, claim, new_marker
from addon.services.ports import BoardError, BoardGateway, BoardInfo, BoardOutcomeUnknown, BoardRecord, Store

BOARD_ATTEMPTS = 3  # board creations tried when Miro's answer is lost and the board is not there
BOARD_LOOKUPS = 3  # listings of the user's boards to find one whose creation was not confirmed
DESCRIPTION_LIMIT = 300  # Miro's limit on a board description
LANGUAGES = {"en": "English", "fr": "French"}


def known_board(
    store: Store, tenant: str, gateway: BoardGateway, cycle: Cycle, board: str | None, language: str | None
) -> tuple[BoardTarget | None, str]:
    """Return the board to resume or the given Miro board (None when a new one is needed) and its language.

    A given board must belong to no other cycle (it is claimed with the cycle's marker); a board to resume must
    still carry the cycle's marker; `language` (from `--lang`) must be the language of a board that exists."""
    with store.unit(tenant) as uow:
        if board not in (None, "new"):
            found = gateway.get_board(board)
            record = check_claimable(uow, tenant, cycle, found)
            if record is None:
                marker = new_marker(tenant, cycle.id)
                record = uow.boards.add_board(cycle.id, board, found.view_link, language or cycle.language, marker)
                claim(gateway, found, marker)
            return _target(record), _language(cycle, record, language)
        record = uow.boards.latest_board(cycle.id) if board is None else None
        if record is None:
            return None, language or cycle.language
        upgraded = check_owned(uow, tenant, record, gateway.get_board(record.miro_board_id))
        if upgraded:
            uow.boards.set_marker(record.id, upgraded)
        return _target(record), _language(cycle, record, language)


def _target(record: BoardRecord) -> BoardTarget:
    return BoardTarget(record.id, record.miro_board_id, record.view_link)


def _language(cycle: Cycle, record: BoardRecord, language: str | None) -> str:
    """A board keeps the language it was made in: a different `--lang` is refused with the way to get one."""
    if language is None or language == record.language:
        return record.language
    has, wanted = LANGUAGES.get(record.language, record.language), LANGUAGES.get(language, language)
    raise GenerationError(
        f"Board {record.miro_board_id} of {cycle.name} is in {has}, and a board keeps the language it was made "
        f"in, so --lang {language} cannot apply to it; nothing was changed. For a {wanted} board run "
        f"`okrboard generate {cycle.id} --board new --lang {language}` (the {has} board then stops being synced)."
    )


def previous_board(store: Store, tenant: str, cycle: Cycle) -> str | None:
    """Return the Miro id of the board the cycle syncs with now, if any."""
    with store.unit(tenant) as uow:
        record = uow.boards.latest_board(cycle.id)
    return record.miro_board_id if record else None


def new_board(gateway: BoardGateway, tenant: str, cycle: Cycle) -> tuple[BoardInfo, str]:
    """Create the board carrying a fresh ownership marker (return it and the marker); when Miro's answer is
    lost, find it by that marker, which is unique."""
    for _attempt in range(BOARD_ATTEMPTS):
        marker = new_marker(tenant, cycle.id)
        # The marker must survive the description limit, or a lost answer would leave an unfindable board.
        about = f"OKR board of {cycle.name} ({cycle.start} to {cycle.end})."[: DESCRIPTION_LIMIT - len(marker) - 1]
        try:
            return gateway.create_board(cycle.name, f"{about} {marker}"), marker
        except BoardOutcomeUnknown:
            found = _find_board(gateway, marker)
        if found is not None:
            return found, marker
        # A complete listing without it: that attempt created nothing, so another one is safe.
    raise GenerationError("Miro did not confirm the new board and it cannot be found; run generate again")


def _find_board(gateway: BoardGateway, marker: str) -> BoardInfo | None:
    """List the user's boards for the marker, a few times if listing fails (it must not be guessed)."""
    for lookup in range(1, BOARD_LOOKUPS + 1):
        try:
            return gateway.find_board(marker)
        except BoardError:
            if lookup == BOARD_LOOKUPS:
                raise
    return None


def record_board(
    store: Store, tenant: str, cycle: Cycle, created: BoardInfo, language: str, marker: str
) -> BoardTarget:
    """Journal a board just created for a cycle, with its marker."""
    with store.unit(tenant) as uow:
        return _target(uow.boards.add_board(cycle.id, created.id, created.view_link, language, marker))
