"""Function words of Danish, Norwegian and English, and telling a question's finite verb from its nouns.

Curated, general vocabulary (no report's words): where a noun phrase ends, which word of a question is its verb.
"""

from __future__ import annotations

import re

# Prepositions of Danish, Norwegian and English: where a noun phrase ends ("Aktionærer | i banken").
PREPOSITIONS = frozenset(
    """
    i på af av til for med fra ved hos om under over efter etter mod mot uden uten inden innen blandt blant
    gennem gjennom mellem mellom siden ifølge iflg hen langs omkring rundt bag bak foran in on of from by with
    about
    """.split()
)
PARTICLES = frozenset("ud ut op opp ind inn ned frem fram hjem væk vekk bort tilbage tilbake".split())
PRONOUNS = frozenset("jeg du han hun den det vi de man dere dem os oss we they you it i".split())
DETERMINERS = frozenset(
    "den det de en et ei alle hver hvert vores våre vår vårt sin sit sitt sine deres the a an".split()
)
# Finite verbs that often follow question words; other verbs are told by their endings or by the subject after them.
FINITE_VERBS = frozenset(
    """
    er var blev ble bliver blir har havde hadde skal skulle vil ville kan kunne må måtte bør burde får fik fikk
    gør gjør gjorde går gik gikk kom kommer ligger lå står stod sto findes finnes fins hedder heter hed het
    kaldes kalles bruger bruker brugte brukte giver gir gav ga tager tar tog tok tilbyder tilbyr tilbød deltager
    deltar deltog dækker dekker støtter støttet sender sendte købte kjøpte modtog mottok fandt fant vandt vant
    ejer eier driver arbejder arbeider samarbejder samarbeider bidrager bidrar indeholder inneholder omfatter
    udgør utgjør anvender benytter holder holdt laver lager skaber skaper sikrer måler opnåede oppnådde
    steg faldt falt voksede vokste økte øgede sank
    is are was were has have had does did will can
    """.split()
)


# Words that ask how much something changed ("hvor meget faldt …", "reduktionen", "how much did … increase"): a
# share it changed by answers them, and only them.
CHANGE_WORDS = re.compile(
    r"\b(?:steg|stiger|steget|faldt|falder|faldet|falt|faller|økte|øker|økt|øgede|øger|øget|sank|reducere\w*|"
    r"reduser\w*|reduktion\w*|reduksjon\w*|stigning\w*|økning\w*|forøgelse\w*|fald|fallet|nedgang\w*|"
    r"forbedre\w*|forbedring\w*|ændr\w*|endr\w*|halver\w*|fordobl\w*|vækst|vekst|udvikl\w*|utvikl\w*|"
    r"increas\w*|decreas\w*|reduc\w*|rose|risen|fell|fallen|drop\w*|improv\w*|chang\w*|grew|growth)\b",
    re.IGNORECASE,
)

# When in the year, not what: "ved udgangen af 2020", a column "Ultimo 2023" is said of every year-end figure.
PERIOD_WORDS = frozenset("udgangen utgangen ultimo primo slutningen slutten".split())


def definite_like(word: str) -> bool:
    """A noun in its definite form ("brugen", "medarbejderne"): the subject after a verb, in V2 order."""
    w = word.lower()
    return w not in FINITE_VERBS and (w.endswith(("ene", "erne", "ne")) or (len(w) >= 6 and w.endswith(("et", "en"))))


def subject_like(word: str) -> bool:
    """A name or a pronoun: what stands after the finite verb of a question."""
    return word[:1].isupper() or word.lower() in PRONOUNS


def verb_like(word: str, following: str | None) -> bool:
    """Whether a question word is its finite verb: a known verb, a past-tense ending, or the subject follows it."""
    w = word.lower()
    if w in FINITE_VERBS:
        return True
    if word[:1].isupper() or not word[:1].isalpha() or w in PREPOSITIONS or w in DETERMINERS:
        return False
    if following is not None and following.lower() not in DETERMINERS:
        if subject_like(following) or (following[:1].islower() and definite_like(following)):
            return True  # V2: the subject follows the verb ("Hvilket system bruger Nordlys …", "steg brugen")
    return len(w) > 4 and w.endswith(("ede", "ete", "te", "dde"))


# Words of the question phrase itself ("hvor mange", "hvor stor en andel"): never its verb.
_QUESTION_PHRASE = frozenset(
    "hvad hva hvor hvem hvilken hvilket hvilke hvornår når hvordan hvorfor mange meget mye stor store stort "
    "høj højt høy høyt lang langt what which who how many much".split()
)
# Pronouns that are also prepositions or articles ("i", "den", "de"): no sign of a subject.
_CLEAR_PRONOUNS = PRONOUNS - {"i", "den", "det", "de"}


def question_verb(question: str) -> str | None:
    """The finite verb of a question, as written: a known one, or the first its subject follows (V2 order).

    "Hvad kostede driften …", "… solgte bryggeriet i 2023?": the verb says what was done, not what is measured.
    The past-tense ending alone is not enough here: "hvor mange ansatte havde …" counts employees.
    """
    words: list[str] = re.findall(r"[^\W\d_][\w'’-]*", question)
    if words and words[0].lower() in FINITE_VERBS:
        return words[0]  # a yes/no question starts with its verb ("Er sygefraværet steget …?")
    for i, word in enumerate(words[1:], start=1):
        following = words[i + 1] if i + 1 < len(words) else None
        w = word.lower()
        if w in FINITE_VERBS:
            return word
        if word[:1].isupper() or w in PREPOSITIONS or w in DETERMINERS or w in _QUESTION_PHRASE or following is None:
            continue
        if definite_like(word):
            continue  # a noun in its definite form is the subject ("sygefraværet steget"), not the verb
        subject = following[:1].isupper() or following.lower() in _CLEAR_PRONOUNS
        if following.lower() not in DETERMINERS and (subject or (following[:1].islower() and definite_like(following))):
            return word
    return None
