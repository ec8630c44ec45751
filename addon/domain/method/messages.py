"""What the app says outside the rules (closing a cycle, its next one, refused changes) in every language a
cycle may have: one entry per message, with the same placeholders in every language (a test checks it).

The rules' own messages are in `rule_messages.py`; `say` fills these in the same way (numbers with a decimal
comma in French, English for a language the catalogue lacks).
"""

from __future__ import annotations

from addon.domain.method.rule_messages import fill

MESSAGES: dict[str, dict[str, str]] = {
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
