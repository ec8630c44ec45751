"""Create a board's items with Miro's official Python client, one request per item, as its README shows.

    python bench/official_client.py ITEMS.json

ITEMS.json: {"base_url", "token", "board": {"name", "description"}, "items": [{"key", "parent_key", "type",
"body"}]}, frames before their children, each body Miro's create body (a child's position relative to its frame).
Prints the new board's id. This process imports nothing of ours: it is what a script on `miro_api` does.
`miro_api` pins urllib3<2, so it lives apart in .venv/miro_api_pkgs (or MIRO_API_PATH), as in the tests.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

PACKAGES = Path(os.environ.get("MIRO_API_PATH") or Path(sys.prefix) / "miro_api_pkgs")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.splitlines()[2].strip(), file=sys.stderr)
        return 2
    spec = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    sys.path.append(str(PACKAGES))
    import miro_api
    from miro_api import models
    from miro_api.configuration import Configuration

    Configuration.get_default().host = spec["base_url"]
    api = miro_api.MiroApi(spec["token"])
    requests = {
        "frame": (api.create_frame_item, models.FrameCreateRequest),
        "card": (api.create_card_item, models.CardCreateRequest),
        "shape": (api.create_shape_item, models.ShapeCreateRequest),
        "text": (api.create_text_item, models.TextCreateRequest),
        "sticky_note": (api.create_sticky_note_item, models.StickyNoteCreateRequest),
    }
    board = api.create_board(models.BoardChanges(**spec["board"]))
    ids: dict[str, str] = {}
    for item in spec["items"]:
        create, request = requests[item["type"]]
        body = {key: value for key, value in item["body"].items() if key != "type"}
        if item["parent_key"] is not None:
            body["parent"] = {"id": ids[item["parent_key"]]}
        ids[item["key"]] = create(board.id, request.from_dict(body)).id
    print(board.id)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
