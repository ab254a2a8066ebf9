"""Every interface string of the app in Danish and Norwegian Bokmål, in one place.

The app never writes an interface string of its own: it asks `t(language, key, **values)`. Both tables must
have the same keys (tests/test_i18n.py checks it), so a new string cannot be added in one language only.
`STREAMLIT_ENGLISH` lists the English texts Streamlit puts on the page by itself; the app hides or replaces
them (see `streamlit_css`), and the browser test asserts that none of them is visible.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rag.types import Language

LANGUAGES: tuple[Language, ...] = ("da", "nb")
LANGUAGE_NAMES: dict[Language, str] = {"da": "Dansk", "nb": "Norsk"}

DA: dict[str, str] = {
    "page_title": "Spørg CSR-rapporterne",
    "title": "Spørg CSR-rapporterne",
    "intro": "Stil et spørgsmål på dansk eller norsk. Hvert svar har nummererede kilder, som du kan åbne. "
             "Du kan spørge videre, fx «og året før?» eller «hvad med Norge?».",
    "examples": "Prøv et eksempel:",
    "chat_placeholder": "Stil et spørgsmål om rapporterne …",
    "searching": "Søger i rapporterne …",
    "searching_llm": "Søger i rapporterne, og sprogmodellen skriver …",
    "loading": "Indlæser rapporterne …",
    "loading_llm": "Forbereder sprogmodellen …",
    "understood_as": "Opfattet som: «{question}»",
    "scope_none": "ingen rapporter i samlingen",
    "scope_conflict": "Filteret i sidepanelet og spørgsmålet udelukker hinanden; fjern organisationsfilteret.",
    "sidebar_header": "CSR-rapporter",
    "ui_language": "Sprog",
    "mode": "Visning",
    "mode_chat": "Spørgsmål",
    "mode_draft": "Udkast",
    "mode_help": "Spørgsmål: stil spørgsmål til rapporterne. Udkast: få en tekst med fodnoter til kommunikation.",
    "filters": "Filtre",
    "f_docs": "Dokument",
    "f_docs_all": "Alle dokumenter",
    "f_orgs": "Organisation",
    "f_orgs_all": "Alle organisationer",
    "f_years": "Rapportår",
    "f_years_all": "Alle år",
    "f_langs": "Rapportens sprog",
    "f_langs_all": "Alle sprog",
    "new_chat": "Ny samtale",
    "index": "Rapportsamling",
    "index_counts": "{docs} rapporter · {chunks} tekstafsnit · {facts} tal",
    "index_built": "Opdateret {when}",
    "index_stale": "Rapportmappen er ændret, siden samlingen sidst blev opdateret.",
    "index_damaged": "Indeksfilerne på disken er beskadigede (svarene her kommer fra den indlæste udgave). "
                     "Klik «Genopbyg indeks» for at reparere dem.",
    "rebuild": "Genopbyg indeks",
    "rebuilding": "Opdaterer samlingen …",
    "rebuilt": "Samlingen er opdateret: {docs} rapporter.",
    "no_index": "Der er ingen rapportsamling endnu. Den bygges nu ud fra rapporterne i «{folder}» – det tager et "
                "par minutter første gang.",
    "progress_waiting": "Venter på, at en anden opdatering bliver færdig",
    "progress_reading": "Læser rapporterne",
    "progress_embedding": "Gør teksterne søgbare",
    "progress_saved": "Filen er gemt",
    "progress_done": "Færdig",
    "left_min": "ca. {n} min tilbage",
    "left_s": "ca. {n} s tilbage",
    "upload": "Tilføj rapport",
    "upload_help": "PDF, TXT eller MD, {sizes}. Filen lægges i rapportmappen, og kun den nye fil læses ind; går "
                   "noget galt, beholdes den tidligere fil og samlingen, som den var.",
    "upload_size": "højst {mb} MB",
    "upload_sizes": "PDF højst {pdf} MB, TXT/MD højst {text} MB",
    "upload_label": "Vælg en fil",
    "upload_drop": "Træk en fil hertil",
    "upload_browse": "Vælg fil",
    "upload_go": "Tilføj rapporten",
    "upload_exists": "Der findes allerede en rapport med filnavnet {name}.",
    "upload_replace": "Erstat den med den nye fil",
    "upload_confirm": "Sæt flueben ved «Erstat den med den nye fil» for at erstatte den.",
    "upload_checking": "Tjekker filen …",
    "upload_added": "{name} er tilføjet. Samlingen har nu {docs} rapporter.",
    "upload_replaced": "{name} er erstattet med den nye udgave. Samlingen har {docs} rapporter.",
    "upload_skipped": "Filen er gemt, men kunne ikke læses: {reason}",
    "err_question": "Spørgsmålet kan ikke stilles sådan",
    "err_busy": "Samlingen bliver opdateret et andet sted – prøv igen, når det er færdigt",
    "err_write": "Samlingen kunne ikke gemmes; den hidtidige udgave bruges stadig",
    "err_index": "Rapportsamlingen kan ikke bruges – klik «Genopbyg indeks» i sidepanelet",
    "err_model": "Sprogmodellen kunne ikke indlæses",
    "err_upload": "Filen kunne ikke tilføjes",
    "err_feedback": "Vurderingen kunne ikke gemmes",
    "err_generic": "Det lykkedes ikke",
    "err_details": "Tekniske detaljer",
    "sources": "Kilder",
    "source_n": "Kilde {n}",
    "page_short": "s. {page}",
    "show_in_document": "Vis i dokumentet",
    "document_page": "Side {page} af {pages}",
    "document_excerpt": "Udsnit af side {page} med det citerede markeret",
    "whole_page": "Hele side {page}",
    "document_section": "Afsnittet «{section}»",
    "document_missing": "{title} findes ikke længere i rapportmappen, så stedet kan ikke vises.",
    "passage_not_found": "Det citerede sted kunne ikke findes præcist på siden; her er hele siden.",
    "context_before": "Sætningen før",
    "unit": "Enhed",
    "target": "Mål",
    "row": "Række",
    "trend": "Udvikling",
    "trend_year": "År",
    "trend_value": "Værdi",
    "trend_source": "Kilde",
    "trend_series": "Tal",
    "copy": "Kopiér svaret",
    "copy_help": "Markér teksten, eller brug kopiknappen i feltets hjørne.",
    "download_answer": "Hent svaret med kilder",
    "export_question": "Spørgsmål",
    "export_answer": "Svar",
    "export_sources": "Kilder",
    "feedback_comment": "Kommentar (valgfri)",
    "feedback_placeholder": "Hvad var godt eller forkert?",
    "feedback_saved": "Tak – din vurdering er gemt.",
    "llm_note": "Svarene skrives af en sprogmodel og kontrolleres mod kilderne; sætninger uden belæg fjernes.",
    "draft_title": "Udkast til kommunikation",
    "draft_intro": "Beskriv emnet. Udkastet bygges af rapporternes egne tal og udsagn; hvert tal får en fodnote "
                   "til sin kilde.",
    "draft_instruction": "Hvad skal teksten handle om?",
    "draft_default": "Skriv et kort afsnit om vores klimaindsats i 2025",
    "draft_go": "Lav udkast",
    "drafting": "Finder tal og udsagn …",
    "draft_problems": "Udkastet har tal uden dækkende kilde: {problems}",
    "draft_md": "Hent som Markdown",
    "draft_docx": "Hent som Word (DOCX)",
    "months": "januar februar marts april maj juni juli august september oktober november december",
    "when": "{day}. {month} {year} kl. {time}",
}

NB: dict[str, str] = {
    "page_title": "Spør CSR-rapportene",
    "title": "Spør CSR-rapportene",
    "intro": "Still et spørsmål på norsk eller dansk. Hvert svar har nummererte kilder som du kan åpne. "
             "Du kan spørre videre, f.eks. «og året før?» eller «hva med Danmark?».",
    "examples": "Prøv et eksempel:",
    "chat_placeholder": "Still et spørsmål om rapportene …",
    "searching": "Søker i rapportene …",
    "searching_llm": "Søker i rapportene, og språkmodellen skriver …",
    "loading": "Laster inn rapportene …",
    "loading_llm": "Forbereder språkmodellen …",
    "understood_as": "Tolket som: «{question}»",
    "scope_none": "ingen rapporter i samlingen",
    "scope_conflict": "Filteret i sidepanelet og spørsmålet utelukker hverandre; fjern organisasjonsfilteret.",
    "sidebar_header": "CSR-rapporter",
    "ui_language": "Språk",
    "mode": "Visning",
    "mode_chat": "Spørsmål",
    "mode_draft": "Utkast",
    "mode_help": "Spørsmål: still spørsmål til rapportene. Utkast: få en tekst med fotnoter til kommunikasjon.",
    "filters": "Filtre",
    "f_docs": "Dokument",
    "f_docs_all": "Alle dokumenter",
    "f_orgs": "Organisasjon",
    "f_orgs_all": "Alle organisasjoner",
    "f_years": "Rapportår",
    "f_years_all": "Alle år",
    "f_langs": "Rapportens språk",
    "f_langs_all": "Alle språk",
    "new_chat": "Ny samtale",
    "index": "Rapportsamling",
    "index_counts": "{docs} rapporter · {chunks} tekstavsnitt · {facts} tall",
    "index_built": "Oppdatert {when}",
    "index_stale": "Rapportmappen er endret siden samlingen sist ble oppdatert.",
    "index_damaged": "Indeksfilene på disken er skadet (svarene her kommer fra den innlastede utgaven). "
                     "Klikk «Bygg indeksen på nytt» for å reparere dem.",
    "rebuild": "Bygg indeksen på nytt",
    "rebuilding": "Oppdaterer samlingen …",
    "rebuilt": "Samlingen er oppdatert: {docs} rapporter.",
    "no_index": "Det finnes ingen rapportsamling ennå. Den bygges nå fra rapportene i «{folder}» – det tar noen "
                "minutter første gang.",
    "progress_waiting": "Venter på at en annen oppdatering blir ferdig",
    "progress_reading": "Leser rapportene",
    "progress_embedding": "Gjør tekstene søkbare",
    "progress_saved": "Filen er lagret",
    "progress_done": "Ferdig",
    "left_min": "ca. {n} min igjen",
    "left_s": "ca. {n} s igjen",
    "upload": "Legg til rapport",
    "upload_help": "PDF, TXT eller MD, {sizes}. Filen legges i rapportmappen, og bare den nye filen leses inn; går "
                   "noe galt, beholdes den forrige filen og samlingen slik den var.",
    "upload_size": "høyst {mb} MB",
    "upload_sizes": "PDF høyst {pdf} MB, TXT/MD høyst {text} MB",
    "upload_label": "Velg en fil",
    "upload_drop": "Dra en fil hit",
    "upload_browse": "Velg fil",
    "upload_go": "Legg til rapporten",
    "upload_exists": "Det finnes allerede en rapport med filnavnet {name}.",
    "upload_replace": "Erstatt den med den nye filen",
    "upload_confirm": "Kryss av for «Erstatt den med den nye filen» for å erstatte den.",
    "upload_checking": "Sjekker filen …",
    "upload_added": "{name} er lagt til. Samlingen har nå {docs} rapporter.",
    "upload_replaced": "{name} er erstattet med den nye utgaven. Samlingen har {docs} rapporter.",
    "upload_skipped": "Filen er lagret, men kunne ikke leses: {reason}",
    "err_question": "Spørsmålet kan ikke stilles slik",
    "err_busy": "Samlingen blir oppdatert et annet sted – prøv igjen når det er ferdig",
    "err_write": "Samlingen kunne ikke lagres; den forrige utgaven brukes fortsatt",
    "err_index": "Rapportsamlingen kan ikke brukes – klikk «Bygg indeksen på nytt» i sidepanelet",
    "err_model": "Språkmodellen kunne ikke lastes inn",
    "err_upload": "Filen kunne ikke legges til",
    "err_feedback": "Vurderingen kunne ikke lagres",
    "err_generic": "Det lyktes ikke",
    "err_details": "Tekniske detaljer",
    "sources": "Kilder",
    "source_n": "Kilde {n}",
    "page_short": "s. {page}",
    "show_in_document": "Vis i dokumentet",
    "document_page": "Side {page} av {pages}",
    "document_excerpt": "Utsnitt av side {page} med det siterte markert",
    "whole_page": "Hele side {page}",
    "document_section": "Avsnittet «{section}»",
    "document_missing": "{title} finnes ikke lenger i rapportmappen, så stedet kan ikke vises.",
    "passage_not_found": "Det siterte stedet ble ikke funnet nøyaktig på siden; her er hele siden.",
    "context_before": "Setningen før",
    "unit": "Enhet",
    "target": "Mål",
    "row": "Rad",
    "trend": "Utvikling",
    "trend_year": "År",
    "trend_value": "Verdi",
    "trend_source": "Kilde",
    "trend_series": "Tall",
    "copy": "Kopier svaret",
    "copy_help": "Merk teksten, eller bruk kopieringsknappen i hjørnet av feltet.",
    "download_answer": "Last ned svaret med kilder",
    "export_question": "Spørsmål",
    "export_answer": "Svar",
    "export_sources": "Kilder",
    "feedback_comment": "Kommentar (valgfritt)",
    "feedback_placeholder": "Hva var bra eller feil?",
    "feedback_saved": "Takk – vurderingen din er lagret.",
    "llm_note": "Svarene skrives av en språkmodell og kontrolleres mot kildene; setninger uten belegg fjernes.",
    "draft_title": "Utkast til kommunikasjon",
    "draft_intro": "Beskriv temaet. Utkastet bygges av rapportenes egne tall og utsagn; hvert tall får en fotnote "
                   "til kilden.",
    "draft_instruction": "Hva skal teksten handle om?",
    "draft_default": "Skriv et kort avsnitt om vårt klimaarbeid i 2024",
    "draft_go": "Lag utkast",
    "drafting": "Finner tall og utsagn …",
    "draft_problems": "Utkastet har tall uten dekkende kilde: {problems}",
    "draft_md": "Last ned som Markdown",
    "draft_docx": "Last ned som Word (DOCX)",
    "months": "januar februar mars april mai juni juli august september oktober november desember",
    "when": "{day}. {month} {year} kl. {time}",
}

TABLES: dict[Language, Mapping[str, str]] = {"da": DA, "nb": NB}

# Example questions per interface language; each is answered by the bundled corpus.
EXAMPLES: dict[Language, tuple[str, ...]] = {
    "da": (
        "Hvad var sygefraværet i 2025?",
        "Hvordan har CO2-udledningen fra el udviklet sig fra 2021 til 2025?",
        "Hvordan arbejder Aleris med diversitet?",
    ),
    "nb": (
        "Hvor mange lokasjoner har Aleris i Norge?",
        "Hva gjør Aleris Helse for å følge opp leverandørene?",
        "Hvordan har eNPS utviklet seg fra 2021 til 2025?",
    ),
}

# English texts Streamlit itself puts on a page (upload zone, placeholders, status, menus, input hints).
STREAMLIT_ENGLISH: tuple[str, ...] = (
    "Drag and drop", "Browse files", "per file", "Limit", "Choose an option", "Choose options", "No results",
    "Running", "Stop", "Deploy", "Press Enter", "to apply", "Your message", "Made with Streamlit", "Clear all",
    "Rerun", "Settings", "Print", "Clear cache", "Record a screencast", "Developer options", "Upload",
    "Remove", "Fullscreen", "Show data", "Download", "Search", "Close", "Loading", "Please wait",
)


def t(language: Language, key: str, **values: object) -> str:
    """The interface string `key` in `language`, with `{name}` placeholders filled from `values`."""
    text = TABLES[language][key]
    return text.format(**values) if values else text


def interface_language(code: str | None, default: Language = "da") -> Language:
    """A browser locale ("nb-NO", "no", "nn", "da-DK") as one of the app's languages."""
    if not code:
        return default
    head = code.lower().replace("_", "-").split("-")[0]
    if head in ("nb", "no", "nn"):
        return "nb"
    if head == "da":
        return "da"
    return default


