"""The curated metric vocabulary: Danish, Norwegian and English phrasings of the metrics CSR reports print.

Why here, below ingest and answer: a table row's metric key is made from its label when the table is read, and
a question is matched against the same keys when it is answered; one vocabulary serves both. It only raises a
score (`rag.answer.rows`) and groups rows into series; a label it does not know still becomes a fact (keyed by
its `slug`) and is reached by the open matching all the same.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    """A metric concept: its key and the Danish/Norwegian/English phrasings that name it (on normalised text)."""

    key: str
    name: str
    patterns: tuple[str, ...]


def _m(key: str, name: str, *patterns: str) -> Metric:
    return Metric(key, name, patterns)


# Patterns run on `normalise_text` output: lower case, hyphens as spaces, footnote stars removed.
METRICS: tuple[Metric, ...] = (
    _m(
        "scope1",
        "Scope 1-udledning",
        r"scope ?1\b",
        r"firmabiler og gasser",
        r"direkte (co2 )?(udledning|emission|utslipp)\w*",
    ),
    _m(
        "scope2",
        "Scope 2-udledning",
        r"scope ?2\b",
        r"(udledning|udslip|utslipp|emission)\w* fra (strøm|el|energi)( og varme)?",
        r"indirekte (co2 )?(udledning|emission|utslipp)\w*",
    ),
    _m(
        "stroem",
        "Strømforbrug",
        r"strømforbru[gk]\w*",
        r"elforbrug\w*",
        r"elektricitetsforbrug\w*",
        r"(brugte|forbrugte|brukte|forbrukte)( \w+){0,3} strøm\b",
        r"\bmwh strøm\b",
        r"(meget|mye) strøm\b",
        r"electricity",
    ),
    _m(
        "varme",
        "Energiforbrug (varme)",
        r"varmeforbru[gk]\w*",
        r"energiforbru[gk]\w*",
        r"fjernvarme\w*",
        r"(brugte|forbrugte|brukte)( \w+){0,3} varme\b",
        r"(meget|mye) varme\b",
        r"\bheat\w*",
    ),
    _m(
        "vand",
        "Vandforbrug",
        r"vandforbrug\w*",
        r"vannforbruk\w*",
        r"kubikmeter vand",
        r"(meget|mye) (vand|vann)\b",
        r"(brugte|forbrugte)( \w+){0,3} vand\b",
        r"\bwater\b",
    ),
    _m("risikoaffald", "Risikoaffald", r"risikoaffald\w*", r"risikoavfall\w*", r"hazardous waste"),
    _m(
        "affald_total",
        "Affaldsmængde",
        r"affaldsmængde\w*",
        r"samlede? affald\w*",
        r"affald i alt",
        r"avfallsmengde\w*",
        r"total waste",
        r"mængde\w* (af )?affald\w*",
    ),
    _m(
        "genanvendelse",
        "Genanvendelsesandel",
        r"genanvendelses(andel|procent)\w*",
        r"genanvendelse\w*",
        r"genbrugsprocent\w*",
        r"gjenvinning\w*",
        r"resirkuler\w*",
        r"recycl\w*",
    ),
    _m("oekologi", "Økologi", r"økologi\w*", r"\borganic\b"),
    _m(
        "svarprocent",
        "Svarprocent",
        r"svarprocent\w*",
        r"svarprosent\w*",
        r"deltagelsesprocent\w*",
        r"response rate",
        r"(svarede|svarte|besvarede) på (medarbejder|medarbeider)\w*",
    ),
    _m("enps", "eNPS", r"\benps\b", r"employee net promoter( score)?"),
    _m("engagement", "Engagementindeks", r"engagement\w*", r"engasjement\w*"),
    _m("arbejdsmiljoeindeks", "Arbejdsmiljøindeks", r"arbejdsmil\w*indeks\w*", r"arbeidsmiljøindeks\w*"),
    _m("lederindeks", "Lederindeks", r"leder\w*indeks\w*", r"ledelsesindeks\w*", r"leadership index"),
    _m("mobning", "Oplevet mobning", r"mobning\w*", r"mobbing\w*", r"bullying"),
    _m("kraenkelse", "Oplevet krænkende adfærd", r"krænkende adfærd", r"krænkelse\w*", r"krenk\w*", r"harassment"),
    _m(
        "sygefravaer_kort",
        "Korttidssygefravær",
        r"kort\w*syg\w*fravær\w*",
        r"sygefravær\w*,? kort\w*",
        r"korttids\w*",
        r"kortids\w*",
        r"kort\w*sykefravær\w*",
        r"sykefravær\w*,? kort\w*",
        r"short term sick\w*",
    ),
    _m(
        "sygefravaer_lang",
        "Langtidssygefravær",
        r"lang\w*syg\w*fravær\w*",
        r"sygefravær\w*,? lang\w*",
        r"langtids\w*",
        r"lang\w*sykefravær\w*",
        r"sykefravær\w*,? lang\w*",
        r"long term sick\w*",
    ),
    _m("sygefravaer", "Sygefravær", r"s(?:yg|yk|juk)e?fr[aå]vær\w*", r"sick leave", r"\bfravær\w*"),
    _m(
        "omsaetningshastighed",
        "Medarbejderomsætningshastighed",
        r"medarbejderomsætning\w*",
        r"personaleomsætning\w*",
        r"omsætningshastighed\w*",
        r"personalomsetning\w*",
        r"medarbeideromsetning\w*",
        r"\bturnover\b",
        r"gjennomtrekk",
    ),
    _m(
        "arbejdsskader",
        "Arbejdsskader",
        r"arbejdsskade\w*",
        r"arbeidsskade\w*",
        r"arbejdsulykke\w*",
        r"work(place)? injur\w*",
    ),
    _m("mus", "Tilbudt MUS", r"\bmus\b", r"udviklingssamtale\w*"),
    _m(
        "kundetilfredshed",
        "Kundetilfredshed (NPS)",
        r"kundetilfredshed\w*",
        r"kundetilfredshet\w*",
        r"\bc ?nps\b",
        r"customer satisfaction",
        r"nps\w*( \w+){0,3} kunde\w*",
        r"kunde\w*( \w+){0,3} nps",
    ),
    _m(
        "fte",
        "Fuldtidsarbejdsstyrke (FTE)",
        r"fuldtids\w*",
        r"\bfte\b",
        r"årsværk\w*",
        r"heltidsstilling\w*",
        r"årsverk\w*",
    ),
    _m(
        "koen",
        "Kønsfordeling",
        r"kønsfordeling\w*",
        r"kønsdiversitet\w*",
        r"kjønnsfordeling\w*",
        r"kjønnsbalanse\w*",
        r"gender",
    ),
    _m("koen_bestyrelse", "Kønsfordeling i bestyrelsen", r"bestyrelse\w*", r"\bstyret\b", r"\bboard\b"),
    _m(
        "koen_direktion",
        "Kønsfordeling i direktionen",
        r"direktion\w*",
        r"dierktion\w*",
        r"ledergruppe\w*",
        r"topledelse\w*",
    ),
    _m(
        "koen_mellemledere",
        "Kønsfordeling blandt mellemledere",
        r"mellemle[dl]\w*",
        r"mellemlid\w*",
        r"middle manag\w*",
    ),
    # Key figures from fact boxes ("1.300 medarbejdere", "283 babyer"): weak names, see WEAK_METRICS.
    _m("whistleblower", "Kendskab til whistleblowerordningen", r"whistleblower\w*"),
    _m("flexjob", "Flexjob", r"fle[xk]s?job\w*"),
    _m("forretningsforbindelser", "Forretningsforbindelser", r"forretningsforbindelse\w*"),
    _m("medarbejdere", "Medarbejdere", r"\bmedarbejdere\b", r"\bmedarbeidere\b", r"\bansatte\b", r"\bemployees\b"),
    _m("operationer", "Operationer", r"\boperationer\b", r"\boperasjoner\b", r"\boperations\b"),
    _m("babyer", "Babyer", r"\bbaby\w*", r"\bbabies\b", r"\b(børn|barn) (blev |ble )?født", r"\bfødsler\b"),
    _m("omsaetning", "Omsætning", r"\bomsætning(en)?\b", r"\bomsetning(en)?\b", r"\brevenue\b"),
)
# Names that also occur in questions about something else ("hvor mange medarbejdere har gennemført …"): they
# count only when the question names no other metric and asks for the whole count, not a subset.
WEAK_METRICS = frozenset(
    {
        "medarbejdere",
        "operationer",
        "babyer",
        "omsaetning",
    }
)
_SUBSET = re.compile(
    r"\b(gennemf\w+|deltag\w+|deltok|svar\w+|kendskab|kjennskap|fået|fikk|modtag\w+|mottatt|mottok|oplev\w+|"
    r"opplev\w+|tilbudt|uddannet|trænet|sygemeldt|sykmeldt|fratrådt|nyansat\w*|nyansatt\w*|rekrutt\w*|"
    r"ansat i|ansatt i|kvinde\w*|kvinner|mænd|menn|andel\w*|procent\w*|prosent\w*|ledere|lønn?\w*|pr\.|per|"
    r"del af|del av|investe\w*)\b",
    re.IGNORECASE,
)
_HOW_MANY = re.compile(r"\b(hvor mange|antal\w*|how many|number of)\b", re.IGNORECASE)
_COMPILED = tuple((m.key, tuple(re.compile(p) for p in m.patterns)) for m in METRICS)
# Generic names that stand for several specific metrics unless the question names one of them.
_GENERIC = {
    "sygefravaer": ("sygefravaer_kort", "sygefravaer_lang"),
}
_FAMILY = {"sygefravaer": "sygefravaer_", "koen": "koen_"}
INTENSITY_SUFFIX = "_intensitet"
_INTENSITY_LABEL = re.compile(r"\bift ?\.? omsætning|i forhold til omsætning")
INTENSITY_QUESTION = re.compile(
    r"i forhold til (omsætning|omsetning)\w*|\bift\.? ?(omsætning|omsetning)\w*|intensitet\w*|intensity|\bper mio|"
    r"\bpr\.? mio|/ ?mio|relativ\w* til (omsætning|omsetning)|per (million|omsætningskrone)"
)


def normalise_text(text: str) -> str:
    """Lower case, NFC, footnote stars and hyphens removed, whitespace collapsed: what the patterns see."""
    s = unicodedata.normalize("NFC", text).lower().replace("*", "")
    s = re.sub(r"(?<=\w)-(?=\w)|(?<=\w)- | -(?=\w)", " ", s)
    s = s.replace("₂", "2")
    return " ".join(s.split())


def metric_spans(text: str) -> dict[str, tuple[int, int]]:
    """The metric keys named in `text` with their longest matching span (on normalised text).

    Keys whose span lies inside a longer span of another key are dropped ("firmabiler og gasser" is Scope 1,
    not the bare "firmabiler"), so the most specific metric wins.
    """
    norm = normalise_text(text)
    found: dict[str, tuple[int, int]] = {}
    for key, patterns in _COMPILED:
        best: tuple[int, int] | None = None
        for pattern in patterns:
            for m in pattern.finditer(norm):
                if best is None or m.end() - m.start() > best[1] - best[0]:
                    best = (m.start(), m.end())
        if best is not None:
            found[key] = best
    return {
        k: (a, b)
        for k, (a, b) in found.items()
        if not any(o != k and oa <= a and b <= ob and (ob - oa) > (b - a) for o, (oa, ob) in found.items())
    }


def slug(text: str) -> str:
    """A stable ASCII key for a metric the vocabulary does not know."""
    s = normalise_text(text)
    s = s.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", s).strip("_")[:80] or "metric"


def metric_key(label: str, group: str | None = None) -> str:
    """The normalised key for a metric label as printed (longest vocabulary match, else a slug).

    Labels "ift. omsætning" (per million of revenue) get the `_intensitet` suffix: a different metric.
    """
    key = _best_key(label)
    if key is None and group:
        key = _best_key(f"{group} {label}")
        if key is not None and key == _best_key(group):
            key = f"{key}__{slug(label)}"  # "Trevirke" and "Tegl" under one group row are two rows, not one metric
    if key is None:
        key = slug(f"{group} {label}" if group else label)
    if _INTENSITY_LABEL.search(normalise_text(label)) and not key.endswith(INTENSITY_SUFFIX):
        key += INTENSITY_SUFFIX
    return key


def _best_key(text: str) -> str | None:
    spans = metric_spans(text)
    for generic, family in _FAMILY.items():
        if generic in spans and any(k.startswith(family) for k in spans):
            del spans[generic]  # "Kønsdiversitet direktionen" is about the direktion, not overall
    if not spans:
        return None
    return max(spans, key=lambda k: (spans[k][1] - spans[k][0], -spans[k][0]))


def question_metrics(question: str) -> list[str]:
    """The metric keys a question asks about, most specific first; generic names expanded."""
    spans = metric_spans(question)
    if not spans:
        return []
    longest = max(b - a for a, b in spans.values())
    # Keep every metric named with a span close to the longest: "Hamlets hospitaler ... CO2" vs "bestyrelse".
    keys = [k for k, (a, b) in sorted(spans.items(), key=lambda kv: kv[1][0]) if (b - a) >= min(longest, 8)]
    if any(k not in WEAK_METRICS for k in keys):
        keys = [k for k in keys if k not in WEAK_METRICS]
    elif _SUBSET.search(question) or not (_HOW_MANY.search(question) or keys == ["omsaetning"]):
        return []  # "hvilke hospitaler kom med i …" names hospitals but asks for no number
    out: list[str] = []
    for key in keys:
        if key in _FAMILY and any(k.startswith(_FAMILY[key]) for k in keys if k != key):
            continue  # "kønsfordeling i direktionen": the direktion's row, not every gender row
        out.extend(_GENERIC.get(key, (key,)))
    return list(dict.fromkeys(out))
