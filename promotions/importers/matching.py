"""Matching défi titles written differently across the data files.

People (``personnes.json``) and the older site (``defis-2017-2020.json``) name défis by title.
Titles are compared after ``normalise_title`` (spaces trimmed and collapsed, case and accents
ignored, typographic apostrophes made straight); the known spelling variants that survive this
are listed explicitly in ``TITLE_ALIASES`` / ``OLD_TITLE_ALIASES``, so nothing is guessed.
"""

import re
import unicodedata


def normalise_title(title: str) -> str:
    """« ‘Estim’Action ’ » → « estim'action »: trimmed, lower case, no accents, one space."""
    text = unicodedata.normalize("NFKD", title.strip().casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[’‘`´]", "'", text)
    return re.sub(r"\s+", " ", text)


#: Variant written by people → canonical défi title(s) of ``defis.json``.
TITLE_ALIASES: dict[str, tuple[str, ...]] = {
    normalise_title("e-PSHAD"): ("ePSHAD",),
    # Differs from « SIRANo » by case only, which normalisation already ignores; kept explicit.
    normalise_title("SiRANo"): ("SIRANo",),
    # One mentor follows two défis of the Cerema, written as one string.
    normalise_title("Estim'action, SOS Pont"): ("Estim'Action", "SOS Ponts"),
}
#: (title on the older site, promotion code) → title in ``defis.json``.
OLD_TITLE_ALIASES: dict[tuple[str, str], str] = {
    (normalise_title("EIG Link"), "EIG 2"): "EIG2 Link",
    (normalise_title("EIG Link"), "EIG 3"): "EIG3 Link",
    (normalise_title("EIG Link"), "EIG 4"): "EIG4 Link",
}


#: Administration named differently across défis (acronym alone, with or without the ministry,
#: spelling variants) → the name kept, with its acronym in brackets when the data gives none;
#: keys normalised as titles. One row per administration, so
#: that the défis filter lists each once. Checked against ``defis.json`` (« who »).
ADMINISTRATION_ALIASES: dict[str, str] = {
    normalise_title(variant): canonical
    for variant, canonical in (
        ("ANCT", "Agence nationale de la cohésion des territoires (ANCT)"),
        (
            "Agence nationale de sécurité des médicaments et des produits de santé",
            "Agence nationale de sécurité du médicament et des produits de santé",
        ),
        (
            "Cerema",
            "Centre d'études et d'expertise sur les risques, l'environnement, la mobilité et "
            "l'aménagement",
        ),
        (
            "Commissariat Général au Développement Durable - Ministère de la Transition "
            "Écologique et Solidaire",
            "Commissariat général au développement durable",
        ),
        (
            "Délégation Interministérielle pour l’Accueil et l’Intégration des Réfugiés",
            "Délégation interministérielle à l’accueil et à l’intégration des réfugiés",
        ),
        (
            "Direction interministérielle du numérique (DINUM),",
            "Direction interministérielle du numérique (DINUM)",
        ),
        (
            "Ministère de la santé, Direction de la recherche, des études, de l’évaluation et "
            "des statistiques",
            "Direction de la Recherche, des Études, de l’Évaluation et des Statistiques",
        ),
        (
            "Ministère des Solidarités et de la Santé, Direction de la recherche, des études, "
            "de l’évaluation et des statistiques",
            "Direction de la Recherche, des Études, de l’Évaluation et des Statistiques",
        ),
        (
            "Direction des affaires maritimes, Ministère de la Transition écologique et solidaire",
            "Direction des affaires maritimes",
        ),
        (
            "Ministère de la Transition écologique et solidaire, Direction des affaires maritimes",
            "Direction des affaires maritimes",
        ),
        (
            "Institut national de l'information géographique et forestière - Ministère de la "
            "Transition Écologique et Solidaire",
            "Institut national de l’information géographique et forestière",
        ),
        (
            "Service hydrographique et océanographique de la marine (Shom), Ministère des Armées",
            "Service Hydrographique et Océanographique de la Marine",
        ),
        (
            "Ministère de l’Intérieur, Direction générale de la gendarmerie nationale",
            "Direction générale de la gendarmerie nationale",
        ),
        (
            "Ministère de l’Éducation Nationale, Direction du numérique pour l’éducation",
            "Direction du numérique pour l’Éducation",
        ),
        (
            "Secrétariat général des ministères sociaux",
            "Secrétariat général des ministères chargés des affaires sociales",
        ),
    )
}


class TitleIndex:
    """Finds the défis (values of type ``T``) named by a title, directly or through an alias."""

    def __init__(self, items_by_title: dict[str, object]):
        self._by_norm = {normalise_title(t): item for t, item in items_by_title.items()}

    def lookup(self, title: str, *, promotion_code: str | None = None) -> tuple[list, bool]:
        """Return (matched items, whether an alias was used); ``[]`` when unmatched."""
        key = normalise_title(title)
        if key in self._by_norm:
            return [self._by_norm[key]], False
        if promotion_code and (key, promotion_code) in OLD_TITLE_ALIASES:
            target = normalise_title(OLD_TITLE_ALIASES[(key, promotion_code)])
            return ([self._by_norm[target]] if target in self._by_norm else []), True
        if key in TITLE_ALIASES:
            targets = [normalise_title(t) for t in TITLE_ALIASES[key]]
            return [self._by_norm[t] for t in targets if t in self._by_norm], True
        return [], False
