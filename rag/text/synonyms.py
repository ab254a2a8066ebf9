"""A small curated synonym map for CSR vocabulary across Danish, Norwegian and English, used at query time.

The reports say the same thing in different words: a Danish question about "lokationer" must find the Norwegian
report's "lokasjoner", "whistleblowerordning" must meet "varsling", "sick leave" must meet "sygefravær". Stemming
cannot bridge these, so `expand_query` adds the analysed tokens of every other term in a group whose term the
query contains. Groups are narrow on purpose (one concept each) because BM25 weighs added tokens like typed ones.
Expansion happens only at query time, so changing the map needs no re-index.

Beside it, a word lexicon (`rag/data/word_translations.txt`): the words row labels are built from, word by word
across the three languages ("forbrug" ~ "consumption"). Broader than a synonym group, it is used only where a
question meets a table row of a report in another language (`rag.answer.rows`), never in retrieval.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources

from rag.types import Language

# Planned figures, not the year's outcome: a budget, forecast or estimate column (da, nb incl. nynorsk, en).
# Public accounts head a budget column with its initial: "R 2021" (accounts) beside "B 2021", or "Bud. 2021".
PLANNED = re.compile(
    r"\b(budget\w*|budsjett\w*|prognose\w*|forecast\w*|estimat\w*|(?:b|bud)\.? ?(?=(?:19|20)\d\d\b))", re.IGNORECASE
)

# A comparison with the year before the one a statement speaks of ("7,2 % i 2021, mot 5,9 % året før").
YEAR_BEFORE = re.compile(
    r"\b(året før|året forud|året innan|året inden|foregående år|forrige år|sidste år|i fjor|ifjor|fjoråret"
    r"|the previous year|the prior year|prior year|last year|the year before|a year earlier|a year before)\b",
    re.IGNORECASE,
)

# Whose accounts: the parent company's or the group's (da, nb, en).
PARENT = re.compile(r"\b(moderselskab\w*|morselskap\w*|parent compan\w*)", re.IGNORECASE)
GROUP = re.compile(r"(koncern\w*|konsern\w*|\bgroup\b|\bconsolidated\b)", re.IGNORECASE)

# A part of a year, not the year: a quarter or half-year column ("4. kvt. 2018", "Q3", "1. halvår", "H1").
SUB_YEAR = re.compile(
    r"(?<!\w)(?:(?P<n>[1-4])\.?\s?(?:(?P<k>kvt|kvartal|halvår|quarter)\w*\.?|(?P<k4>q))|(?P<k2>[qh])(?P<n2>[1-4])"
    r"|(?P<w>første|1st|first|anden|andet|andre|2nd|second|tredje|3rd|third|fjerde|4th|fourth)\s"
    r"(?P<k3>kvartal|halvår|quarter|half)\w*)(?!\w)",
    re.IGNORECASE,
)
_ORDINAL_WORDS = {
    **dict.fromkeys(("første", "1st", "first"), "1"),
    **dict.fromkeys(("anden", "andet", "andre", "2nd", "second"), "2"),
    **dict.fromkeys(("tredje", "3rd", "third"), "3"),
    **dict.fromkeys(("fjerde", "4th", "fourth"), "4"),
}


def sub_year(text: str) -> str | None:
    """The part of a year a text names, as "q1"–"q4" or "h1"–"h2"; None for a whole year."""
    m = SUB_YEAR.search(text)
    if m is None:
        return None
    kind = (m.group("k") or m.group("k2") or m.group("k3") or m.group("k4")).lower()
    number = m.group("n") or m.group("n2") or _ORDINAL_WORDS[m.group("w").lower()]
    return ("h" if kind.startswith(("h", "half")) else "q") + number

# One concept per line, terms separated by "|" (a line ending in "|" continues): Danish, Norwegian and English.
# Multi-word terms match when all their tokens occur in the query.
_GROUPS = """
gennemsnit|gennemsnitlig|gns|gjennomsnitt|gjennomsnittlig|gjsn|snitt|average|avg
regnskab|regnskap|rekneskap|årsregnskab|årsregnskap|årsrekneskap|accounts|financial statements
overskud|overskudd|overskot|surplus
underskud|underskudd|underskot|deficit
sygefravær|sykefravær|sjukefråvær|sick leave|sickness absence|sygdomsfravær
korttidssygefravær|korttidsfravær|korttidssykefravær|korttidssjukefråvær|short-term sick leave
langtidssygefravær|langtidsfravær|langtidssykefravær|langtidssjukefråvær|long-term sick leave
medarbejdere|medarbeidere|ansatte|tilsette|employees|personale|staff|arbejdsstyrke|arbeidsstyrke|kolleger|kollegaer
fuldtidsarbejdsstyrke|fuldtidsstillinger|årsværk|årsverk|fte|full-time equivalents|
heltidsmedarbejdere|heltidsansatte|fuldtidsansatte|fuldtidsmedarbejdere|heltidsbeskæftigede|fuldtidsbeskæftigede|
full-time employees
leverandører|leverandør|forretningsforbindelser|førsteleddsleverandører|forretningspartnere|suppliers|
underleverandører
leverandørkæde|leverandørkjede|supply chain|værdikæde|verdikjede
whistleblower|whistleblowerordning|varsling|varslingstjeneste|varslingskanal|whistleblowing|
kritikkverdige forhold|kritisable forhold
ligestilling|likestilling|gender equality|lige muligheder|like muligheter|likeverd
mangfoldighed|mangfold|diversitet|diversity|inkludering|inklusion
kønsfordeling|kjønnsfordeling|kønsdiversitet|kjønnsbalanse|gender distribution|køn|kjønn
co2-udledning|co2-utslipp|udledning|utslipp|udslip|emissioner|emissions|klimagassutslipp|drivhusgasudledning|
co2-aftryk|klimaaftryk
markedsbaseret|markedsbaserede|markedsbasert|markedsbaserte|market-based|market based
lokationsbaseret|lokationsbaserede|lokasjonsbasert|lokasjonsbaserte|location-based|location based
strømforbrug|elforbrug|elektricitetsforbrug|strømforbruk|electricity consumption
energiforbrug|energiforbruk|energy consumption|varmeforbrug|varmeforbruk
vandforbrug|vannforbruk|water consumption
affald|avfall|waste|affaldsmængde|avfallsmengde
genanvendelse|gjenvinning|resirkulering|recycling|genanvendelsesandel|genanvendelsesprocent|materialegjenvinning
genbrug|gjenbruk|reuse
reduktion|reduceret|reducere|reduksjon|redusert|redusere|reduction|reduced|reduce
ofte|hyppighed|hyppigheden|hyppighet|frekvens|frequency|how often
administrerende direktør|adm. direktør|ceo|chief executive|daglig leder|dagleg leiar
styrehonorar|styrehonorarer|bestyrelseshonorar|vederlag til bestyrelsen|godtgjørelse til styret|
godtgjersle til styret|board fees
administrerende|adm.
startede|startet|etablerede|etableret|etablert|åbnede|åbnet|åpnet|lancerede|lanceret|lansert|launched|established
antikorruption|antikorrupsjon|anti-corruption|korruption|korrupsjon|bestikkelse|bribery
menneskerettigheder|menneskerettigheter|human rights
arbejdsmiljø|arbeidsmiljø|work environment|arbejdsmiljøindeks
medarbejdertilfredshed|medarbeidertilfredshet|employee satisfaction|medarbejderundersøgelse|
medarbeiderundersøkelse|employee survey
arbejdsskader|arbeidsskader|arbejdsulykker|arbeidsulykker|work injuries|occupational injuries
lokationer|lokasjoner|locations|afdelinger|avdelinger
patienter|pasienter|patients
patienttilfredshed|pasienttilfredshet|patient satisfaction|kundetilfredshed|kundetilfredshet
adfærdskodeks|code of conduct|etiske retningslinjer|atferdskodeks
uddannelse|utdanning|education|uddannelsesbidrag
bæredygtighed|bærekraft|sustainability
samfundsansvar|samfunnsansvar|csr|corporate social responsibility
aktsomhedsvurdering|aktsomhetsvurdering|aktsomhetsvurderinger|due diligence
åbenhedsloven|åpenhetsloven|transparency act
omsætning|omsetning|revenue|nettoomsætning|salgsinntekt|salgsinntekter|driftsinntekter|net revenue|sales
resultat før skat|resultat før skattekostnad|overskud før skat|overskudd før skatt|profit before tax|pre-tax profit
årets resultat|årsresultat|nettoresultat|net profit|profit for the year
driftsresultat|operating profit|ebit
bruttoresultat|bruttofortjeneste|gross profit
bruttomargin|bruttoavance|gross margin
overskudsgrad|driftsmargin|operating margin|ebit margin
nettomargin|net margin|profit margin
særlige poster|spesielle poster|særskilte poster|special items
drikkevarer|drikke|beverages|drinks
øl|beer
egenkapital|eigenkapital|equity
aktiver i alt|samlede aktiver|sum eiendeler|sum eigedelar|eiendeler|eigedelar|total assets|balance
udbytte|utbytte|dividend
effektiv skatteprocent|effektiv skattesats|effective tax rate
frie pengestrøm|fri kontantstrøm|free cash flow
markedsværdi|markedsverdi|market capitalisation|market value
afkast på investeret kapital|avkastning på investert kapital|return on invested capital
aktietilbagekøb|tilbagekøb|tilbakekjøp|share buy-back|buy-back
nettorentebærende gæld|netto rentebærende gjeld|net interest-bearing debt|gearing
volumen|volum|volume
aktie|aktier|aksje|aksjer|share|shares
foreslå|foreslår|foreslået|foreslås|foreslått|foreslo|propose|proposed|indstiller|indstillet|innstiller|innstilt
afskrivninger|avskrivninger|avskrivingar|depreciation|amortisation|amortization
nedskrivninger|nedskrivingar|impairment|impairments|impairment losses
gæld|gjeld|debt|liabilities|forpligtelser|forpliktelser
kortfristet gæld|kortsiktig gjeld|current liabilities
langfristet gæld|langsiktig gjeld|non-current liabilities
tilgodehavender|fordringer|receivables
likvide beholdninger|likvider|bankinnskudd|bankinnskot|cash and cash equivalents
finansielle indtægter|finansindtægter|finansinntekter|financial income|finance income
finansielle omkostninger|finansomkostninger|finanskostnader|financial expenses|finance costs
skat|skatt|tax|taxes|skattekostnad|skatteudgift
investeringer|investeringar|investments|capex
anlægsaktiver|anleggsmidler|non-current assets|fixed assets
omsætningsaktiver|omløpsmidler|current assets
varelager|varebeholdning|varebeholdninger|inventories|inventory
pengestrømme|pengestrøm|kontantstrøm|kontantstraum|cash flow|cash flows
driftsomkostninger|driftskostnader|driftsutgifter|operating expenses|operating costs
renteindtægter|renteinntekter|interest income
renteudgifter|rentekostnader|interest expenses
udlån|utlån|loans|lending
indlån|innskudd|innlån|deposits
egenkapitalforrentning|egenkapitalavkastning|avkastning på egenkapital|return on equity|roe
egenkapitalandel|egenkapitalprosent|soliditetsgrad|soliditet|equity ratio|solvency ratio
tilskud|tilskudd|tilskot|grants|subsidies
lønninger|lønnskostnad|lønnskostnader|lønskostnad|lønskostnader|lønomkostninger|personaleomkostninger|staff costs|
wages|salaries
leverandørgæld|leverandørgjeld|trade payables
pensionsudgifter|pensjonskostnader|pension costs|pensioner
medarbejderomsætning|personaleomsætning|turnover|medarbejderomsætningshastighed|gjennomtrekk
kvinder|kvinner|women
mænd|menn|men
bestyrelse|styre|styret|board of directors
direktion|direksjon|topledelse|toppledelse|executive management
ledere|managers|mellemledere|mellomledere
sundhed|helse|health
sygehus|sykehus|hospital|hospitaler
klinikker|klinikk|clinics
økologi|økologisk|organic
engangsartikler|engangsudstyr|engangsplast|single-use|engangsprodukter
mål|målsætning|målsetning|target|goal
måned|måneder|måneders|mdr|mnd|md|month|months
flertallet|flertal|majoriteten|størstedelen|størsteparten|de fleste|the majority
ligger|beliggende|lokaliseret|lokalisert|placeret|plassert|located
risikovurdering|risikovurderinger|risk assessment|risikoanalyse
leverandørrevision|leverandørrevisjon|supplier audit
"""
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = tuple(
    tuple(term.strip() for term in line.split("|")) for line in _GROUPS.strip().replace("|\n", "|").splitlines()
)


def _analyse(text: str, language: Language) -> tuple[str, ...]:
    from rag.text.analysis import default_analyzer  # local import: rag.text.analysis imports nothing from here

    return tuple(default_analyzer().base_tokens(text, language))


# Per group: the token tuples that trigger it and all tokens it adds.
_Compiled = tuple[tuple[tuple[tuple[str, ...], ...], tuple[str, ...]], ...]


@lru_cache(maxsize=1)
def _compiled() -> _Compiled:
    """The synonym groups compiled, each term stemmed in all three languages."""
    return _compile(SYNONYM_GROUPS)


def _compile(groups: Iterable[Sequence[str]]) -> _Compiled:
    languages: tuple[Language, ...] = ("da", "nb", "en")
    compiled = []
    for group in groups:
        triggers = tuple(dict.fromkeys(t for term in group for lang in languages if (t := _analyse(term, lang))))
        added = tuple(dict.fromkeys(tok for term in group for lang in languages for tok in _analyse(term, lang)))
        compiled.append((triggers, added))
    return tuple(compiled)


def _fire(compiled: _Compiled, tokens: tuple[str, ...]) -> list[str]:
    """The tokens of every group one of whose terms has all its tokens among `tokens`, less those present."""
    present = set(tokens)
    extra: dict[str, None] = {}
    for triggers, added in compiled:
        if any(all(t in present for t in trigger) for trigger in triggers):
            for token in added:
                if token not in present:
                    extra[token] = None
    return list(extra)


@lru_cache(maxsize=1)
def _compiled_words() -> _Compiled:
    """The word lexicon (`rag/data/word_translations.txt`) compiled like the synonym groups."""
    text = resources.files("rag").joinpath("data", "word_translations.txt").read_text(encoding="utf-8")
    lines = (line.strip() for line in text.splitlines())
    return _compile(tuple(term.strip() for term in line.split("|")) for line in lines if line and line[0] != "#")


@lru_cache(maxsize=1)
def lexicon_words() -> frozenset[str]:
    """Every analysed single word of the word lexicon: the parts a row's compound is translated by, word by word."""
    return frozenset(t for triggers, _added in _compiled_words() for trigger in triggers if len(trigger) == 1
                     for t in trigger)


