"""A French cycle's refusals and closing messages are French through the CLI (the French example plan)."""

import json

from addon.domain.board import card_text
from miro_client import MiroClient
from tests.cli_kit import EXAMPLES, run, tracked_cycle

AFTER_MID_CYCLE = "2027-02-17"  # the cycle runs 2027-01-04 .. 2027-03-31: its first half ends on 2027-02-16
NEW_KR = ["--title", "Webinaires partenaires", "--target", "30", "--owner", "Hugo", "--due", "2027-03-20"]


def tracked_french_cycle(cli_env) -> str:
    return tracked_cycle(cli_env, "entreprise-t1-fr.yaml")


def show(cycle_id: str) -> dict:
    return json.loads(run("cycle", "show", cycle_id, "--format", "json").stdout)


def test_late_key_result_and_objective_changes_of_a_french_cycle_are_refused_in_french(cli_env):
    cycle = tracked_french_cycle(cli_env)
    before = show(cycle)["objectives"]
    late = ["--reason", "idée tardive", "--on", AFTER_MID_CYCLE]
    window = "Les résultats clés ne peuvent changer que jusqu'au 2027-02-16 (première moitié du cycle)"
    for args in (("add", cycle, "O1", *NEW_KR), ("replace", cycle, "KR1.2", *NEW_KR), ("remove", cycle, "KR1.3")):
        refused = run("kr", *args, *late)
        assert refused.exit_code == 1 and "Traceback" not in refused.output
        assert "Le changement est refusé : " in refused.output and window in refused.output, args
        assert "can change only" not in refused.output
    objective = run("objective", "update", cycle, "O1", "--title", "Devenir une référence", *late)
    assert objective.exit_code == 1
    assert "Les objectifs ne peuvent changer que jusqu'au 2027-02-16" in objective.output
    assert show(cycle)["objectives"] == before  # nothing changed


def test_a_full_objective_of_a_french_cycle_refuses_a_fourth_key_result_in_french(cli_env):
    cycle = tracked_french_cycle(cli_env)
    assert run("kr", "add", cycle, "O1", *NEW_KR, "--reason", "canal", "--on", "2027-01-20").exit_code == 0
    assert run("kr", "add", cycle, "O1", *NEW_KR, "--reason", "canal", "--on", "2027-01-20").exit_code == 0
    full = run("kr", "add", cycle, "O1", *NEW_KR, "--reason", "encore", "--on", "2027-01-20")
    assert full.exit_code == 1 and "L'objectif a déjà 5 résultats clés ; remplacez-en un." in full.output


def test_closing_a_french_cycle_and_starting_the_next_one_speak_french(cli_env):
    cycle = tracked_french_cycle(cli_env)
    assert run("kr", "update", cycle, "KR1.1", "--current", "2").exit_code == 0
    closed = run("close", cycle, "--on", "2027-03-31", "--no-sync")
    assert closed.exit_code == 0, closed.output
    assert "O1    0,13  engagement    non tenu" in closed.output
    assert "OKR GTM T1 2027 est clos et en lecture seule." in closed.output
    assert "is closed" not in closed.output and "commitment" not in closed.output

    refused = run("kr", "update", cycle, "KR1.1", "--current", "3")
    assert refused.exit_code == 1
    assert "OKR GTM T1 2027 a été clos le 2027-03-31 et est en lecture seule : commencez le suivant" in refused.output
    again = run("close", cycle, "--no-sync")
    assert again.exit_code == 1 and "a été clos le 2027-03-31" in again.output

    unknown = run("next-cycle", cycle, "--start", "2027-04-05", "--keep", "O9")
    assert unknown.exit_code == 1 and "--keep : O9 absent de OKR GTM T1 2027 (il a O1, O2, O3)." in unknown.output
    made = run("next-cycle", cycle, "--start", "2027-04-05", "--keep", "O1")
    assert made.exit_code == 0, made.output
    assert "du 2027-04-05 au 2027-07-04, 1 objectifs repris avec 3 résultats clés inachevés" in made.stderr
    follow = show(made.stdout.strip())
    reasons = [kr["changes"][0]["reason"] for kr in follow["objectives"][0]["key_results"]]
    assert reasons == [
        "repris de OKR GTM T1 2027 KR1.1",
        "repris de OKR GTM T1 2027 KR1.2",
        "repris de OKR GTM T1 2027 KR1.3",
    ]


