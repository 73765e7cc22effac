"""Write the validated EIG data into the database, idempotently, in one transaction.

The files are authoritative for the fields they provide (a second run with the same files
changes nothing: no save, no history row, ``updated_at`` untouched). Fields the files do not
provide (outcome fields, emails, dates…) are never touched. Links (themes, expertises, EIG,
mentors) are only ever added, never removed, so links made by coordinators survive a re-import.
"""

import re
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Model
from django.urls import Resolver404, resolve, reverse
from django.utils.text import slugify

from challenges.models import Challenge, Expertise, KeyFigure, Theme

from ..models import (
    Administration,
    BudgetLine,
    DeclaredFigure,
    Fellow,
    Mentor,
    PrintedTotal,
    Promotion,
)
from .matching import ADMINISTRATION_ALIASES, TitleIndex, normalise_title
from .report import ImportDataError, ImportReport
from .site_markup import convert_site_markup
from .sources import (
    CHALLENGES_FILE,
    COST_KEYS,
    EXPERTISES_FILE,
    MARKDOWN_DIR,
    OLD_CHALLENGES_FILE,
    PEOPLE_FILE,
    PROMOTION_YEARS,
    REPORT_FILE,
    THEMES_FILE,
    ChallengeRecord,
    EigData,
    OldChallengeRecord,
    PersonRecord,
    read_eig_data,
)

#: ``PrintedTotal.source`` of the 2019 report's printed totals.
REPORT_SOURCE = "Rapport EIG 2019"
FELLOW_ROLE = "participant"
MENTOR_ROLE = "agent-public"
SKIPPED_ROLES = {
    "agent-programme": "programme team",
    "agent-programme-alumni": "former programme team",
    "agent-ecosysteme": "ecosystem partner",
}
_ACRONYM = re.compile(r"^([^()]+?)\s*\(([^()\s]{2,20})\)$")


def import_eig_data(*, data_dir: Path | None = None, dry_run: bool = False) -> ImportReport:
    """Validate every file under ``data_dir`` (default ``settings.DATA_DIR``), then load them in
    one transaction. Raises ``ImportDataError`` (nothing written) if a file is malformed.
    ``dry_run`` rolls the transaction back after computing the report."""
    data = read_eig_data(data_dir=Path(data_dir or settings.DATA_DIR))
    report = ImportReport(dry_run=dry_run, skipped=list(data.skipped), notes=list(data.notes))
    with transaction.atomic():
        _Loader(data, report).run()
        if dry_run:
            transaction.set_rollback(True)
    return report


def profile_from_job(job: str) -> str:
    """« Développeuse » → developer, « Designer » → designer, « Data Scientist » → data_scientist,
    anything else → other."""
    key = normalise_title(job)
    if key in ("developpeur", "developpeuse"):
        return Fellow.Profile.DEVELOPER
    if key == "designer":
        return Fellow.Profile.DESIGNER
    if key == "data scientist":
        return Fellow.Profile.DATA_SCIENTIST
    return Fellow.Profile.OTHER


#: A form label copied into the data with the name: « Administration de rattachement :Ministère
#: de l’Action et des Comptes Publics » (défi Hopkins in defis.json; the older site has the name).
_FORM_LABEL = re.compile(r"^\s*administration de rattachement\s*:\s*", re.IGNORECASE)


def strip_form_label(name: str) -> str:
    """« Administration de rattachement :Ministère X » → « Ministère X » (anything else as is)."""
    return _FORM_LABEL.sub("", name)


#: French wording, shown on the dashboard, of the reference file's ``known_inconsistencies``
#: (written in English there); an inconsistency not listed here is kept as written.
KNOWN_INCONSISTENCIES_FR = {
    "challenges_proposed": "Le rapport imprime 85 défis proposés (= 43 + 42, sans EIG 1) ; "
    "la somme des trois promotions est 9 + 43 + 42 = 94.",
    "salaries": "Le rapport imprime le total des salaires arrondi (4 658 243 €) ; la somme exacte "
    "des trois lignes est 4 658 243,47 €.",
}