def translate_words(tokens: Iterable[str]) -> list[str]:
    """The analysed words of other languages (and spellings) for analysed tokens, from the word lexicon.

    For table rows only: a row "Fuel consumption" carries "brændstof", "drivstoff", "forbrug", "forbruk", so a
    question's compound split into parts meets it word by word.
    """
    return _fire(_compiled_words(), tuple(tokens))


def expand_query(tokens_or_text: str | Sequence[str], language: Language) -> list[str]:
    """The extra tokens synonyms add to a query: analysed (stemmed with both stemmers), not already present.

    Accepts the raw question or its analysed tokens. A group fires when all tokens of one of its terms are in
    the query; it then adds every term of the group, stemmed as Danish, Norwegian and English so that chunks of
    either language can match.
    """
    tokens = _analyse(tokens_or_text, language) if isinstance(tokens_or_text, str) else tuple(tokens_or_text)
    return _fire(_compiled(), tokens)


@lru_cache(maxsize=4096)
def group_tokens(token: str) -> frozenset[str]:
    """Every analysed token of the groups an analysed token belongs to: the words a synonym match names."""
    return frozenset(t for _triggers, added in _compiled() if token in added for t in added)


@lru_cache(maxsize=4096)
def translation_tokens(token: str) -> frozenset[str]:
    """Every analysed token of the word-lexicon lines an analysed token belongs to (see `translate_words`)."""
    return frozenset(t for _triggers, added in _compiled_words() if token in added for t in added)


def synonyms_of(term: str) -> tuple[str, ...]:
    """The other terms in the groups holding `term` (exact, case-insensitive); for `rag search` and debugging."""
    term = term.lower()
    found: dict[str, None] = {}
    for group in SYNONYM_GROUPS:
        if term in group:
            found.update((t, None) for t in group if t != term)
    return tuple(found)
