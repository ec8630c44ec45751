"""The words of a report in each language a cycle may have (English, French).

Labels shared with the board (objective types, Kanban columns, quadrants, retrospective sections, rule names)
come from the board layout file so that a report and its board say the same thing.
"""

from __future__ import annotations

from functools import lru_cache

from addon.adapters.board_layouts import load_layout

LANGUAGES = ("en", "fr")

TEXT: dict[str, dict[str, str]] = {
    "title": {"en": "OKR report", "fr": "Rapport OKR"},
    "as_of": {"en": "State on {date}", "fr": "État au {date}"},
    "as_of_checkin": {"en": "State at check-in {number} ({date})", "fr": "État au point d'étape {number} ({date})"},
    "cycle_score": {"en": "Cycle score", "fr": "Score du cycle"},
    "scorecard": {"en": "Scorecard", "fr": "Tableau de bord"},
    "objective": {"en": "Objective", "fr": "Objectif"},
    "type": {"en": "Type", "fr": "Type"},
    "owner": {"en": "Owner", "fr": "Responsable"},
    "score": {"en": "Score", "fr": "Score"},
    "band": {"en": "Expected band", "fr": "Fourchette attendue"},
    "key_result": {"en": "Key result", "fr": "Résultat clé"},
    "start": {"en": "Start", "fr": "Départ"},
    "target": {"en": "Target", "fr": "Cible"},
    "current": {"en": "Current", "fr": "Actuel"},
    "status": {"en": "Status", "fr": "Statut"},
    "due": {"en": "Due", "fr": "Échéance"},
    "confidence": {"en": "Confidence", "fr": "Confiance"},
    "comment": {"en": "Comment", "fr": "Commentaire"},
    "health": {"en": "Pace", "fr": "Rythme"},
    "attention": {"en": "Needs attention", "fr": "À surveiller"},
    "attention_none": {"en": "Nothing needs attention.", "fr": "Rien à signaler."},
    "ranking": {"en": "Impact-effort ranking", "fr": "Classement impact-effort"},
    "ranking_none": {"en": "No ideas yet.", "fr": "Pas encore d'idées."},
    "impact": {"en": "Impact", "fr": "Impact"},
    "effort": {"en": "Effort", "fr": "Effort"},
    "change_log": {"en": "Key-result change log (M9)", "fr": "Journal des changements de résultats clés (M9)"},
    "change_log_none": {"en": "No key result was added or replaced.", "fr": "Aucun résultat clé ajouté ni remplacé."},
    "forced": {"en": "after mid-cycle", "fr": "après la mi-cycle"},
    "retrospective": {"en": "Retrospective", "fr": "Rétrospective"},
    "retro_none": {"en": "No notes.", "fr": "Aucune note."},
    "checkins": {"en": "Check-ins", "fr": "Points d'étape"},
    "checkins_none": {"en": "No check-in recorded yet.", "fr": "Aucun point d'étape enregistré."},
    "timelapse": {"en": "The board at each check-in", "fr": "Le tableau à chaque point d'étape"},
    "timelapse_none": {
        "en": "No picture of the board was saved at a check-in yet.",
        "fr": "Aucune image du tableau n'a encore été enregistrée à un point d'étape.",
    },
    "checkin_n": {"en": "Check-in {number}: {date}", "fr": "Point d'étape {number} : {date}"},
    "chart_scores": {"en": "Key-result scores against their band", "fr": "Scores des résultats clés et fourchette"},
    "chart_history": {"en": "Scores over the check-ins", "fr": "Scores au fil des points d'étape"},
    "chart_kanban": {"en": "Kanban at each check-in", "fr": "Kanban à chaque point d'étape"},
    "below": {"en": "below", "fr": "en dessous"},
    "in": {"en": "in", "fr": "dans"},
    "above": {"en": "above", "fr": "au-dessus"},
    "on_track": {"en": "on track", "fr": "dans les temps"},
    "at_risk": {"en": "at risk", "fr": "à risque"},
    "off_track": {"en": "off track", "fr": "en retard"},
    "do_first": {"en": "do first", "fr": "à faire d'abord"},
    "big_bet": {"en": "big bet", "fr": "pari"},
    "fill_in": {"en": "fill-in", "fr": "bouche-trou"},
    "avoid": {"en": "avoid", "fr": "à éviter"},
    "none": {"en": "none", "fr": "aucun"},
    "date": {"en": "Date", "fr": "Date"},
    "team_cycles": {"en": "Team cycles", "fr": "Cycles des équipes"},
    "team": {"en": "Team", "fr": "Équipe"},
    "team_objective": {"en": "Team objective", "fr": "Objectif d'équipe"},
    "aligned_to": {"en": "Supports", "fr": "Contribue à"},
    "not_aligned": {"en": "not aligned", "fr": "non aligné"},
    "team_at_checkin": {"en": "at its check-in {number} ({date})", "fr": "à son point d'étape {number} ({date})"},
    "no_checkin_yet": {"en": "no check-in yet", "fr": "pas encore de point d'étape"},
    "closed_line": {"en": "Closed on {date}: {scores}", "fr": "Clos le {date} : {scores}"},
    "verdict_met": {"en": "met", "fr": "tenu"},
    "verdict_not_met": {"en": "not met", "fr": "non tenu"},
    "verdict_in_band": {"en": "in band", "fr": "dans la fourchette"},
    "verdict_below_band": {"en": "below band", "fr": "sous la fourchette"},
    "verdict_above_band": {"en": "above band", "fr": "au-dessus de la fourchette"},
    "verdict_-": {"en": "", "fr": ""},
    "change": {"en": "Change", "fr": "Changement"},
    "reason": {"en": "Reason", "fr": "Raison"},
    "note": {"en": "Note", "fr": "Note"},
    "added": {"en": "added", "fr": "ajouté"},
    "replaced": {"en": "replaced", "fr": "remplacé"},
    "carried_from": {"en": "carried from {cycle} {ref}", "fr": "repris de {cycle} {ref}"},
    # attention list
    "off_pace": {
        "en": "{ref} is {health}: score {score} where {expected} is expected by now.",
        "fr": "{ref} est {health} : score {score} pour {expected} attendu à ce stade.",
    },
    "low_confidence": {
        "en": "{ref}: the team's confidence is {confidence}.",
        "fr": "{ref} : la confiance de l'équipe est de {confidence}.",
    },
    "missed_checkin": {
        "en": "Check-in {number} was due on {due} and is missed.",
        "fr": "Le point d'étape {number} était prévu le {due} et n'a pas eu lieu.",
    },
    "missing_from_board": {
        "en": "{ref} is no longer on the board ({key}); the store keeps it.",
        "fr": "{ref} n'est plus sur le tableau ({key}) ; la base le garde.",
    },
    "card_problem": {"en": "{text}", "fr": "{text}"},
    "unplaced": {"en": "{text}", "fr": "{text}"},
    "conflict": {
        "en": "{ref}: board and store both changed {field}; the {kept}'s value was kept.",
        "fr": "{ref} : le tableau et la base ont tous deux changé {field} ; la valeur gardée est celle de : {kept}.",
    },
    "finding": {"en": "{rule} {ref}: {text}", "fr": "{rule} {ref} : {text}"},
    "kept_board": {"en": "board", "fr": "tableau"},
    "kept_store": {"en": "store", "fr": "base"},
}