def split_acronym(name: str) -> tuple[str, str]:
    """« Cour des comptes » → (name, ""); « Agence X (ADEME) » → (« Agence X », « ADEME »).
    A leading « Administration de rattachement : » label is dropped."""
    name = strip_form_label(name).strip()
    m = _ACRONYM.match(name)
    return (m.group(1).strip(), m.group(2)) if m else (name, "")


def _promotion_values(code: str) -> dict:
    if code == "DIG":
        return {
            "slug": "dig",
            "number": None,
            "rank": 3,
            # The data README says « Développeurs », but the programme's figures and blog call the
            # 2019 pilot « Designers d'intérêt général », and all 19 of its participants are designers.
            "title": "Designers d'intérêt général",
        }
    n = int(code.split()[1])
    return {"slug": f"eig-{n}", "number": n, "rank": n, "title": f"Promotion {n}"}


class _Loader:
    def __init__(self, data: EigData, report: ImportReport):
        self.data = data
        self.report = report

    # -- helpers ---------------------------------------------------------------------------
    def _clean(self, obj: Model, *, file: str, record: str) -> None:
        relations = [f.name for f in obj._meta.fields if f.is_relation]
        try:
            obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            fld, messages = next(iter(exc.message_dict.items()))
            raise ImportDataError(
                file=file, record=record, field=fld, message="; ".join(messages)
            ) from None

    def upsert(self, label, cache, key, model, lookup, values, *, file, record, count=True):
        """Create or update one row; returns (object, ``created``/``updated``/``unchanged``)."""
        obj = cache.get(key)
        if obj is None:
            obj = model(**lookup, **values)
            outcome = "created"
        else:
            changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
            if not changed:
                if count:
                    self.report.count(label, "unchanged")
                return obj, "unchanged"
            for k, v in changed.items():
                setattr(obj, k, v)
            outcome = "updated"
        self._clean(obj, file=file, record=record)
        obj.save()
        cache[key] = obj
        if count:
            self.report.count(label, outcome)
        return obj, outcome

    def add_links(self, label, through, left, right, current, wanted) -> bool:
        """Add the (left_id, right_id) pairs of ``wanted`` missing from ``current``."""
        missing = sorted(wanted - current)
        if missing:
            through.objects.bulk_create(
                [through(**{f"{left}_id": a, f"{right}_id": b}) for a, b in missing]
            )
            current |= set(missing)
        self.report.count(label, "created", len(missing))
        self.report.count(label, "unchanged", len(wanted) - len(missing))
        return bool(missing)

    # -- steps -----------------------------------------------------------------------------
    def run(self) -> None:
        self.load_promotions()
        self.load_report()
        self.load_taxonomies()
        self.match_old_challenges()
        self.load_administrations()
        self.load_challenges()
        self.load_people()
        self.load_links()
        self.summarise()

    def load_promotions(self) -> None:
        d = self.data
        codes = set(d.promotion_codes) | {p.code for p in d.report.promotions}
        codes |= {c.promotion_code for c in d.challenges if c.promotion_code}
        codes |= {code for p in d.people for code in p.promotion_codes}
        report_years = {p.code: p.year for p in d.report.promotions}
        self.promotions = {p.code: p for p in Promotion.objects.all()}
        for code in sorted(codes, key=lambda c: (_promotion_values(c)["rank"], c)):
            year = PROMOTION_YEARS.get(code) or report_years[code]
            if code in report_years and report_years[code] != year:
                self.report.notes.append(
                    f"{REPORT_FILE}: {code} year {report_years[code]} differs from {year} (kept)"
                )
            self.upsert(
                "Promotion",
                self.promotions,
                code,
                Promotion,
                {"code": code},
                {**_promotion_values(code), "year": year},
                file=REPORT_FILE,
                record=code,
            )

    def load_report(self) -> None:
        r = self.data.report
        table_source = f"{REPORT_SOURCE}, tableau « Le programme EIG en chiffres » (au {r.as_of})"
        figures = {(f.promotion_id, f.metric): f for f in DeclaredFigure.objects.all()}
        lines = {(b.promotion_id, b.category, b.label): b for b in BudgetLine.objects.all()}
        profile_metrics = {"developers", "designers", "data_scientists"}
        for rp in r.promotions:
            promo = self.promotions[rp.code]
            for metric, value in rp.figures.items():
                source = (
                    f"{REPORT_SOURCE} ; effectifs : {rp.profiles_source}"
                    if metric in profile_metrics
                    else table_source
                )
                self.upsert(
                    "DeclaredFigure",
                    figures,
                    (promo.pk, metric),
                    DeclaredFigure,
                    {"promotion": promo, "metric": metric},
                    {"value": value, "source": source[:300]},
                    file=REPORT_FILE,
                    record=f"{rp.code} {metric}",
                )
            for category, amount in rp.budget.items():
                self.upsert(
                    "BudgetLine",
                    lines,
                    (promo.pk, category, ""),
                    BudgetLine,
                    {"promotion": promo, "category": category, "label": ""},
                    {"amount": amount, "is_forecast": rp.is_forecast, "source": table_source},
                    file=REPORT_FILE,
                    record=f"{rp.code} budget_eur.{category}",
                )
            cost = sum((rp.budget[k] for k in COST_KEYS), start=0)
            if rp.printed_budget_total is not None and rp.printed_budget_total != cost:
                self.report.notes.append(
                    f"{REPORT_FILE}: {rp.code} printed budget total {rp.printed_budget_total} "
                    f"≠ sum of cost lines {cost} (total not stored; computed from lines)"
                )
        totals = {
            (t.source, t.metric): t for t in PrintedTotal.objects.prefetch_related("promotions")
        }
        covered = {self.promotions[rp.code].pk for rp in r.promotions}
        for metric, value in r.printed_totals.items():
            key = metric.removeprefix("budget_eur.")
            note = " ".join(
                KNOWN_INCONSISTENCIES_FR.get(key, i)
                for i in r.inconsistencies
                if i.startswith(f"{key}:") or i.startswith(f"{key} ")
            )
            obj, outcome = self.upsert(
                "PrintedTotal",
                totals,
                (REPORT_SOURCE, metric),
                PrintedTotal,
                {"source": REPORT_SOURCE, "metric": metric},
                {"value": value, "note": note},
                file=REPORT_FILE,
                record=f"totals_as_printed {metric}",
                count=False,
            )
            current = set() if outcome == "created" else {p.pk for p in obj.promotions.all()}
            if covered - current:
                obj.promotions.add(*(covered - current))
                outcome = "updated" if outcome == "unchanged" else outcome
            self.report.count("PrintedTotal", outcome)

    def load_taxonomies(self) -> None:
        d = self.data
        for label, model, file, names, used in (
            ("Theme", Theme, THEMES_FILE, d.themes, [t for c in d.challenges for t in c.themes]),
            (
                "Expertise",
                Expertise,
                EXPERTISES_FILE,
                d.expertises,
                [e for c in d.challenges for e in c.expertises],
            ),
        ):
            cache = {normalise_title(o.name): o for o in model.objects.all()}
            known = {normalise_title(n) for n in names}
            extra = [n for n in dict.fromkeys(used) if normalise_title(n) not in known]
            for name in extra:
                self.report.notes.append(
                    f"{CHALLENGES_FILE}: {label.lower()} « {name} » is used by défis but missing "
                    f"from {file}: created"
                )
            for name in dict.fromkeys([*names, *extra]):
                key = normalise_title(name)
                if key in cache and cache[key].name != name:
                    self.report.count(label, "unchanged")
                    continue
                self.upsert(
                    label,
                    cache,
                    key,
                    model,
                    {"name": name},
                    {"slug": slugify(name) or slugify(name, allow_unicode=True)},
                    file=file,
                    record=f"« {name} »",
                )
            setattr(self, label.lower() + "s", cache)

    def match_old_challenges(self) -> None:
        """Pair each défi of the older site with the défi of ``defis.json`` it describes."""
        index = TitleIndex({c.title: c for c in self.data.challenges})
        self.old_by_slug: dict[str, OldChallengeRecord] = {}
        for old in self.data.old_challenges:
            matches, via_alias = index.lookup(old.title, promotion_code=old.promotion_code)
            where = f"{OLD_CHALLENGES_FILE}: #{old.index} « {old.title} » ({old.promotion_code})"
            if not matches:
                self.report.unmatched.append(
                    f"{where}: no défi with this title in {CHALLENGES_FILE}"
                )
                continue
            new: ChallengeRecord = matches[0]
            if via_alias:
                self.report.aliased.append(f"{where} → « {new.title} »")
            if new.promotion_code != old.promotion_code:
                self.report.notes.append(
                    f"{where}: matches « {new.title} » of {new.promotion_code} (promotion kept)"
                )
            if new.source_slug in self.old_by_slug:
                self.report.unmatched.append(
                    f"{where}: « {new.title} » already matched by another old défi (ignored)"
                )
                continue
            self.old_by_slug[new.source_slug] = old

    def load_administrations(self) -> None:
        """One row per administration; names listed in ``ADMINISTRATION_ALIASES`` are merged into
        their canonical row and each merge is reported with the alias matches."""
        # A row imported with the form label before it was dropped is found under its clean name
        # (and renamed below); a row already named cleanly wins over it.
        rows = sorted(
            Administration.objects.all(), key=lambda a: strip_form_label(a.name) == a.name
        )
        self.administrations = {normalise_title(strip_form_label(a.name)): a for a in rows}
        for key, w in self._wanted_administrations().items():
            values = {"acronym": w["acronym"]}
            existing = self.administrations.get(key)
            if existing is not None and strip_form_label(existing.name) != existing.name:
                values["name"] = w["name"]
            # Only fill town and website when the data has one (never blank a coordinator's).
            values.update({k: w[k] for k in ("town", "website") if w[k]})
            self.upsert(
                "Administration",
                self.administrations,
                key,
                Administration,
                {"name": w["name"]},
                values,
                file=CHALLENGES_FILE,
                record=f"#{w['record'].index} (slug « {w['record'].source_slug} ») who",
            )
        for variant, canonical in ADMINISTRATION_ALIASES.items():
            target = self.administrations.get(normalise_title(split_acronym(canonical)[0]))
            leftover = self.administrations.get(variant)
            if target is None:
                continue
            if leftover is not None and leftover.pk != target.pk:
                self.report.notes.append(
                    f"Administration « {leftover.name} » (id {leftover.pk}) is an alias of "
                    f"« {target.name} »: its défis now point to the latter; the row is kept"
                )
            self.administrations[variant] = target

    def _wanted_administrations(self) -> dict[str, dict]:
        """Normalised canonical name → name, acronym, town, website and first record naming it."""
        wanted: dict[str, dict] = {}
        for c in self.data.challenges:
            if not c.administration:
                continue
            name, acronym = split_acronym(c.administration)
            canonical = ADMINISTRATION_ALIASES.get(normalise_title(name))
            if canonical is not None:
                self.report.aliased.append(
                    f"{CHALLENGES_FILE}: #{c.index} (slug « {c.source_slug} ») who "
                    f"« {c.administration} » → « {canonical} »"
                )
                name, acronym = split_acronym(canonical)
            w = wanted.setdefault(
                normalise_title(name),
                {"name": name, "acronym": acronym, "town": "", "website": "", "record": c},
            )
            if canonical is None and w.setdefault("spelled_by_data", False) is False:
                # The data's own (first) spelling wins over the alias table's.
                w["name"], w["spelled_by_data"] = name, True
            w["acronym"] = w["acronym"] or acronym
            w["town"] = w["town"] or c.town
            old = self.old_by_slug.get(c.source_slug)
            w["website"] = w["website"] or (old.administration_website if old else "")
        return wanted

    def load_challenges(self) -> None:
        existing = Challenge.objects.exclude(source_key="")
        self.challenges = {c.source_key: c for c in existing}
        self.challenge_outcome: dict[str, str] = {}
        self.challenge_by_slug: dict[str, Challenge] = {}
        themes_through, expertises_through = Challenge.themes.through, Challenge.expertises.through
        cur_themes = set(themes_through.objects.values_list("challenge_id", "theme_id"))
        cur_exp = set(expertises_through.objects.values_list("challenge_id", "expertise_id"))
        key_figures = {(k.challenge_id, k.order): k for k in KeyFigure.objects.all()}
        for c in self.data.challenges:
            old = self.old_by_slug.get(c.source_slug)
            record = f"#{c.index} (slug « {c.source_slug} »)"
            admin = None
            if c.administration:
                admin = self.administrations[normalise_title(split_acronym(c.administration)[0])]
            values = {
                "title": c.title,
                "slug": slugify(c.source_slug, allow_unicode=True) or slugify(c.title),
                "summary": c.summary,
                "promotion_id": self.promotions[c.promotion_code].pk if c.promotion_code else None,
                "administration_id": admin.pk if admin else None,
                "town": c.town,
                "is_public": c.is_public,
                "published_at": c.published_at,
                "startup_url": c.startup_url,
            }
            if c.description is not None:
                values["description"] = self.description(c, record)
            if old:
                values.update({"website": old.website, "source_code_url": old.source_code_url})
            obj, outcome = self.upsert(
                "Challenge",
                self.challenges,
                c.source_slug,
                Challenge,
                {"source_key": c.source_slug},
                values,
                file=CHALLENGES_FILE,
                record=record,
                count=False,
            )
            if c.promotion_code is None:
                self.report.notes.append(f"{CHALLENGES_FILE}: {record} has no promotion tag")
            changed = self.add_links(
                "Challenge ↔ Theme",
                themes_through,
                "challenge",
                "theme",
                cur_themes,
                {(obj.pk, self.themes[normalise_title(t)].pk) for t in c.themes},
            )
            changed |= self.add_links(
                "Challenge ↔ Expertise",
                expertises_through,
                "challenge",
                "expertise",
                cur_exp,
                {(obj.pk, self.expertises[normalise_title(e)].pk) for e in c.expertises},
            )
            for order, (amount, description) in enumerate(old.key_figures if old else []):
                _, kf_outcome = self.upsert(
                    "KeyFigure",
                    key_figures,
                    (obj.pk, order),
                    KeyFigure,
                    {"challenge": obj, "order": order},
                    {"amount": amount, "description": description},
                    file=OLD_CHALLENGES_FILE,
                    record=f"#{old.index} (« {old.title} ») key_figures[{order}]",
                )
                changed |= kf_outcome != "unchanged"
            if outcome == "unchanged" and changed:
                outcome = "updated"
            self.challenge_outcome[c.source_slug] = outcome
            self.challenge_by_slug[c.source_slug] = obj

    def description(self, c, record: str) -> str:
        """The défi's page text with the former site's shortcodes and dead links converted
        (``site_markup``); every dropped element is listed in the report's notes."""
        if not hasattr(self, "portal_slugs"):
            self.portal_slugs = {
                normalise_title(slugify(r.source_slug)): slugify(r.source_slug, allow_unicode=True)
                for r in self.data.challenges
            }
        own_slug = slugify(c.source_slug, allow_unicode=True)

        def resolve_internal(path: str) -> str | None:
            return portal_url_for(path, self.portal_slugs, exclude_slug=own_slug)

        converted = convert_site_markup(c.description, resolve_internal=resolve_internal)
        where = f"{MARKDOWN_DIR}/{c.source_slug}.md ({record})"
        self.report.notes.extend(f"{where}: dropped {line}" for line in converted.dropped)
        return converted.text

    def load_people(self) -> None:
        """Upsert the fellows and mentors of the people file and remember their défis.

        Each person's défi titles are matched (aliases reported); a fellow is created once per
        promotion (given, or else those of their défis), a mentor once. People of other roles
        are counted in ``report.skipped``.
        """
        index = TitleIndex({c.title: c for c in self.data.challenges})
        self.fellows = {
            (f.source_key, f.promotion_id): f for f in Fellow.objects.exclude(source_key="")
        }
        self.mentors = {m.source_key: m for m in Mentor.objects.exclude(source_key="")}
        self.fellow_records: dict[str, list[Fellow]] = defaultdict(list)
        self.person_links: list[tuple[PersonRecord, ChallengeRecord]] = []
        skipped_roles: dict[str, int] = defaultdict(int)
        for p in self.data.people:
            if p.role not in (FELLOW_ROLE, MENTOR_ROLE):
                skipped_roles[p.role] += 1
                continue
            matched = self._match_challenges(p, index)
            self.person_links.extend((p, c) for c in matched)
            if p.role == FELLOW_ROLE:
                self._load_fellow(p, matched)
            else:
                self._load_mentor(p, matched)
        for role, n in sorted(skipped_roles.items()):
            what = SKIPPED_ROLES.get(role, "unknown role")
            self.report.skipped.append(f"{PEOPLE_FILE}: {n} people with role « {role} » ({what})")

    def _match_challenges(self, p: PersonRecord, index: TitleIndex) -> list[ChallengeRecord]:
        """The défis named by ``p`` (each once), reporting titles not found or found by alias."""
        matched: list[ChallengeRecord] = []
        for title in p.challenge_titles:
            found, via_alias = index.lookup(title)
            where = f"{PEOPLE_FILE}: #{p.index} « {p.pseudonym} » ({p.role}), défi « {title} »"
            if not found:
                self.report.unmatched.append(f"{where}: no défi with this title")
            elif via_alias:
                self.report.aliased.append(
                    where + " → " + ", ".join(f"« {c.title} »" for c in found)
                )
            matched.extend(c for c in found if c not in matched)
        return matched

    def _load_fellow(self, p: PersonRecord, matched: list[ChallengeRecord]) -> None:
        """One ``Fellow`` per promotion of ``p`` (given, else those of their défis)."""
        record = f"#{p.index} (« {p.pseudonym} »)"
        codes = p.promotion_codes or list(
            dict.fromkeys(c.promotion_code for c in matched if c.promotion_code)
        )
        if not codes:
            self.report.unmatched.append(
                f"{PEOPLE_FILE}: {record} EIG without promotion nor défi: not imported"
            )
        for code in codes:
            promo = self.promotions[code]
            fellow, _ = self.upsert(
                "Fellow",
                self.fellows,
                (p.pseudonym, promo.pk),
                Fellow,
                {"source_key": p.pseudonym, "promotion": promo},
                {"name": p.pseudonym, "profile": profile_from_job(p.job), "job_title": p.job},
                file=PEOPLE_FILE,
                record=record,
            )
            self.fellow_records[p.pseudonym].append(fellow)

    def _load_mentor(self, p: PersonRecord, matched: list[ChallengeRecord]) -> None:
        """One ``Mentor``: promotion and administration given or taken from their first défi;
        « sponsor » as job makes a sponsor, anything else an operational mentor."""
        code = (p.promotion_codes or [None])[0] or next(
            (c.promotion_code for c in matched if c.promotion_code), None
        )
        admin_name = next((c.administration for c in matched if c.administration), "")
        admin = (
            self.administrations[normalise_title(split_acronym(admin_name)[0])]
            if admin_name
            else None
        )
        role = (
            Mentor.Role.SPONSOR if normalise_title(p.job) == "sponsor" else Mentor.Role.OPERATIONAL
        )
        self.upsert(
            "Mentor",
            self.mentors,
            p.pseudonym,
            Mentor,
            {"source_key": p.pseudonym},
            {
                "name": p.pseudonym,
                "role": role,
                "job_title": p.job,
                "administration_id": admin.pk if admin else None,
                "promotion_id": self.promotions[code].pk if code else None,
            },
            file=PEOPLE_FILE,
            record=f"#{p.index} (« {p.pseudonym} »)",
        )

    def _fellow_for(self, pseudonym: str, promotion_code: str | None) -> Fellow | None:
        records = self.fellow_records.get(pseudonym, [])
        for f in records:
            if promotion_code and f.promotion_id == self.promotions[promotion_code].pk:
                return f
        return records[0] if records else None

    def load_links(self) -> None:
        f_through, m_through = Challenge.fellows.through, Challenge.mentors.through
        cur_f = set(f_through.objects.values_list("challenge_id", "fellow_id"))
        cur_m = set(m_through.objects.values_list("challenge_id", "mentor_id"))
        want_f: dict[int, set] = defaultdict(set)
        want_m: dict[int, set] = defaultdict(set)
        for p, c in self.person_links:
            challenge = self.challenge_by_slug[c.source_slug]
            if p.role == FELLOW_ROLE:
                fellow = self._fellow_for(p.pseudonym, c.promotion_code)
                if fellow is None:
                    continue
                if c.promotion_code and fellow.promotion_id != self.promotions[c.promotion_code].pk:
                    self.report.notes.append(
                        f"{PEOPLE_FILE}: #{p.index} « {p.pseudonym} » (EIG of "
                        f"{', '.join(p.promotion_codes)}) linked to « {c.title} » of "
                        f"{c.promotion_code}"
                    )
                want_f[challenge.pk].add((challenge.pk, fellow.pk))
            else:
                want_m[challenge.pk].add((challenge.pk, self.mentors[p.pseudonym].pk))
        roles = defaultdict(set)
        for p in self.data.people:
            roles[p.pseudonym].add(p.role)
        for c in self.data.challenges:
            old = self.old_by_slug.get(c.source_slug)
            if not old:
                continue
            challenge = self.challenge_by_slug[c.source_slug]
            where = f"{OLD_CHALLENGES_FILE}: #{old.index} « {old.title} »"
            for pseudo in old.fellows:
                fellow = self._fellow_for(pseudo, c.promotion_code)
                if fellow is None:
                    self.report.unmatched.append(
                        f"{where}: EIG « {pseudo} » is not an EIG in {PEOPLE_FILE} "
                        f"({_roles_text(roles.get(pseudo))})"
                    )
                    continue
                want_f[challenge.pk].add((challenge.pk, fellow.pk))
            for pseudo in old.mentors:
                mentor = self.mentors.get(pseudo)
                if mentor is None:
                    self.report.unmatched.append(
                        f"{where}: mentor « {pseudo} » is not a mentor in {PEOPLE_FILE} "
                        f"({_roles_text(roles.get(pseudo))})"
                    )
                    continue
                want_m[challenge.pk].add((challenge.pk, mentor.pk))
        by_pk = {c.pk: slug for slug, c in self.challenge_by_slug.items()}
        for pk, slug in by_pk.items():
            changed = self.add_links(
                "Challenge ↔ Fellow", f_through, "challenge", "fellow", cur_f, want_f[pk]
            )
            changed |= self.add_links(
                "Challenge ↔ Mentor", m_through, "challenge", "mentor", cur_m, want_m[pk]
            )
            if changed and self.challenge_outcome[slug] == "unchanged":
                self.challenge_outcome[slug] = "updated"
        for outcome in self.challenge_outcome.values():
            self.report.count("Challenge", outcome)

    def summarise(self) -> None:
        """Add the records per promotion, to compare with the public site's counts."""
        rows = Promotion.objects.annotate(
            n_challenges=Count("challenges", distinct=True),
            n_fellows=Count("fellows", distinct=True),
        ).order_by("rank", "code")
        self.report.notes.append(
            "records per promotion (défis / EIG): "
            + ", ".join(f"{p.code} {p.n_challenges}/{p.n_fellows}" for p in rows)
        )


def _roles_text(roles: set | None) -> str:
    return "role " + ", ".join(sorted(roles)) if roles else "unknown pseudonym"


def portal_url_for(path: str, portal_slugs: dict[str, str], *, exclude_slug: str) -> str | None:
    """The portal URL for a path of the former site, or None when the portal has no such page.

    « /defis/<slug>/ » is the défi of that slug (accents and case ignored, ``portal_slugs`` maps
    normalised slugs to the portal's), except the défi ``exclude_slug`` itself (a page linking to
    itself is dropped); other paths are kept only when this portal's URLconf serves them.
    """
    clean = path.split("#", 1)[0].split("?", 1)[0]
    if m := re.fullmatch(r"/defis/([^/]+)/?", clean):
        slug = portal_slugs.get(normalise_title(m[1]))
        if slug is None or slug == exclude_slug:
            return None
        return reverse("challenges:detail", args=[slug])
    try:
        match = resolve(clean)
    except Resolver404:
        return None
    return None if match.view_name == "challenges:detail" else path