def english_on_page(text: str) -> list[str]:
    """The Streamlit English texts found in a page's visible text (whole words, case-sensitive as shown)."""
    return [word for word in STREAMLIT_ENGLISH if re.search(rf"(?<![\wæøå]){re.escape(word)}(?![\wæøå])", text)]


def streamlit_css(language: Language) -> str:
    """CSS that hides Streamlit's own English texts and puts the interface language's words in their place.

    Streamlit has no setting for its built-in texts; the upload zone's "Drag and drop file here", its
    "Limit 25MB per file" and "Browse files", the input hint "Press Enter to apply" and the "Running…" status are
    replaced or hidden here. The page also never scrolls sideways on a phone: long table rows and code scroll
    inside their own box.
    """
    drop = t(language, "upload_drop").replace('"', "")
    browse = t(language, "upload_browse").replace('"', "")
    return f"""
<style>
[data-testid="stFileUploaderDropzoneInstructions"] span,
[data-testid="stFileUploaderDropzoneInstructions"] small {{ display: none; }}
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {{ content: "{drop}"; font-size: 0.9rem; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] {{ display: none; }}
[data-testid="stFileUploaderDropzone"] button > div::after {{ content: "{browse}"; }}
[data-testid="InputInstructions"], [data-testid="stStatusWidget"] {{ display: none; }}
[data-testid="stMarkdownContainer"] table {{ display: block; max-width: 100%; overflow-x: auto; }}
[data-testid="stMarkdownContainer"] td, [data-testid="stMarkdownContainer"] th {{ white-space: nowrap; }}
[data-testid="stMarkdownContainer"] td:first-child {{ white-space: normal; min-width: 7rem; }}
@media (max-width: 640px) {{
  [data-testid="stMarkdownContainer"] table {{ font-size: 0.78rem; }}
  [data-testid="stMarkdownContainer"] td, [data-testid="stMarkdownContainer"] th {{ padding: 0.25rem 0.3rem; }}
}}
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li {{ overflow-wrap: anywhere; }}
</style>
"""
