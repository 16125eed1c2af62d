"""Exempelstad's organisation as data: förvaltningar, bolag, their avdelningar and what their enheter are called.

Weights are relative shares of the managers; they are tuned so that utbildning and social hold most of the
enhetschefer, as in a real Swedish kommunkoncern.
"""

from __future__ import annotations

from dataclasses import dataclass

MUNICIPALITY = "Exempelstad"
EMAIL_DOMAIN = "exempelstad.se"
ROOT_ID = "ou-exempelstad"
ROOT_NAME = "Exempelstads kommunkoncern"
DISTRICTS = ("Centrum", "Norra", "Södra", "Östra", "Västra", "Hamnen")
HEAD_OFFICE = "Centrum"
# Enheter per district that an avdelning organised by district has before it counts as full.
DISTRICT_LAPS = 8

# Role names as samla_common.auth spells them; repeated here so that this pure module needs no web stack.
ADMIN = "samla-admin"
FACILITATOR = "samla-facilitator"
LEADERSHIP = "samla-leadership"


@dataclass(frozen=True)
class Department:
    """An avdelning and how its enheter are named and titled."""

    key: str
    name: str
    weight: float
    head_title: str
    unit_title: str
    unit_names: tuple[str, ...]
    # When set, there is an enhet per district, named "<prefix> <district>" and located there; unit_names is empty.
    district_prefix: str | None = None
    # False keeps unit_names in order, so the first enhet is always the same one.
    shuffle: bool = True
    # Enheter that must exist whenever the avdelning does; such an avdelning is always staffed first.
    min_units: int = 0

    @property
    def capacity(self) -> int:
        """How many enheter it can hold before names come round again with a number ("Björkdalsskolan 2")."""
        return len(DISTRICTS) * DISTRICT_LAPS if self.district_prefix else len(self.unit_names)


@dataclass(frozen=True)
class Organisation:
    """A förvaltning or a municipal bolag."""

    key: str
    name: str
    kind: str
    weight: float
    head_title: str
    departments: tuple[Department, ...]
    # Where everyone in it works, when it is tied to one place (the harbour company is).
    location: str | None = None


def _dept(key: str, name: str, weight: float, head_title: str, unit_title: str, *unit_names: str,
          district_prefix: str | None = None, shuffle: bool = True, min_units: int = 0) -> Department:
    return Department(key, name, weight, head_title, unit_title, unit_names, district_prefix, shuffle, min_units)


HR_KEY = "hr"

# Place names in the Swedish manner, for schools, förskolor and boenden: Björk + dal -> Björkdalsskolan, Björkdalen.
_PLACE_STEMS = ("Björk", "Ek", "Lind", "Tall", "Gran", "Asp", "Rönn", "Hassel", "Lönn", "Al", "Sol", "Sjö", "Sten",
                "Kvarn", "Kyrk", "Åker", "Furu", "Ros", "Vall", "Fager", "Ljung", "Sand")
_PLACE_ENDINGS = (("dal", "dalen"), ("backa", "backen"), ("berg", "berget"), ("lund", "lunden"), ("äng", "ängen"),
                  ("vik", "viken"), ("haga", "hagen"))
_SCHOOLS = tuple(f"{stem}{end}{'' if end.endswith('a') else 's'}skolan"
                 for end, _ in _PLACE_ENDINGS for stem in _PLACE_STEMS)
_PLACES = tuple(f"{stem}{definite}" for _, definite in _PLACE_ENDINGS for stem in _PLACE_STEMS)
_PRESCHOOLS = tuple(f"Förskolan {name}" for name in (
    "Ekorren", "Solrosen", "Blåklockan", "Humlan", "Lärkan", "Vitsippan", "Äppelgården", "Myrstacken", "Snäckan",
    "Regnbågen", "Trollskogen", "Ugglan", "Kastanjen", "Näckrosen", "Fjärilen", "Skogsgläntan", *_PLACES))
_CARE_HOMES = (*(f"{stem}gården" for stem in _PLACE_STEMS), *_PLACES)

KOMMUNSTYRELSEN = Organisation("ks", "Kommunstyrelseförvaltningen", "forvaltning", 0.06, "Förvaltningschef", (
    # HR comes first and keeps its order: the leadership programme's admins sit in HR and its first enhet.
    _dept(HR_KEY, "HR-avdelningen", 2.0, "HR-chef", "Enhetschef HR",
          "Ledarskap och kompetensförsörjning", "HR-stöd", "Lön och pension", "Arbetsmiljö och hälsa",
          "Förhandling och arbetsrätt", shuffle=False, min_units=1),
    _dept("eko", "Ekonomiavdelningen", 1.5, "Ekonomichef", "Enhetschef",
          "Redovisning", "Budget och analys", "Upphandling", "Ekonomiservice", "Inköp"),
    _dept("dig", "Digitaliseringsavdelningen", 1.2, "Digitaliseringschef", "Enhetschef",
          "IT-drift", "Verksamhetsutveckling", "IT-support", "Informationssäkerhet"),
    _dept("kom", "Kommunikationsavdelningen", 1.0, "Kommunikationschef", "Enhetschef",
          "Kontaktcenter", "Webb och digitala kanaler", "Press och intern kommunikation"),
    _dept("kans", "Kansliavdelningen", 0.8, "Kanslichef", "Enhetschef",
          "Nämndadministration", "Juridik", "Arkiv och registratur"),
    _dept("utv", "Avdelningen för strategisk utveckling", 0.8, "Utvecklingschef", "Enhetschef",
          "Näringsliv", "Hållbarhet", "Trygghet och säkerhet"),
))