def language_of(language: str | None) -> str:
    """Return a supported language code (English when the cycle's is not one)."""
    return language if language in LANGUAGES else "en"


def text(label: str, language: str, /, **values) -> str:
    """Return a report label in a language, with its placeholders filled."""
    return TEXT[label][language_of(language)].format(**values)


@lru_cache(maxsize=1)
def _board_labels() -> dict:
    layout = load_layout()
    labels = {f"type:{k}": v for k, v in layout["labels"]["types"].items()}
    labels |= {f"retro:{s['key']}": s["label"] for s in layout["retro"]["sections"]}
    labels |= {f"rule:{k}": v for k, v in layout["labels"]["rules"].items()}
    labels |= {f"severity:{k}": v for k, v in layout["labels"]["severity"].items()}
    for column in layout["kanban"]["columns"]:
        labels[f"status:{column['key']}"] = column["label"]
    return labels


def board_label(key: str, language: str) -> str:
    """Return a label the board also shows (`type:commitment`, `status:at_risk`, `retro:worked`, `rule:M9`)."""
    label = _board_labels().get(key)
    if label is None:
        return key.split(":", 1)[-1].replace("_", " ")
    return label[language_of(language)]


def decimal(value, language: str, places: int | None = 2) -> str:
    """Return a number as the cycle's language writes it (a decimal comma in French); `places=None`: as is."""
    if value is None:
        return "-"
    shown = f"{value:g}" if places is None else f"{value:.{places}f}"
    return shown.replace(".", ",") if language_of(language) == "fr" else shown


def team_as_of(team: dict, language: str) -> str:
    """Return which state a team cycle's scores show in a report at a check-in ('' in a current report)."""
    if team.get("no_checkin_yet"):
        return text("no_checkin_yet", language)
    at = team.get("checkin")
    return text("team_at_checkin", language, number=at["number"], date=at["date"]) if at else ""


def attention_message(item: dict, language: str) -> str:
    """Return the sentence of one attention-list entry in a language."""
    values = dict(item)
    if item["kind"] == "off_pace":
        values["health"] = text(item["health"], language)
        values["score"] = decimal(item["score"], language)
        values["expected"] = decimal(item["expected"], language)
    if item["kind"] == "low_confidence":
        values["confidence"] = decimal(item["confidence"], language)
    if item["kind"] == "conflict":
        values["kept"] = text(f"kept_{item['kept']}", language) if item.get("kept") in ("board", "store") else "?"
    return text(item["kind"], language, **values)
