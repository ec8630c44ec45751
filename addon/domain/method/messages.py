"""What the app says outside the rules (closing a cycle, its next one, refused changes) in every language a
cycle may have: one entry per message, with the same placeholders in every language (a test checks it).

The rules' own messages are in `rule_messages.py`; `say` fills these in the same way (numbers with a decimal
comma in French, English for a language the catalogue lacks).
"""

from __future__ import annotations

from addon.domain.method.rule_messages import fill

MESSAGES: dict[str, dict[str, str]] = {
    # What a key-result card's text says that cannot be read, in the board's language (the card is on it).
    "card.not_a_score": {
        "en": "{label}: '{raw}' is not a score (write {example}).",
        "fr": "{label} : « {raw} » n'est pas un score (écrivez {example}).",
    },
    "card.score_outside": {
        "en": "{label}: {raw} is outside 0 to 1 (write {example}).",
        "fr": "{label} : {raw} est hors de 0 à 1 (écrivez {example}).",
    },
    "card.score_example": {"en": "0.7 or 70%", "fr": "0,7 ou 70 %"},
    "card.score_example_fr": {"en": "0,7 or 70 %", "fr": "0,7 ou 70 %"},
    "card.not_a_threshold": {
        "en": "{label}: '{raw}' is not a threshold (write {example}).",
        "fr": "{label} : « {raw} » n'est pas un seuil (écrivez {example}).",
    },
    "card.threshold_example": {
        "en": "Keep ≥ 99.5%, Keep ≤ 25 or Keep between 8 and 10",
        "fr": "Keep ≥ 99.5%, Keep ≤ 25 ou Keep between 8 and 10",
    },
    "card.threshold_example_fr": {
        "en": "Garder ≥ 99,5 %, Garder ≤ 25 or Garder entre 8 et 10",
        "fr": "Garder ≥ 99,5 %, Garder ≤ 25 ou Garder entre 8 et 10",
    },
    "card.repeated_field": {
        "en": "{label}: the field appears {count} times; keep one.",
        "fr": "{label} : le champ apparaît {count} fois ; n'en gardez qu'un.",
    },
    "card.bad_number": {"en": "{label}: {problem}.", "fr": "{label} : {problem}."},
    # Why a text is not a number (`domain/numbers.py`); the numbers suggested are already written in the style of
    # the text read.
    "number.not_a_number": {
        "en": "'{raw}' is not a number (write it like {example})",
        "fr": "« {raw} » n'est pas un nombre (écrivez-le comme {example})",
    },
    "number.not_on_english_board": {
        "en": "'{raw}' is not a number on an English board (write {written})",
        "fr": "« {raw} » n'est pas un nombre sur un tableau en anglais (écrivez {written})",
    },
    "number.not_on_french_board": {
        "en": "'{raw}' is not a number on a French board (write {written})",
        "fr": "« {raw} » n'est pas un nombre sur un tableau en français (écrivez {written})",
    },
    "number.not_on_french_board_either": {
        "en": "'{raw}' is not a number on a French board (write {thousands} or {written})",
        "fr": "« {raw} » n'est pas un nombre sur un tableau en français (écrivez {thousands} ou {written})",
    },
    "number.ambiguous": {
        "en": "'{raw}' is ambiguous on an English board: write {thousands} for thousands or {decimal} for a decimal",
        "fr": "« {raw} » est ambigu sur un tableau en anglais : écrivez {thousands} pour des milliers ou {decimal} "
        "pour une décimale",
    },
    "number.too_large": {
        "en": "'{raw}' is too large (at most {maximum})",
        "fr": "« {raw} » est trop grand (au plus {maximum})",
    },
    "number.unit_follows": {
        "en": "'{raw}' is not a number: '{unit}' follows it",
        "fr": "« {raw} » n'est pas un nombre : « {unit} » le suit",
    },
    "number.not_given": {"en": "{what} must be a number", "fr": "{what} doit être un nombre"},
    "number.not_finite": {
        "en": "{what} must be a finite number of at most {maximum}",
        "fr": "{what} doit être un nombre fini d'au plus {maximum}",
    },
    # What a sync could not read or take, in the board's language (docs/reports.md, "card problems").
    "sync.bad_text": {
        "en": "{ref}: {problem} The stored value is unchanged.",
        "fr": "{ref} : {problem} La valeur enregistrée est inchangée.",
    },
    "sync.bad_due": {"en": "Due date: '{raw}' is not a date.", "fr": "Échéance : « {raw} » n'est pas une date."},
    "sync.annotation": {
        "en": "{label} {rest} The stored value is kept.",
        "fr": "{label} {rest} La valeur enregistrée est gardée.",
    },
    "sync.noted_on_card": {
        "en": "{ref}: noted on the card: {note} Delete the ⚠ line, or fix the text, once it is dealt with.",
        "fr": "{ref} : noté sur la carte : {note} Supprimez la ligne ⚠, ou corrigez le texte, une fois réglé.",
    },
    "sync.unknown_assignee": {
        "en": "{ref} is assigned to user {assignee}, who is not a member of the board; the owner is unchanged.",
        "fr": "{ref} est attribué à l'utilisateur {assignee}, qui n'est pas membre du tableau ; le responsable est "
        "inchangé.",
    },
    "sync.card_unplaced": {
        "en": "{ref} is outside every Kanban column and its objective frame; its status is unchanged.",
        "fr": "{ref} est hors de toute colonne du Kanban et du cadre de son objectif ; son statut est inchangé.",
    },
    "sync.objective_not_yet": {
        "en": "{entity} is filled in, but {objective} is not yet: it is taken once the objectives before it have a "
        "title.",
        "fr": "{entity} est rempli, mais {objective} ne l'est pas encore : il sera pris quand les objectifs d'avant "
        "auront un titre.",
    },
    "sync.kr_without_objective": {
        "en": "A key result was added in the frame of {objective}, which has no objective in the store yet: it is "
        "taken once the objective card is filled in.",
        "fr": "Un résultat clé a été ajouté dans le cadre de {objective}, qui n'a pas encore d'objectif dans la "
        "base : il sera pris quand la carte de l'objectif sera remplie.",
    },
    "sync.new_kr_bad_text": {
        "en": "New key result '{title}': {problem}",
        "fr": "Nouveau résultat clé « {title} » : {problem}",
    },
    "sync.new_kr_not_taken": {
        "en": "New key result '{title}' not taken: {reason}",
        "fr": "Nouveau résultat clé « {title} » non pris : {reason}",
    },
    "sync.idea_without_kr": {
        "en": "An idea was added to the matrix of {matrix}, which has no key result in the store yet: it is taken "
        "once the key result exists.",
        "fr": "Une idée a été ajoutée à la matrice de {matrix}, qui n'a pas encore de résultat clé dans la base : "
        "elle sera prise quand le résultat clé existera.",
    },
    "sync.idea_unplaced": {
        "en": "An idea of {ref} is outside every matrix; it is unchanged.",
        "fr": "Une idée de {ref} est hors de toute matrice ; elle est inchangée.",
    },
    "sync.idea_moved_without_kr": {
        "en": "An idea of {ref} was moved to the matrix of {matrix}, which has no key result in the store yet; it "
        "stays with {ref}.",
        "fr": "Une idée de {ref} a été déplacée dans la matrice de {matrix}, qui n'a pas encore de résultat clé "
        "dans la base ; elle reste avec {ref}.",
    },
    "sync.retro_unplaced": {
        "en": "A retrospective note is outside every section.",
        "fr": "Une note de rétrospective est hors de toute section.",
    },
    "change.refused": {"en": "The change was refused: {reasons}", "fr": "Le changement est refusé : {reasons}"},
    "close.read_only": {
        "en": "{name} was closed on {on} and is read-only: start the next one with "
        "`okrboard next-cycle {cycle} --start DATE`.",
        "fr": "{name} a été clos le {on} et est en lecture seule : commencez le suivant avec "
        "`okrboard next-cycle {cycle} --start DATE`.",
    },
    "close.read_only_undated": {
        "en": "{name} was closed and is read-only: start the next one with `okrboard next-cycle {cycle} --start DATE`.",
        "fr": "{name} a été clos et est en lecture seule : commencez le suivant avec "
        "`okrboard next-cycle {cycle} --start DATE`.",
    },
    "close.not_tracking": {
        "en": "{name} is not being tracked yet: only a tracked cycle can be closed.",
        "fr": "{name} n'est pas encore suivi : seul un cycle suivi peut être clos.",
    },
    "close.score": {
        "en": "  {ref:4} {score:>5}  {kind:13} {verdict}",
        "fr": "  {ref:4} {score:>5}  {kind:13} {verdict}",
    },
    "close.type_none": {"en": "no type", "fr": "sans type"},
    "close.type_commitment": {"en": "commitment", "fr": "engagement"},
    "close.type_inspirational": {"en": "inspirational", "fr": "inspirant"},
    "close.type_learning": {"en": "learning", "fr": "apprentissage"},
    "close.header_written": {"en": "Written on the board's header.", "fr": "Écrit dans l'en-tête du tableau."},
    "close.header_failed": {
        "en": "The board's header could not be written ({error}).",
        "fr": "L'en-tête du tableau n'a pas pu être écrit ({error}).",
    },
    "close.done": {"en": "{name} is closed and read-only.", "fr": "{name} est clos et en lecture seule."},
    "next.not_closed": {
        "en": "{name} is not closed: run `okrboard close {cycle}` first.",
        "fr": "{name} n'est pas clos : lancez d'abord `okrboard close {cycle}`.",
    },
    "next.unknown_keep": {
        "en": "--keep: {unknown} not in {name} (it has {refs}).",
        "fr": "--keep : {unknown} absent de {name} (il a {refs}).",
    },
    "next.weeks": {
        "en": "--weeks: {weeks} is not a cycle length of the method; use 6 or 13.",
        "fr": "--weeks : {weeks} n'est pas une durée de cycle de la méthode ; utilisez 6 ou 13.",
    },
    "next.carried_reason": {"en": "from {cycle} {ref}", "fr": "repris de {cycle} {ref}"},
    "next.created": {
        "en": "{name}: {start} to {end}, {objectives} objectives carried with {key_results} unfinished key results "
        "(drafts, progress reset). Generate its board with `okrboard generate {cycle}`.",
        "fr": "{name} : du {start} au {end}, {objectives} objectifs repris avec {key_results} résultats clés "
        "inachevés (brouillons, progression remise à zéro). Générez son tableau avec `okrboard generate {cycle}`.",
    },
    "next.note_placed": {
        "en": "  carry over: {note} (a draft idea of {home})",
        "fr": "  à reprendre : {note} (idée en brouillon de {home})",
    },
    "next.note_unplaced": {
        "en": "  carry over: {note} (not placed: the next cycle has no key result to hold it)",
        "fr": "  à reprendre : {note} (non placée : le cycle suivant n'a aucun résultat clé pour l'accueillir)",
    },
}


def say(key: str, language: str, /, **params) -> str:
    """Return the message `key` in a language, its placeholders filled."""
    return fill(MESSAGES[key], language, params)
