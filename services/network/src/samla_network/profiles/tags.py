"""The fixed list of challenges and interests a manager can pick (ids stay stable; labels are what people read)."""

from __future__ import annotations

# id → (Swedish label, English label)
CHALLENGES: dict[str, tuple[str, str]] = {
    "rekrytering": ("Rekrytering", "Recruitment"),
    "kompetensforsorjning": ("Kompetensförsörjning", "Skills supply"),
    "arbetsmiljo": ("Arbetsmiljö", "Work environment"),
    "sjukfranvaro": ("Sjukfrånvaro och rehabilitering", "Sick leave and rehabilitation"),
    "forandringsledning": ("Förändringsledning", "Leading change"),
    "digitalisering": ("Digitalisering", "Digitalisation"),
    "budget": ("Budget och ekonomi", "Budget and finance"),
    "verksamhetsutveckling": ("Verksamhetsutveckling", "Service development"),
    "konflikthantering": ("Konflikthantering", "Handling conflicts"),
    "medarbetarsamtal": ("Medarbetarsamtal och lönesamtal", "Appraisal and pay talks"),
    "kommunikation": ("Kommunikation", "Communication"),
    "samverkan": ("Samverkan med fack och andra", "Working with unions and partners"),
    "kvalitet": ("Kvalitet och uppföljning", "Quality and follow-up"),
    "hallbarhet": ("Hållbarhet", "Sustainability"),
    "mangfald": ("Mångfald och inkludering", "Diversity and inclusion"),
    "ny-som-chef": ("Ny som chef", "New as a manager"),
    "distansledning": ("Ledarskap på distans", "Leading remotely"),
    "balans": ("Stress och balans i chefsrollen", "Stress and balance as a manager"),
    "medborgardialog": ("Medborgardialog", "Dialogue with residents"),
    "innovation": ("Innovation", "Innovation"),
}

# What a member may let the others in their network see (their name always shows).
SHAREABLE = ("title", "challenges", "challenges_text", "languages", "availability", "location", "years_as_manager")
DEFAULT_SHARE = ("title", "challenges", "languages")
