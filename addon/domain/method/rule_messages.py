"""The method's rule messages in every language a cycle may have: one entry per message, keyed `Mn.what`.

Each entry has the same placeholders in every language (a test checks it). `render` fills them in with
`str.format`; a placeholder named `type` (an objective type) is said in the message's language too, and French
messages write numbers with a decimal comma, as French boards and reports do.
"""

from __future__ import annotations

LANGUAGES = ("en", "fr")
FALLBACK = "en"

MESSAGES: dict[str, dict[str, str]] = {
    "M1.ends_before_start": {
        "en": "The cycle ends ({end}) on or before it starts ({start}).",
        "fr": "Le cycle se termine ({end}) avant ou le jour où il commence ({start}).",
    },
    "M1.too_long": {
        "en": "The cycle runs from {start} to {end}, longer than {months} months; "
        "the method works in quarters or shorter.",
        "fr": "Le cycle va du {start} au {end}, plus de {months} mois ; la méthode travaille par trimestre ou moins.",
    },
    "M2.count": {
        "en": "The cycle has {count} objectives; the method asks for {low} to {high}.",
        "fr": "Le cycle a {count} objectifs ; la méthode en demande {low} à {high}.",
    },
    "M2.full": {
        "en": "The cycle already has {most} objectives, the most the method allows.",
        "fr": "Le cycle a déjà {most} objectifs, le maximum que permet la méthode.",
    },
    "M3.states_a_number": {
        "en": "Objective '{title}' states a number; keep numbers in its key results.",
        "fr": "L'objectif « {title} » contient un chiffre ; gardez les chiffres pour ses résultats clés.",
    },
    "M4.no_owner": {"en": "The objective has no owner.", "fr": "L'objectif n'a pas de responsable."},
    "M4.no_type": {
        "en": "The objective has no type (commitment, inspirational or learning).",
        "fr": "L'objectif n'a pas de type (engagement, inspirant ou apprentissage).",
    },
    "M5.none": {"en": "The objective has no key results.", "fr": "L'objectif n'a aucun résultat clé."},
    "M5.count": {
        "en": "The objective has {count} key results; the method asks for {low} to {high}.",
        "fr": "L'objectif a {count} résultats clés ; la méthode en demande {low} à {high}.",
    },
    "M6.threshold_on_other_kind": {
        "en": "Key result '{title}' is an {kind} key result but states a maintain threshold (at_least / at_most); "
        "use kind maintain.",
        "fr": "Le résultat clé « {title} » est de type {kind} mais indique un seuil de maintien "
        "(at_least / at_most) ; utilisez le type maintain.",
    },
    "M6.no_target": {
        "en": "Key result '{title}' has no numeric target.",
        "fr": "Le résultat clé « {title} » n'a pas de cible chiffrée.",
    },
    "M6.target_is_start": {
        "en": "Key result '{title}' has a target ({target:g}) equal to its start value.",
        "fr": "Le résultat clé « {title} » a une cible ({target:g}) égale à sa valeur de départ.",
    },
    "M6.increase_below_start": {
        "en": "Key result '{title}' is an increase but its target ({target:g}) is below its start ({start:g}).",
        "fr": "Le résultat clé « {title} » est une hausse mais sa cible ({target:g}) est sous son départ ({start:g}).",
    },
    "M6.decrease_above_start": {
        "en": "Key result '{title}' is a decrease but its target ({target:g}) is above its start ({start:g}).",
        "fr": "Le résultat clé « {title} » est une baisse mais sa cible ({target:g}) dépasse son départ ({start:g}).",
    },
    "M6.maintain_without_threshold": {
        "en": "Key result '{title}' is a maintain key result without a threshold (give at_least, at_most or between).",
        "fr": "Le résultat clé « {title} » est un maintien sans seuil (indiquez at_least, at_most ou between).",
    },
    "M6.maintain_start_target": {
        "en": "Key result '{title}' keeps a value with start {start:g} and target {target:g}: say which is meant, "
        "at_least: {low:g}, at_most: {high:g} or between: [{low:g}, {high:g}] "
        "(it is read as between {low:g} and {high:g} until then).",
        "fr": "Le résultat clé « {title} » maintient une valeur de départ {start:g} et de cible {target:g} : "
        "précisez at_least: {low:g}, at_most: {high:g} ou between: [{low:g}, {high:g}] "
        "(il est lu comme compris entre {low:g} et {high:g} d'ici là).",
    },
    "M6.maintain_bounds_inverted": {
        "en": "Key result '{title}' keeps a value between {low:g} and {high:g}, "
        "but the lower bound is above the upper.",
        "fr": "Le résultat clé « {title} » maintient une valeur entre {low:g} et {high:g}, "
        "mais la borne basse dépasse la borne haute.",
    },
    "M7.no_owner": {
        "en": "Key result '{title}' has no owner.",
        "fr": "Le résultat clé « {title} » n'a pas de responsable.",
    },
    "M7.no_deadline": {
        "en": "Key result '{title}' has no deadline.",
        "fr": "Le résultat clé « {title} » n'a pas d'échéance.",
    },
    "M7.due_after_end": {
        "en": "Key result '{title}' is due {due}, after the cycle ends ({end}).",
        "fr": "Le résultat clé « {title} » est dû le {due}, après la fin du cycle ({end}).",
    },
    "M8.count": {
        "en": "The cycle plans {count} check-ins; the method asks for 6.",
        "fr": "Le cycle prévoit {count} points d'étape ; la méthode en demande 6.",
    },
    "M8.missed": {
        "en": "Check-in {number} was due on {due} and is missed.",
        "fr": "Le point d'étape {number} était prévu le {due} et n'a pas eu lieu.",
    },
    "M8.next": {"en": "Next check-in: {number} on {due}.", "fr": "Prochain point d'étape : {number} le {due}."},
    "M9.too_many_key_results": {
        "en": "The objective already has {most} key results; replace one instead.",
        "fr": "L'objectif a déjà {most} résultats clés ; remplacez-en un.",
    },
    "M9.keeps_one_key_result": {
        "en": "A tracked objective keeps at least one key result (M5); replace this one instead.",
        "fr": "Un objectif suivi garde au moins un résultat clé (M5) ; remplacez plutôt celui-ci.",
    },
    "M9.key_results_window": {
        "en": "Key results can change only until {last_day} (first half of the cycle); "
        "force the change to log it as an exception.",
        "fr": "Les résultats clés ne peuvent changer que jusqu'au {last_day} (première moitié du cycle) ; "
        "forcez le changement pour le consigner comme une exception.",
    },
    "M9.objectives_window": {
        "en": "Objectives can change only until {last_day} (first half of the cycle); "
        "force the change to log it as an exception.",
        "fr": "Les objectifs ne peuvent changer que jusqu'au {last_day} (première moitié du cycle) ; "
        "forcez le changement pour le consigner comme une exception.",
    },
    "M9.no_free_place": {
        "en": "{objective} has no free key-result place on its board: its {places} places are taken, "
        "removed key results' included (their items stay on the board); replace a key result instead.",
        "fr": "{objective} n'a plus de place libre pour un résultat clé sur son tableau : ses {places} places sont "
        "prises, y compris celles des résultats clés retirés (leurs éléments restent sur le tableau) ; remplacez "
        "plutôt un résultat clé.",
    },
    "M9.forced_added": {
        "en": "Key result added on {on} after mid-cycle (forced): {reason}",
        "fr": "Résultat clé ajouté le {on} après la mi-cycle (forcé) : {reason}",
    },
    "M9.forced_replaced": {
        "en": "Key result replaced on {on} after mid-cycle (forced): {reason}",
        "fr": "Résultat clé remplacé le {on} après la mi-cycle (forcé) : {reason}",
    },
    "M9.forced_removed": {
        "en": "Key result removed on {on} after mid-cycle (forced): {reason}",
        "fr": "Résultat clé retiré le {on} après la mi-cycle (forcé) : {reason}",
    },
    "M9.objective_forced_added": {
        "en": "Objective added on {on} after mid-cycle (forced): {reason}",
        "fr": "Objectif ajouté le {on} après la mi-cycle (forcé) : {reason}",
    },
    "M9.objective_forced_updated": {
        "en": "Objective updated on {on} after mid-cycle (forced): {reason}",
        "fr": "Objectif modifié le {on} après la mi-cycle (forcé) : {reason}",
    },
    "M10.below": {
        "en": "Final score {score:.2f} is below the band expected of a {type} objective.",
        "fr": "Le score final {score:.2f} est sous la fourchette attendue d'un objectif {type}.",
    },
    "M10.above": {
        "en": "Final score {score:.2f} is above the band expected of a {type} objective.",
        "fr": "Le score final {score:.2f} dépasse la fourchette attendue d'un objectif {type}.",
    },
    "M11.money_pit_in_progress": {
        "en": "Idea '{idea}' is in progress but sits in low impact / high effort; avoid it.",
        "fr": "L'idée « {idea} » est en cours mais se trouve en faible impact / fort effort ; évitez-la.",
    },
    "M12.no_company_cycle": {
        "en": "The team cycle is not linked to a company cycle.",
        "fr": "Le cycle d'équipe n'est lié à aucun cycle d'entreprise.",
    },
    "M12.other_period": {
        "en": "The team cycle ({start} to {end}) does not share the company cycle's period "
        "({parent_start} to {parent_end}).",
        "fr": "Le cycle d'équipe (du {start} au {end}) ne couvre pas la période du cycle d'entreprise "
        "(du {parent_start} au {parent_end}).",
    },
    "M12.not_aligned": {
        "en": "The objective is not aligned to a company objective.",
        "fr": "L'objectif n'est aligné sur aucun objectif de l'entreprise.",
    },
    "M12.unknown_parent": {
        "en": "The objective is aligned to {parent}, which the company cycle does not have.",
        "fr": "L'objectif est aligné sur {parent}, que le cycle d'entreprise n'a pas.",
    },
}

# Objective types as the messages say them (the `type` placeholder).
TYPE_NAMES: dict[str, dict[str, str]] = {
    "commitment": {"en": "commitment", "fr": "d'engagement"},
    "inspirational": {"en": "inspirational", "fr": "inspirant"},
    "learning": {"en": "learning", "fr": "d'apprentissage"},
}


class _CommaNumber(float):
    """A number that formats with a decimal comma (0,65)."""

    def __format__(self, spec: str) -> str:
        return format(float(self), spec).replace(".", ",")


def render(key: str, language: str, params: dict) -> str:
    """Return the message `key` in a language (English for a language the catalogue lacks)."""
    return fill(MESSAGES[key], language, params)


def fill(texts: dict[str, str], language: str, params: dict) -> str:
    """Return one catalogue entry (its text per language) in a language, placeholders filled as `render` does."""
    language = language if language in texts else FALLBACK
    if "type" in params:
        params = params | {"type": TYPE_NAMES[str(params["type"])][language]}
    if language == "fr":
        params = {k: _CommaNumber(v) if isinstance(v, float) else v for k, v in params.items()}
    return texts[language].format(**params)
