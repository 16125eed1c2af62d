"""The translation catalogue for directory sources (spreadsheet imports and the Keycloak sync): Swedish first,
English alongside, so that an admin can act on every message without reading code."""

from __future__ import annotations

from typing import Any

CATALOGUE: dict[str, tuple[str, str]] = {
    # Whole-file problems
    "file_empty": ("Filen är tom.", "The file is empty."),
    "file_too_large": ("Filen är {size_mb} MB; största tillåtna storlek är {limit_mb} MB. Dela upp filen.",
                       "The file is {size_mb} MB; the limit is {limit_mb} MB. Split the file."),
    "unsupported_type": ("Filtypen '{ext}' stöds inte. Ladda upp en CSV-fil (.csv) eller Excel-arbetsbok (.xlsx).",
                         "File type '{ext}' is not supported. Upload a CSV file (.csv) or an Excel workbook (.xlsx)."),
    "zip_named_csv": ("Filen '{filename}' heter .csv men är en Excel-arbetsbok eller annan zip-fil. Spara den som "
                      "CSV, eller byt filändelsen till .xlsx.",
                      "The file '{filename}' is named .csv but is an Excel workbook or another zip file. Save it as "
                      "CSV, or change the extension to .xlsx."),
    "text_named_xlsx": ("Filen '{filename}' heter .xlsx men är ingen Excel-arbetsbok. Spara den som Excel-arbetsbok, "
                        "eller byt filändelsen till .csv om det är en CSV-fil.",
                        "The file '{filename}' is named .xlsx but is not an Excel workbook. Save it as an Excel "
                        "workbook, or change the extension to .csv if it is a CSV file."),
    "old_excel": ("Det här är en äldre Excel-fil (.xls). Spara den som Excel-arbetsbok (.xlsx) eller CSV UTF-8.",
                  "This is an old Excel file (.xls). Save it as an Excel workbook (.xlsx) or as CSV UTF-8."),
    "not_text": ("Filen innehåller binära data och är ingen CSV-fil.",
                 "The file contains binary data and is not a CSV file."),
    "not_zip": ("Filen är ingen giltig Excel-arbetsbok (.xlsx): den är skadad eller ingen zip-fil.",
                "The file is not a valid Excel workbook (.xlsx): it is damaged or not a zip file."),
    "zip_without_workbook": ("Filen är en zip-fil men ingen Excel-arbetsbok (.xlsx).",
                             "The file is a zip file but not an Excel workbook (.xlsx)."),
    "xlsx_unreadable": ("Excel-filen kunde inte läsas ({reason}). Spara om den i Excel och försök igen.",
                        "The Excel file could not be read ({reason}). Save it again in Excel and retry."),
    "zip_bomb": ("Excel-filen packas upp till {size_mb} MB (tillåtet: {limit_mb} MB) eller är ovanligt hårt packad. "
                 "Den kan vara skadad eller skadlig och läses inte.",
                 "The Excel file unpacks to {size_mb} MB (allowed: {limit_mb} MB) or is unusually highly compressed. "
                 "It may be damaged or malicious and is not read."),
    "encoding_unknown": ("Filen är inte sparad som UTF-8 (första felet på rad {line}) och gick inte heller att läsa "
                         "som Windows-1252. Spara den som 'CSV UTF-8 (kommaavgränsad)' och ladda upp igen.",
                         "The file is not saved as UTF-8 (first error on line {line}) and could not be read as "
                         "Windows-1252 either. Save it as 'CSV UTF-8 (comma delimited)' and upload it again."),
    "encoding_cp1252": ("Filen är inte sparad som UTF-8; den lästes som Windows-1252 (västeuropeisk). Kontrollera "
                        "å, ä och ö i förhandsgranskningen, eller spara som 'CSV UTF-8' och ladda upp igen.",
                        "The file is not saved as UTF-8; it was read as Windows-1252 (Western European). Check "
                        "å, ä and ö in the preview, or save it as 'CSV UTF-8' and upload it again."),
    "too_many_rows": ("Filen har fler än {limit} rader. Dela upp den i flera filer.",
                      "The file has more than {limit} rows. Split it into several files."),
    "csv_broken": ("Rad {row}: CSV-filen är felaktig ({reason}).", "Row {row}: the CSV file is malformed ({reason})."),
    "no_rows": ("Filen har rubriker men inga rader med personer.", "The file has headings but no rows of people."),
    # Headings
    "missing_name": ("Kolumnen Namn saknas (eller Förnamn och Efternamn).",
                     "The column Name is missing (or First name and Last name)."),
    "missing_identifier": ("Filen behöver en kolumn Id eller E-post för att känna igen personerna.",
                           "The file needs an Id or E-mail column to recognise people."),
    "duplicate_column": ("Kolumnen '{column}' finns mer än en gång.", "The column '{column}' appears more than once."),
    "unknown_column": ("Kolumnen '{column}' känns inte igen och hoppas över.",
                       "The column '{column}' is not recognised and is skipped."),
    "unit_columns_conflict": ("Använd antingen en kolumn för enhet (namn eller id) eller kolumnerna Förvaltning/"
                              "Avdelning/Enhet, inte båda.",
                              "Use either one org unit column (name or id) or the columns Förvaltning/Avdelning/"
                              "Enhet, not both."),
    # Cells
    "required": ("värde saknas", "value is missing"),
    "invalid_email": ("'{value}' är ingen giltig e-postadress", "'{value}' is not a valid e-mail address"),
    "invalid_id": ("'{value}' är inget giltigt id (bara a–z, A–Z, siffror och . _ @ : -)",
                   "'{value}' is not a valid id (only a–z, A–Z, digits and . _ @ : -)"),
    "too_long": ("värdet är för långt (högst {max} tecken)", "the value is too long (at most {max} characters)"),
    "invalid_value": ("'{value}' är inte ett giltigt värde", "'{value}' is not a valid value"),
    "unknown_level": ("'{value}' är ingen känd chefsnivå; använd {levels}",
                      "'{value}' is not a known manager level; use {levels}"),
    "formula": ("cellen innehåller en formel ('{value}'); formler importeras inte, skriv in värdet som text",
                "the cell holds a formula ('{value}'); formulas are not imported, type the value as text"),
    "formula_start": ("'{value}' får inte börja med = + - @ eller tabb",
                      "'{value}' must not start with = + - @ or tab"),
    "neutralised": ("'{value}' börjar med '{char}' och sparas med en inledande apostrof, så att inget kalkylprogram "
                    "tolkar den som formel",
                    "'{value}' starts with '{char}' and is stored with a leading apostrophe, so that no spreadsheet "
                    "reads it as a formula"),
    "duplicate_id": ("id '{value}' finns också på rad {other}", "id '{value}' also appears on row {other}"),
    "duplicate_email": ("e-postadressen '{value}' finns också på rad {other}",
                        "the e-mail address '{value}' also appears on row {other}"),
    "email_taken": ("e-postadressen '{value}' tillhör redan en annan person (id {other})",
                    "the e-mail address '{value}' already belongs to another person (id {other})"),
    "unknown_manager": ("chefen '{value}' finns varken i filen eller i katalogen; ange chefens e-post eller id",
                        "the manager '{value}' is neither in the file nor in the directory; give their e-mail or id"),
    "inactive_manager": ("chefen '{value}' är inaktiverad i katalogen", "the manager '{value}' is deactivated"),
    "self_manager": ("en person kan inte vara sin egen chef", "a person cannot be their own manager"),
    "manager_cycle": ("rapportvägarna går i cirkel: {chain}", "the reporting lines go round in a circle: {chain}"),
    "unknown_unit": ("enheten '{value}' finns inte; ange id eller exakt namn på en befintlig enhet",
                     "the org unit '{value}' does not exist; give the id or exact name of an existing unit"),
    "ambiguous_unit": ("flera enheter heter '{value}' ({ids}); ange enhetens id",
                       "several org units are called '{value}' ({ids}); give the unit's id"),
    "path_gap": ("kolumnen {column} är ifylld men inte {parent}", "{column} is filled in but {parent} is not"),
    "forvaltning_and_bolag": ("ange antingen Förvaltning eller Bolag, inte båda",
                              "give Förvaltning or Bolag, not both"),
    "unknown_language": ("'{value}' är inget känt språk; ange språkkoder som sv, en, fi",
                         "'{value}' is not a known language; use language codes such as sv, en, fi"),
    # Keycloak sync
    "kc_unknown_manager": ("{user} har chefen '{value}', som inte finns i Keycloak; ingen chef sätts.",
                           "{user} has the manager '{value}', who is not in Keycloak; no manager is set."),
    "kc_self_manager": ("{user} är angiven som sin egen chef; ingen chef sätts.",
                        "{user} is given as their own manager; no manager is set."),
    "kc_manager_cycle": ("Rapportvägarna i Keycloak går i cirkel: {chain}. Deras chefer lämnas som de är i Samla.",
                         "The reporting lines in Keycloak go round in a circle: {chain}. Their managers are left as "
                         "they are in Samla."),
    "kc_unknown_group": ("{user} har department '{value}', som inte är någon grupp i Keycloak; ingen enhet sätts.",
                         "{user} has department '{value}', which is no group in Keycloak; no org unit is set."),
    "kc_several_groups": ("{user} är med i flera grupper på samma nivå ({groups}); {chosen} används.",
                          "{user} is in several groups at the same depth ({groups}); {chosen} is used."),
    "kc_unknown_level": ("{user} har nivån '{value}', som inte är känd; ingen nivå sätts.",
                         "{user} has the level '{value}', which is not known; no level is set."),
    "kc_unknown_kind": ("Gruppen {group} har kind '{value}', som inte är känd; {default} används.",
                        "The group {group} has kind '{value}', which is not known; {default} is used."),
    "kc_invalid_value": ("{user} har ett ogiltigt värde i {field}; fältet lämnas tomt.",
                         "{user} has an invalid value in {field}; the field is left empty."),
    "kc_skipped_user": ("{user} saknar namn eller har ett ogiltigt id och hoppas över.",
                        "{user} has no name or an invalid id and is skipped."),
    "kc_still_exists": ("{user} saknades i listningen men finns i Keycloak (listan ändrades under synken); "
                        "hen inaktiveras inte.",
                        "{user} was missing from the listing but exists in Keycloak (the list changed during the "
                        "sync); they are not deactivated."),
    "kc_count_mismatch": ("Keycloak räknade {count} användare men listade {listed}.",
                          "Keycloak counted {count} users but listed {listed}."),
    "kc_no_users": ("Keycloak listade inga användare alls; ingen inaktiveras. Kontrollera realm och klientens "
                    "behörighet (view-users).",
                    "Keycloak listed no users at all; nobody is deactivated. Check the realm and the client's "
                    "permissions (view-users)."),
}


