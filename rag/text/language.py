"""Danish vs Norwegian Bokmål detection (and English, for reports), and the fixed phrases we answer with in each."""

from __future__ import annotations

import re

from rag.types import Language, Written

# Words frequent in one language and rare or absent in the other (spelling pairs mostly).
_DA = set(
    """
    hvad af blev blevet mig dig sig nu efter meget nogen noget været fået sygefravær sygefraværet medarbejdere
    medarbejderne medarbejder selskabet virksomheden virksomhed sidste vores bliver gennem udledning udledningen
    kønsfordeling korttidssygefravær langtidssygefravær hvornår havde tal uge gør gøre spørgsmål ligestilling
    mellem patienter patient menneskerettigheder leverandørerne affald strømforbrug hospitaler hospital fik jer
    jeres kvinder mænd bestyrelsen bestyrelse brugte bruger procent antal ansat sådan hjælp arbejde arbejdet
    arbejdsmiljø samfundsansvar bæredygtighed uddannelse direktionen læger lægerne udviklet udvikling faldt fald
    stigning reduktion mod gennemsnit skete sket købte hos sygeplejersker vandforbrug varmeforbrug
    energiforbrug genanvendelse mål målet ønsker tilfredshed kunder kunderne ud deltager erhvervsliv
    """.split()
)
_NB = set(
    """
    hva av ble blitt meg deg seg nå etter mye noe vært fått sykefravær sykefraværet medarbeidere medarbeiderne
    medarbeider selskapet virksomheten virksomhet fjor forretningsforbindelser åpenhetsloven
    aktsomhetsvurderinger aktsomhetsvurderingene likestilling varsling rapportene gjør gjøre spørsmål fikk hadde
    utslipp utslippene kjønnsfordeling lokasjoner pasienter pasient menneskerettigheter arbeidsforhold gjennom
    mellom tiltak innen vår våre dere helse sykehus avfall strømforbruk leverandørkjeden ansatte jobber ikkje
    kvinner menn styret styre brukte bruker prosent antall ansatt slik hjelp arbeid arbeidet arbeidsmiljø
    samfunnsansvar bærekraft utdanning leger utviklet utvikling falt fall økning reduksjon tall mot
    gjennomsnitt skjedde gjelder gjennomført vurdert kartlagt innenfor noen norske norsk
    leverandører risiko ut deltar næringsliv
    kva kven korleis kvifor ikkje eit vart mykje noko berre dei frå tilsette sjukefråvær sjukefråværet overskot
    underskot rekneskap rekneskapen årsmelding
    """.split()
)
_DA_ONLY = _DA - _NB
_NB_ONLY = _NB - _DA
# Spelling patterns: Norwegian -het/-skap/ei and k/p/t where Danish has -hed/-skab/ej and g/b/d.
_NB_PATTERNS = re.compile(
    r"\w+(?:het|heten|skap|skapet)\b|\w*ei\w*|\w*sjon\w*|\w*syk(?:e|dom)\w*|\w*pasient\w*|\w*sertifi\w*|\btonn\b"
    r"|\bmott(?:ok|att)\b|\bbrudd\w*|\bfunnet\b|\bdekk\w*|\bslapp\b|\w+saker\b|\w*hjelp\w*|\w*kjønn\w*"
    r"|\w*utslipp\w*|\bkvinne\w*|\w*fråvær\w*|\bsjuk\w*|\w+skot(?:et)?\b",
    re.IGNORECASE,
)
_DA_PATTERNS = re.compile(
    r"\w+(?:hed|heden|skab|skabet)\b|\w*ej\w*|\w*tion\w*|\w*syg(?:e|dom)\w*|\w*patient\w*|\w*certifi\w*|\bton\b"
    r"|\bmodt(?:og|aget)\b|\bbrud\b|\bfundet\b|\bdækk\w*|\w+sager\b|\w*hjælp\w*|\w*køn\w*|\w*udled\w*"
    r"|\bkvinde\w*|\w+ede\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-zæøåäö]+", re.IGNORECASE)


# English function words: a report is English when these outnumber the Danish and Norwegian markers.
_EN = frozenset(
    """
    the and of to is are was were which that with for from this these those have has been be by on our their its
    we they it an as at or not will would also than more during through between into about such other
    """.split()
)


def detect_language(text: str, default: Language = "da", english: bool = False) -> Language:
    """Guess da or nb from marker words and spellings; ties fall back to `default`.

    With `english` (reports, not questions: people ask in Danish or Norwegian), a text whose English function
    words clearly outnumber the Scandinavian markers is "en".
    """
    words = [w.lower() for w in _WORD.findall(text)]
    da = sum(w in _DA_ONLY for w in words) * 2
    nb = sum(w in _NB_ONLY for w in words) * 2
    da += len(_DA_PATTERNS.findall(text))
    nb += len(_NB_PATTERNS.findall(text))
    if english and words:
        en = sum(w in _EN for w in words)
        if en >= 0.08 * len(words) and en > 2 * max(da, nb):
            return "en"
    if da == nb:
        return default
    return "da" if da > nb else "nb"


# Nynorsk and Bokmål are one language to the stemmer but two written standards to a reader: words frequent in one
# and not written in the other (function words first, then report words), and the adjective endings -leg/-lig.
_NYNORSK_WORDS = frozenset(
    """
    ikkje eit kva kven korleis kvifor frå vart berre mykje noko nokon nokre vere hjå òg desse sjølv medan fekk
    gjekk eigen eiga eige eigne heile saman sidan difor fleire meir kvar dykk ho dei deira ein einskild
    tilsette verksemd verksemda rekneskap rekneskapen sjukefråvær sjukefråværet fråvær utslepp tal talet høve
    """.split()
)
_BOKMAAL_WORDS = frozenset(
    """
    ikke et hva hvem hvordan hvorfor fra ble bare mye noe noen være hos også disse selv mens fikk gikk egen egne
    hele sammen siden derfor flere mer hver deres en enkelt ansatte virksomhet virksomheten regnskap regnskapet
    sykefravær sykefraværet fravær utslipp antall
    """.split()
)
_NYNORSK_ENDING = re.compile(r"\b\w{3,}leg(?:e|t)?\b", re.IGNORECASE)
_BOKMAAL_ENDING = re.compile(r"\b\w{3,}lig(?:e|t)?\b", re.IGNORECASE)


def is_nynorsk(text: str) -> bool:
    """Whether a Norwegian text is written in Nynorsk ("Kva var sjukefråværet?", "Styret meiner at …").

    Its markers must outnumber Bokmål's: a Bokmål report quoting a Nynorsk name stays Bokmål.
    """
    words = [w.lower() for w in _WORD.findall(text)]
    nn = sum(w in _NYNORSK_WORDS for w in words) + len(_NYNORSK_ENDING.findall(text))
    nb = sum(w in _BOKMAAL_WORDS for w in words) + len(_BOKMAAL_ENDING.findall(text))
    return nn > nb


def written(language: Language, nynorsk: bool) -> Written:
    """The written standard of a text: its language, Norwegian told apart as Bokmål ("nb") or Nynorsk ("nn")."""
    return "nn" if language == "nb" and nynorsk else language


ABSTAIN: dict[Language, str] = {
    "da": "Det kan jeg ikke finde i rapporterne.",
    "nb": "Det finner jeg ikke i rapportene.",
    "en": "I cannot find that in the reports.",
}
