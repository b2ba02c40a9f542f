"""The fixed words of a quote sheet, in Norwegian Bokmål and English."""

from __future__ import annotations

from qualcode.wording import plural

TEXTS: dict[str, dict[str, str]] = {
    "nb": {
        "subtitle": "Sitater etter {keys}",
        "subtitle_none": "Sitater",
        "and": "og",
        "code": "kode",
        "study": "Studie",
        "codebook": "Kodebok",
        "coders": "Koding av",
        "date": "Dato",
        "choices": "Utvalg",
        "count": "Omfang",
        "count_text": "{quotes} fra {informants}, {codes}",
        "contents": "Innhold",
        "toc_placeholder": "Innholdsfortegnelsen er ikke laget ennå. I Word: høyreklikk her og "
        "velg «Oppdater felt» (eller klikk her og trykk F9). I LibreOffice: velg Verktøy › "
        "Oppdater › Alle (eller høyreklikk her og velg «Oppdater register»).",
        "include": "Bruk når: ",
        "exclude": "Ikke bruk når: ",
        "code_count": "{quotes} fra {informants}",
        "line": "linje",
        "memo": "Notat: ",
        "missing": "(ikke oppgitt)",
        "no_informant": "(uten informant)",
        "matrix_title": "Oversikt: kode × {key}",
        "matrix_note": "Hver celle: antall sitater (antall informanter). Tallene gjelder "
        "sitater kodet direkte med koden.",
        "total": "Totalt",
        "columns_key": "Kolonnene ({key}): ",
        "quotes": "Sitater",
        "page": "side",
        "all": "alle",
        "codes": "Koder",
        "transcripts": "Transkripsjoner",
        "min words": "Minst antall ord",
        "context": "Kontekst (setninger)",
        "memos": "Notater",
        "memos_in": "tatt med",
        "memos_out": "ikke tatt med",
        "group by": "Gruppert etter",
        "stale": "(teksten er endret etter koding; sitatet er funnet på et nytt sted i den)",
        "or": "eller",
    },
    "en": {
        "subtitle": "Quotes by {keys}",
        "subtitle_none": "Quotes",
        "and": "and",
        "code": "code",
        "study": "Study",
        "codebook": "Codebook",
        "coders": "Codings by",
        "date": "Date",
        "choices": "Selection",
        "count": "Extent",
        "count_text": "{quotes} from {informants}, {codes}",
        "contents": "Contents",
        "toc_placeholder": "The table of contents has not been built yet. In Word: right-click "
        "here and choose Update Field (or click here and press F9). In LibreOffice: choose "
        "Tools › Update › Update All (or right-click here and choose Update Index).",
        "include": "Use when: ",
        "exclude": "Do not use when: ",
        "code_count": "{quotes} from {informants}",
        "line": "line",
        "memo": "Memo: ",
        "missing": "(not given)",
        "no_informant": "(no informant)",
        "matrix_title": "Overview: code × {key}",
        "matrix_note": "Each cell: number of quotes (number of informants). The numbers count "
        "quotes coded directly with the code.",
        "total": "Total",
        "columns_key": "Columns ({key}): ",
        "quotes": "Quotes",
        "page": "page",
        "all": "all",
        "codes": "Codes",
        "transcripts": "Transcripts",
        "min words": "Minimum words",
        "context": "Context (sentences)",
        "memos": "Memos",
        "memos_in": "included",
        "memos_out": "not included",
        "group by": "Grouped by",
        "stale": "(the transcript changed after coding; the quote was found at a new place in it)",
        "or": "or",
    },
}

KEY_NAMES: dict[str, dict[str, str]] = {
    "nb": {
        "code": "kode",
        "role": "rolle",
        "organisation_type": "organisasjonstype",
        "municipality_type": "kommunetype",
        "transcript": "transkripsjon",
        "form": "intervjuform",
        "age_band": "aldersgruppe",
        "gender": "kjønn",
        "background": "bakgrunn",
    },
    "en": {},
}


NOUNS: dict[str, dict[str, tuple[str, str]]] = {
    "nb": {
        "quote": ("sitat", "sitater"),
        "informant": ("informant", "informanter"),
        "code": ("kode", "koder"),
    },
    "en": {
        "quote": ("quote", "quotes"),
        "informant": ("informant", "informants"),
        "code": ("code", "codes"),
    },
}


def counted(language: str, count: int, noun: str) -> str:
    """`1 sitat`, `3 sitater` (or `1 quote`, `3 quotes`): a count in the document's language."""
    singular, many = NOUNS.get(language, NOUNS["en"])[noun]
    return plural(count, singular, many)


def texts(language: str) -> dict[str, str]:
    """The words for `language`, English when qualcode has none for it."""
    return TEXTS.get(language, TEXTS["en"])


def key_name(key: str, language: str) -> str:
    """How an attribute is named in a document: `rolle` for `role` in Norwegian."""
    names = KEY_NAMES.get(language, {})
    return names.get(key, key.replace("_", " "))
