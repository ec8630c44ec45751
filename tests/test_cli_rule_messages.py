"""A French cycle's rule messages are French in `plan validate` and `cycle show`, English in an English one."""

import json
from pathlib import Path

from tests.cli_kit import EXAMPLES, run


def french_plan_with_problems(folder: Path) -> Path:
    """The French example plan with an objective that states a number and a key result without an owner."""
    text = (EXAMPLES / "entreprise-t1-fr.yaml").read_text(encoding="utf-8")
    text = text.replace("title: Gagner la confiance des équipes conformité", "title: Gagner 3 équipes conformité")
    text = text.replace("unit: partenaires, owner: Hugo,", "unit: partenaires,")
    path = folder / "fr.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_plan_validate_of_a_french_plan_says_the_rules_in_french(cli_env, tmp_path):
    plan = french_plan_with_problems(tmp_path)
    result = run("plan", "validate", str(plan), "--format", "json")
    messages = {(f["rule"], f["ref"]): f["message"] for f in json.loads(result.stdout)}
    assert messages[("M3", "O2")] == (
        "L'objectif « Gagner 3 équipes conformité » contient un chiffre ; gardez les chiffres pour ses résultats clés."
    )
    assert messages[("M7", "KR1.1")] == "Le résultat clé « Partenaires de conception signés » n'a pas de responsable."
    assert result.exit_code == 1  # M7 is an error: the plan cannot start tracking


def test_cycle_show_of_a_french_cycle_lists_its_findings_in_french(cli_env, tmp_path):
    cycle = run("cycle", "import", str(french_plan_with_problems(tmp_path))).stdout.strip()
    shown = json.loads(run("cycle", "show", cycle, "--format", "json").stdout)
    assert any(f["message"].startswith("L'objectif « Gagner 3") for f in shown["findings"])
    text = run("cycle", "show", cycle).stdout
    assert "n'a pas de" in text and "has no owner" not in text


def test_an_english_cycle_keeps_its_rule_messages_in_english(cli_env, tmp_path):
    english = french_plan_with_problems(tmp_path).read_text(encoding="utf-8").replace("language: fr", "language: en")
    (tmp_path / "en.yaml").write_text(english, encoding="utf-8")
    result = run("plan", "validate", str(tmp_path / "en.yaml"), "--format", "json")
    messages = {(f["rule"], f["ref"]): f["message"] for f in json.loads(result.stdout)}
    assert messages[("M7", "KR1.1")] == "Key result 'Partenaires de conception signés' has no owner."
