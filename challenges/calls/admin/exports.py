"""CSV/XLSX export of proposals with their ranking, as coordinators download it."""

from django.utils import timezone

from challenges.calls.admin.scores import round2

EXPORT_HEADER = [
    "id",
    "appel",
    "administration",
    "titre",
    "résumé",
    "statut",
    "déposée le (heure de Paris)",
    "note pondérée",
    "évaluations",
    "jurés",
    "note min",
    "note max",
    "écart",
    "écart-type (population)",
    "écart fort",
    "développeur·ses",
    "designers",
    "data scientists",
    "cofinancement (%)",
    "mentor opérationnel",
    "mentor de haut niveau",
    "défi créé",
]


def export_rows(queryset):
    def rounded(value):
        return None if value is None else float(round2(value))

    for p in queryset.select_related("call", "administration", "challenge"):
        yield [
            p.pk,
            p.call.title,
            p.administration.name,
            p.title,
            p.summary,
            p.get_status_display(),
            timezone.localtime(p.submitted_at).replace(microsecond=0) if p.submitted_at else None,
            rounded(p.weighted_score),
            p.review_count,
            p.juror_count,
            rounded(p.score_min),
            rounded(p.score_max),
            rounded(p.score_spread),
            rounded(p.score_stddev),
            p.spread_flag,
            p.developers_wanted,
            p.designers_wanted,
            p.data_scientists_wanted,
            p.cofunding_share,
            p.mentor_name,
            p.sponsor_name,
            p.challenge.slug if p.challenge_id else None,
        ]
