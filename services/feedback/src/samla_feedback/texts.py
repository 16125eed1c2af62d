"""What participants read, in Swedish with English beside it: one catalogue for the service (STYLE 12)."""

from __future__ import annotations

from pydantic import BaseModel


class Text(BaseModel):
    """One text in Swedish and English."""

    sv: str
    en: str


PUBLIC_RECORD_NOTICE = Text(
    sv=("Det du skriver kan bli en allmän handling enligt offentlighetsprincipen och lämnas ut till den som "
        "begär det. Skriv inte namn på kollegor eller andra uppgifter som pekar ut enskilda personer."),
    en=("What you write may become a public document under the Swedish principle of public access "
        "(offentlighetsprincipen) and be released to anyone who asks. Do not name colleagues or write anything "
        "that points out individual people."),
)

ANONYMOUS_NOTICE = Text(
    sv=("Ditt svar sparas utan koppling till dig. Resultat visas bara för grupper med minst {k} svarande. "
        "Ett anonymt svar kan inte ändras i efterhand."),
    en=("Your answer is stored with no link to you. Results are shown only for groups of at least {k} people. "
        "An anonymous answer cannot be changed afterwards."),
)

SUPPRESSED = Text(
    sv="Färre än {k} har svarat i den här gruppen, så resultatet visas inte.",
    en="Fewer than {k} people in this group have answered, so the result is not shown.",
)

# SKR's Hållbart medarbetarengagemang (HME): nine statements in three parts, answered on a 1-5 scale.
HME_SCALE_LABELS = {"1": "Stämmer mycket dåligt", "5": "Stämmer mycket bra"}
HME_ITEMS: tuple[tuple[str, str], ...] = (
    ("motivation", "Mitt arbete känns meningsfullt."),
    ("motivation", "Jag lär nytt och utvecklas i mitt dagliga arbete."),
    ("motivation", "Jag ser fram emot att gå till arbetet."),
    ("ledarskap", "Min närmaste chef visar uppskattning för mina arbetsinsatser."),
    ("ledarskap", "Min närmaste chef visar förtroende för mig som medarbetare."),
    ("ledarskap", "Min närmaste chef ger mig förutsättningar att ta ansvar i mitt arbete."),
    ("styrning", "Jag är insatt i min arbetsplats mål."),
    ("styrning", "Jag vet vad som förväntas av mig i mitt arbete."),
    ("styrning", "Min arbetsplats mål följs upp och utvärderas på ett bra sätt."),
)
HME_PART_TITLES = {"motivation": "Motivation", "ledarskap": "Ledarskap", "styrning": "Styrning"}


def fill(text: Text, **values: object) -> Text:
    return Text(sv=text.sv.format(**values), en=text.en.format(**values))


# Budget and vision processes: the decision log and the follow-up page.
DECISION_STATUS = {
    "received": Text(sv="Mottagen", en="Received"),
    "under_consideration": Text(sv="Under beredning", en="Under consideration"),
    "decided": Text(sv="Beslutad", en="Decided"),
    "implemented": Text(sv="Genomförd", en="Implemented"),
    "not_pursued": Text(sv="Går inte vidare", en="Not pursued"),
}

STATUS_CHANGED = Text(
    sv="Det du bidrog med i ”{title}” ({process}) har fått ny status: {status}.",
    en="What you contributed to “{title}” ({process}) has a new status: {status}.",
)

FOLLOW_UP_NOTICE = Text(
    sv=("Så här har ledningen tagit hand om det ni sa. Chefer som svarade med namn får ett meddelande när "
        "statusen ändras; anonyma svar är inte kopplade till någon och kan därför inte aviseras – följ dem här."),
    en=("This is what leadership has done with your input. Managers who answered under their name are notified "
        "when a status changes; anonymous answers are linked to nobody and cannot be notified – follow them here."),
)