UTBILDNING = Organisation("utb", "Utbildningsförvaltningen", "forvaltning", 0.36, "Förvaltningschef", (
    _dept("grund", "Grundskoleavdelningen", 3.2, "Grundskolechef", "Rektor", *_SCHOOLS),
    _dept("fsk", "Förskoleavdelningen", 3.0, "Förskoleområdeschef", "Förskolechef", *_PRESCHOOLS),
    _dept("gy", "Gymnasieavdelningen", 0.8, "Gymnasiechef", "Rektor",
          "Exempelstads gymnasium", "Hamngymnasiet", "Tekniska gymnasiet", "Naturbruksgymnasiet",
          "Kunskapsgymnasiet", "Vård- och omsorgscollege"),
    _dept("vux", "Vuxenutbildningsavdelningen", 0.4, "Vuxenutbildningschef", "Rektor",
          "Komvux", "SFI Exempelstad", "Yrkeshögskolan", "Lärcentrum"),
    _dept("anp", "Avdelningen för anpassad skola", 0.3, "Avdelningschef", "Rektor",
          "Anpassade grundskolan Linden", "Anpassade gymnasieskolan", "Resursskolan Kompassen"),
    _dept("elev", "Centrala barn- och elevhälsan", 0.3, "Avdelningschef elevhälsa", "Enhetschef elevhälsa",
          "Elevhälsans medicinska insats", "Skolpsykologer och kuratorer", "Modersmålsenheten",
          "Skolskjuts och skolval"),
    _dept("mat", "Måltidsavdelningen", 0.4, "Kostchef", "Kökschef", district_prefix="Tillagningskök"),
))

SOCIAL = Organisation("soc", "Socialförvaltningen", "forvaltning", 0.28, "Förvaltningschef", (
    _dept("hemtj", "Hemtjänstavdelningen", 2.5, "Avdelningschef hemtjänst", "Enhetschef hemtjänst",
          district_prefix="Hemtjänst"),
    _dept("vob", "Avdelningen för vård- och omsorgsboende", 2.5, "Avdelningschef vård- och omsorgsboende",
          "Enhetschef vård- och omsorgsboende", *_CARE_HOMES),
    _dept("lss", "Avdelningen för funktionsstöd", 1.8, "Avdelningschef funktionsstöd", "Enhetschef LSS",
          "Personlig assistans", "Korttidsboendet Lärkan", "Daglig verksamhet Verkstan",
          "Daglig verksamhet Café Ängen", *(f"Gruppbostad {stem}vägen" for stem in _PLACE_STEMS),
          *(f"Servicebostad {stem}gatan" for stem in _PLACE_STEMS)),
    _dept("bou", "Avdelningen för barn och unga", 1.0, "Avdelningschef barn och unga", "Enhetschef",
          "Mottagning barn och unga", "Utredning barn och unga", "Familjehemsenheten",
          "Öppenvård barn och familj", "HVB Ungdomshemmet Fyren"),
    _dept("vuxen", "Avdelningen för vuxna", 0.8, "Avdelningschef vuxna", "Enhetschef",
          "Missbruk och beroende", "Socialpsykiatri", "Boendestöd", "Ekonomiskt bistånd", "Arbetsmarknadsenheten"),
    _dept("hsl", "Hälso- och sjukvårdsavdelningen", 0.6, "Avdelningschef hälso- och sjukvård",
          "Enhetschef hälso- och sjukvård",
          "Hemsjukvård dag", "Hemsjukvård kväll", "Rehabenheten", "Nattpatrullen"),
    _dept("myn", "Myndighetsavdelningen", 0.4, "Avdelningschef myndighet", "Enhetschef",
          "Biståndshandläggning äldre", "LSS-handläggning", "Avgiftshandläggning"),
))

STADSBYGGNAD = Organisation("sbf", "Stadsbyggnadsförvaltningen", "forvaltning", 0.06, "Förvaltningschef", (
    _dept("gata", "Gatu- och parkavdelningen", 1.5, "Gatuchef", "Enhetschef",
          "Gata och trafik", "Park och natur", "Driftenheten", "Parkering", "Trafiksäkerhet", "Vinterväghållning",
          "Projektering", "Belysning", "Renhållning", "Vatten och avlopp"),
    _dept("fast", "Fastighetsavdelningen", 1.3, "Fastighetschef", "Enhetschef",
          "Lokalförsörjning", "Fastighetsdrift", "Projekt och byggnation", "Förvaltningsområde skolor",
          "Förvaltningsområde omsorg", "Energi och teknik", "Lokalvård"),
    _dept("plan", "Planavdelningen", 1.0, "Planchef", "Enhetschef",
          "Detaljplan", "Översiktsplanering", "Mark och exploatering", "Stadsmiljö och gestaltning"),
    _dept("bygg", "Bygglovsavdelningen", 1.0, "Bygglovschef", "Enhetschef",
          "Bygglov", "Bygginspektion", "Kart och mät", "GIS", "Lantmäteri"),
))