def test_next_cycle_of_an_open_french_cycle_is_refused_in_french(cli_env):
    cycle = tracked_french_cycle(cli_env)
    refused = run("next-cycle", cycle, "--start", "2027-04-05")
    assert refused.exit_code == 1
    assert f"OKR GTM T1 2027 n'est pas clos : lancez d'abord `okrboard close {cycle}`." in refused.output


def tracked_french_board(miro, monkeypatch, ref: str) -> tuple[str, str, MiroClient, dict]:
    """Import, generate and track the French example on the emulator; return (cycle, board, client, card of ref)."""
    monkeypatch.setenv("MIRO_API_URL", miro.base_url)
    monkeypatch.setenv("MIRO_ACCESS_TOKEN", miro.token)
    cycle = run("cycle", "import", str(EXAMPLES / "entreprise-t1-fr.yaml")).stdout.strip()
    assert run("generate", cycle).exit_code == 0 and run("track", cycle).exit_code == 0
    [board] = miro.state.boards
    client = MiroClient(miro.token, base_url=miro.base_url)
    card = next(
        i for i in client.iter_items(board, type="card") if card_text.plain_text(i["data"]["title"]).startswith(ref)
    )
    return cycle, board, client, card


def test_a_card_problem_on_a_french_board_is_said_in_french_by_sync_and_the_report(cli_env, miro, monkeypatch):
    cycle, board, client, card = tracked_french_board(miro, monkeypatch, "KR2.1")
    client.update_card(board, card["id"], data={"description": "<p>Cible : oui · Actuel : ? · Score : abc</p>"})
    synced = run("sync", cycle)
    problem = "KR2.1 : Score : « abc » n'est pas un score (écrivez 0,7 ou 70 %). La valeur enregistrée est inchangée."
    assert problem in synced.output and "is not a score" not in synced.output
    report = run("report", cycle, "--format", "md", "--no-sync").stdout
    assert f"- {problem}" in report


def test_a_french_cards_unreadable_number_is_said_wholly_in_french_until_its_note_goes(cli_env, miro, monkeypatch):
    cycle, board, client, card = tracked_french_board(miro, monkeypatch, "KR1.1")
    client.update_card(board, card["id"], data={"description": "<p>Actuel : 1e5</p>"})
    synced = run("sync", cycle).output
    said = "Actuel : « 1e5 » n'est pas un nombre (écrivez-le comme 6\u00a0500,5)."
    assert f"KR1.1 : {said} La valeur enregistrée est inchangée." in synced and "is not a number" not in synced

    miro.set_clock_offset(601)  # left alone ten minutes by Miro's clock: the card gets its ⚠ note, in French
    assert run("sync", cycle).exit_code == 0
    note = "Actuel « 1e5 » n'est pas un nombre (écrivez-le comme 6 500,5). La valeur enregistrée est gardée."
    shown = card_text.plain_text(client.get_item(board, card["id"])["data"]["description"]).split("\n")
    assert " ".join(shown[-1].split()) == f"⚠ {note}"  # the no-break space reads as a space
    report = " ".join(run("report", cycle, "--format", "md", "--no-sync").stdout.split())
    assert f"KR1.1 : noté sur la carte : {note}" in report and "not a number" not in report
    refused = run("kr", "update", cycle, "KR1.1", "--current", "1e5")  # the command line keeps its English words
    assert refused.exit_code != 0 and "'1e5' is not a number (write it like 6\u00a0500,5)" in refused.output