def shown(value: Any, limit: int = 60) -> str:
    """A cell value as it may appear inside a message: one line, at most `limit` characters."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def text(code: str, **params: Any) -> tuple[str, str]:
    """The Swedish and English text for `code`."""
    sv, en = CATALOGUE[code]
    return sv.format(**params), en.format(**params)


def cell_problem(code: str, *, row: int, column: str | None, **params: Any) -> dict[str, Any]:
    """A problem with one cell (or one row, when column is None), e.g. "Rad 14, kolumn E-post: …"."""
    sv, en = text(code, **{"column": column or "", **params})
    where_sv = f"Rad {row}, kolumn {column}: " if column else f"Rad {row}: "
    where_en = f"Row {row}, column {column}: " if column else f"Row {row}: "
    return {"row": row, "column": column, "code": code, "message": where_sv + sv, "message_en": where_en + en}


def heading_problem(code: str, *, row: int, column: str | None = None) -> dict[str, Any]:
    """A problem with the heading row, e.g. a missing or repeated column."""
    sv, en = text(code, column=shown(column or ""))
    return {"row": row, "column": column, "code": code, "message": f"Rad {row} (rubriker): {sv}",
            "message_en": f"Row {row} (headings): {en}"}


def file_problem(code: str, **params: Any) -> dict[str, Any]:
    """A problem with the file as a whole."""
    sv, en = text(code, **params)
    return {"row": None, "column": None, "code": code, "message": sv, "message_en": en}