KULTUR_FRITID = Organisation("kuf", "Kultur- och fritidsförvaltningen", "forvaltning", 0.05, "Förvaltningschef", (
    _dept("bibl", "Biblioteksavdelningen", 1.2, "Bibliotekschef", "Enhetschef bibliotek",
          "Stadsbiblioteket", "Biblioteket Kvarnby", "Biblioteket Stensjö", "Biblioteket Fagerdal", "Bokbussen",
          "Skolbiblioteken", "Biblioteket Sandviken"),
    _dept("frit", "Fritidsavdelningen", 1.2, "Fritidschef", "Enhetschef",
          "Ungdomens hus", "Simhallen", "Idrottsanläggningar", "Fritidsgården Fyren", "Fritidsgården Tornet",
          "Friluftsgården", "Ishallen", "Föreningsstöd"),
    _dept("kult", "Kulturavdelningen", 1.0, "Kulturchef", "Enhetschef",
          "Kulturskolan", "Konsthallen", "Stadsmuseet", "Evenemang", "Stadsteatern", "Kulturhuset", "Allmänkultur"),
))

MILJO = Organisation("mil", "Miljöförvaltningen", "forvaltning", 0.02, "Förvaltningschef", (
    _dept("msk", "Miljöskyddsavdelningen", 1.0, "Avdelningschef miljöskydd", "Enhetschef",
          "Industri och avlopp", "Förorenade områden"),
    _dept("livs", "Livsmedels- och hälsoskyddsavdelningen", 1.0, "Avdelningschef livsmedel", "Enhetschef",
          "Livsmedelskontroll", "Hälsoskydd"),
    _dept("natur", "Natur- och klimatavdelningen", 0.6, "Avdelningschef natur och klimat", "Enhetschef",
          "Naturvård", "Klimat och energi"),
))

BOSTAD = Organisation("bostad", "Exempelstads Bostads AB", "bolag", 0.07, "VD", (
    _dept("uthyr", "Förvaltning och uthyrning", 2.0, "Förvaltningschef bostäder", "Områdeschef",
          district_prefix="Bovärdsområde"),
    _dept("service", "Fastighetsservice", 1.0, "Servicechef", "Enhetschef",
          "Kundservice och felanmälan", "Fastighetsteknik", "Utemiljö"),
    _dept("proj", "Projekt och nyproduktion", 0.6, "Projektchef", "Enhetschef", "Nyproduktion", "Ombyggnad"),
))

ENERGI = Organisation("energi", "Exempelstad Energi AB", "bolag", 0.05, "VD", (
    _dept("elnat", "Elnät", 1.2, "Elnätschef", "Enhetschef",
          "Elnätsdrift", "Nätplanering", "Mätning", "Elnätsprojekt", "Driftcentralen", "Ledningsnät"),
    _dept("varme", "Fjärrvärme", 1.0, "Fjärrvärmechef", "Enhetschef",
          "Kraftvärmeverket", "Distribution", "Fjärrkyla", "Värmeproduktion", "Bränslehantering", "Underhåll"),
    _dept("kund", "Marknad och kundservice", 0.7, "Marknadschef", "Enhetschef",
          "Kundservice", "Försäljning", "Energitjänster", "Fakturering"),
    _dept("fiber", "Stadsnät", 0.5, "Stadsnätschef", "Enhetschef", "Fiberutbyggnad", "Nätdrift", "Kundanslutningar"),
))

HAMN = Organisation("hamn", "Exempelstads Hamn AB", "bolag", 0.04, "VD", (
    _dept("drift", "Hamndrift", 1.0, "Hamnkapten", "Enhetschef",
          "Kajdrift", "Hamnservice", "Stuveri", "Bogsering", "Hamnsäkerhet", "Verkstad och underhåll"),
    _dept("term", "Terminal och logistik", 1.0, "Terminalchef", "Enhetschef", "Containerterminalen",
          "Färjeterminalen", "Godsterminalen", "Bulkterminalen", "Ro-ro-terminalen", "Järnvägsterminalen"),
    _dept("affar", "Marknad och affärsutveckling", 0.5, "Marknadschef", "Enhetschef",
          "Marknad", "Hamnfastigheter", "Kryssningsverksamhet"),
), location="Hamnen")

# Order matters: it fixes the order of ids, and so the output, for a given seed.
ORGANISATIONS = (KOMMUNSTYRELSEN, UTBILDNING, SOCIAL, STADSBYGGNAD, KULTUR_FRITID, MILJO, BOSTAD, ENERGI, HAMN)
