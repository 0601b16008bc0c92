"""Generate the bundled *illustrative* dataset of copkg (``data/illustrative/*.csv``).

README
------
Everything this script writes is FICTIONAL: the organisations, people, memberships, knowledge
products, events and participations are made up to exercise the explorer, and every row carries
``illustrative=true`` (so every resource gets ``cop:illustrative true`` on import). Fictional
organisation names end with "(illustrative)". The only real things referenced are the sourced
facts of ``data/cmi.ttl`` (the CMI, its members and partners, the three communities and their
themes), by their ids; they are never redefined here.

The output follows the spreadsheet contract of ``docs/data-model.md`` (one CSV per sheet, UTF-8,
``,`` separator) and is deterministic: one ``random.Random(2010)``, no other randomness, no
clock. Running it twice gives byte-identical files.

    python data/generate_illustrative.py [OUT_DIR]      # default: data/illustrative
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import sys
from pathlib import Path

SEED = 2010
OUT_DIR = Path(__file__).resolve().parent / "illustrative"

N_PEOPLE = 350
N_PRODUCTS = 300
N_EVENTS = 150
#: How many people take part in exactly 1, 2 and 3 communities (70 % / 25 % / 5 %).
COMMUNITY_COUNTS = {1: 245, 2: 88, 3: 17}

# --------------------------------------------------------------------------------------------
# Sourced facts referenced by id (data/cmi.ttl); never redefined here
# --------------------------------------------------------------------------------------------

COMMUNITIES = ["employment", "tertiary-education", "urban-transport"]
#: First year of illustrative activity: the urban transport program started in 2010.
COMMUNITY_START = {"urban-transport": 2010, "employment": 2012, "tertiary-education": 2012}
COMMUNITY_THEME = {
    "employment": "employment-social-protection",
    "tertiary-education": "tertiary-education",
    "urban-transport": "urban-transport",
}
GOVERNMENTS = {
    "egypt": "EG", "france": "FR", "greece": "GR", "italy": "IT", "jordan": "JO",
    "lebanon": "LB", "morocco": "MA", "palestinian-authority": "PS", "tunisia": "TN",
}
SOURCED_OTHERS = {
    "cmi": "FR", "marseille": "FR", "paca": "FR", "eib": "LU", "world-bank-group": "US",
    "eeas": "BE", "afd": "FR", "cdc": "FR", "giz": "DE", "codatu": "FR",
}

# --------------------------------------------------------------------------------------------
# Themes: children of the three sourced themes
# --------------------------------------------------------------------------------------------

THEMES = [
    # id, en, fr, ar, broader
    ("public-transport", "Public transport", "Transports publics", "النقل العام",
     "urban-transport"),
    ("non-motorised-mobility", "Non-motorised mobility", "Mobilité non motorisée",
     "التنقل غير الآلي", "urban-transport"),
    ("transport-finance", "Transport finance", "Financement des transports", "تمويل النقل",
     "urban-transport"),
    ("urban-mobility-planning", "Urban mobility planning", "Planification de la mobilité urbaine",
     "تخطيط التنقل الحضري", "urban-transport"),
    ("road-safety", "Road safety", "Sécurité routière", "السلامة المرورية", "urban-transport"),
    ("labour-market-information", "Labour market information",
     "Information sur le marché du travail", "معلومات سوق العمل",
     "employment-social-protection"),
    ("social-protection-systems", "Social protection systems", "Systèmes de protection sociale",
     "أنظمة الحماية الاجتماعية", "employment-social-protection"),
    ("youth-employment", "Youth employment", "Emploi des jeunes", "تشغيل الشباب",
     "employment-social-protection"),
    ("active-labour-market-policies", "Active labour market policies",
     "Politiques actives du marché du travail", "سياسات سوق العمل النشطة",
     "employment-social-protection"),
    ("tvet", "Technical and vocational education and training",
     "Enseignement et formation techniques et professionnels",
     "التعليم والتدريب التقني والمهني", "tertiary-education"),
    ("university-governance", "University governance", "Gouvernance universitaire",
     "حوكمة الجامعات", "tertiary-education"),
    ("quality-assurance", "Quality assurance in higher education",
     "Assurance qualité dans l'enseignement supérieur", "ضمان الجودة في التعليم العالي",
     "tertiary-education"),
    ("graduate-employability", "Graduate employability", "Employabilité des diplômés",
     "قابلية توظيف الخريجين", "tertiary-education"),
]
SUBTHEMES = {c: [t[0] for t in THEMES if t[4] == COMMUNITY_THEME[c]] for c in COMMUNITIES}

# --------------------------------------------------------------------------------------------
# Fictional organisations in the member countries
# --------------------------------------------------------------------------------------------

#: country: (country en, country fr, country ar or "", [(city en, city fr, city ar or "")] x2)
COUNTRIES = {
    "EG": ("Egypt", "Égypte", "مصر",
           [("Cairo", "Le Caire", "القاهرة"), ("Alexandria", "Alexandrie", "الإسكندرية")]),
    "FR": ("France", "France", "", [("Lyon", "Lyon", ""), ("Toulouse", "Toulouse", "")]),
    "GR": ("Greece", "Grèce", "",
           [("Athens", "Athènes", ""), ("Thessaloniki", "Thessalonique", "")]),
    "IT": ("Italy", "Italie", "", [("Turin", "Turin", ""), ("Naples", "Naples", "")]),
    "JO": ("Jordan", "Jordanie", "الأردن",
           [("Amman", "Amman", "عمّان"), ("Irbid", "Irbid", "إربد")]),
    "LB": ("Lebanon", "Liban", "لبنان",
           [("Beirut", "Beyrouth", "بيروت"), ("Tripoli", "Tripoli", "طرابلس")]),
    "MA": ("Morocco", "Maroc", "المغرب",
           [("Casablanca", "Casablanca", "الدار البيضاء"), ("Rabat", "Rabat", "الرباط")]),
    "PS": ("Palestine", "Palestine", "فلسطين",
           [("Ramallah", "Ramallah", "رام الله"), ("Nablus", "Naplouse", "نابلس")]),
    "TN": ("Tunisia", "Tunisie", "تونس", [("Tunis", "Tunis", "تونس"), ("Sfax", "Sfax", "صفاقس")]),
}
MENA = ["EG", "JO", "LB", "MA", "PS", "TN"]

#: kind: (type, community affinity, en, fr, ar); {c} city, {de_c} "de <city>", {n} country.
ORG_TEMPLATES = {
    "mobility": ("public-institution", "urban-transport",
                 "{c} Urban Mobility Authority (illustrative)",
                 "Autorité organisatrice de la mobilité {de_c} (illustrative)",
                 "هيئة التنقل الحضري في {c} (توضيحي)"),
    "university": ("university", "tertiary-education",
                   "University of {c}, Faculty of Economics (illustrative)",
                   "Université {de_c}, Faculté d'économie (illustrative)",
                   "جامعة {c}، كلية الاقتصاد (توضيحي)"),
    "employment": ("public-institution", "employment",
                   "National Employment and Skills Agency, {n} (illustrative)",
                   "Agence nationale pour l'emploi et les compétences, {n} (illustrative)",
                   "الوكالة الوطنية للتشغيل والمهارات، {n} (توضيحي)"),
    "municipality": ("city", "urban-transport",
                     "Municipality of {c} (illustrative)",
                     "Municipalité {de_c} (illustrative)",
                     "بلدية {c} (توضيحي)"),
}
#: A few extra research centres and networks (id, type, country, affinity, en, fr, ar).
EXTRA_ORGS = [
    ("tn-social-research", "university", "TN", "employment",
     "Centre for Social Policy Research, Tunis (illustrative)",
     "Centre de recherche sur les politiques sociales, Tunis (illustrative)",
     "مركز بحوث السياسات الاجتماعية، تونس (توضيحي)"),
    ("ma-transport-lab", "university", "MA", "urban-transport",
     "Urban Transport Research Laboratory, Rabat (illustrative)",
     "Laboratoire de recherche sur les transports urbains, Rabat (illustrative)",
     "مختبر بحوث النقل الحضري، الرباط (توضيحي)"),
    ("lb-education-observatory", "ngo", "LB", "tertiary-education",
     "Observatory of Higher Education, Beirut (illustrative)",
     "Observatoire de l'enseignement supérieur, Beyrouth (illustrative)",
     "مرصد التعليم العالي، بيروت (توضيحي)"),
    ("fr-mobility-consultants", "company", "FR", "urban-transport",
     "Méditerranée Mobilité Conseil (illustrative)",
     "Méditerranée Mobilité Conseil (illustrative)", ""),
    ("it-skills-network", "network", "IT", "employment",
     "Mediterranean Skills Network, Naples (illustrative)",
     "Réseau méditerranéen des compétences, Naples (illustrative)", ""),
]

# --------------------------------------------------------------------------------------------
# Name pools (latin form, Arabic script form for Arabic names)
# --------------------------------------------------------------------------------------------

MAGHREB_FIRST = [
    ("Mohamed", "محمد"), ("Youssef", "يوسف"), ("Karim", "كريم"), ("Hichem", "هشام"),
    ("Sofiane", "سفيان"), ("Mehdi", "مهدي"), ("Amine", "أمين"), ("Nabil", "نبيل"),
    ("Fatima", "فاطمة"), ("Khadija", "خديجة"), ("Salma", "سلمى"), ("Imen", "إيمان"),
    ("Meriem", "مريم"), ("Leila", "ليلى"), ("Samira", "سميرة"), ("Asma", "أسماء"),
]
MAGHREB_LAST = [
    ("Bennani", "بناني"), ("Tazi", "التازي"), ("El Amrani", "العمراني"), ("Alaoui", "العلوي"),
    ("Berrada", "برادة"), ("Trabelsi", "الطرابلسي"), ("Gharbi", "الغربي"), ("Ben Ali", "بن علي"),
    ("Ben Salah", "بن صالح"), ("Jebali", "الجبالي"), ("Chaabane", "شعبان"),
    ("Mansouri", "المنصوري"),
]
LEVANT_FIRST = [
    ("Ahmad", "أحمد"), ("Omar", "عمر"), ("Rami", "رامي"), ("Khaled", "خالد"), ("Tarek", "طارق"),
    ("Walid", "وليد"), ("Ziad", "زياد"), ("Samer", "سامر"), ("Rania", "رانيا"), ("Lina", "لينا"),
    ("Nour", "نور"), ("Dima", "ديما"), ("Maya", "مايا"), ("Hala", "هالة"), ("Reem", "ريم"),
    ("Layla", "ليلى"),
]
LEVANT_LAST = [
    ("Haddad", "حداد"), ("Khoury", "خوري"), ("Khalil", "خليل"), ("Hamdan", "حمدان"),
    ("Darwish", "درويش"), ("Qasem", "قاسم"), ("Jaber", "جابر"), ("Nasser", "ناصر"),
    ("Saleh", "صالح"), ("Sabbagh", "الصباغ"), ("Awad", "عوض"), ("Yousef", "يوسف"),
]
EGYPT_FIRST = [
    ("Ahmed", "أحمد"), ("Mahmoud", "محمود"), ("Mostafa", "مصطفى"), ("Hany", "هاني"),
    ("Amr", "عمرو"), ("Sherif", "شريف"), ("Hossam", "حسام"), ("Karim", "كريم"),
    ("Mona", "منى"), ("Heba", "هبة"), ("Dalia", "داليا"), ("Yasmine", "ياسمين"),
    ("Nermine", "نرمين"), ("Aya", "آية"), ("Sara", "سارة"), ("Mai", "مي"),
]
EGYPT_LAST = [
    ("Farouk", "فاروق"), ("Mansour", "منصور"), ("Abdel Rahman", "عبد الرحمن"), ("Said", "سعيد"),
    ("Othman", "عثمان"), ("Fahmy", "فهمي"), ("Hegazy", "حجازي"), ("Shaker", "شاكر"),
    ("Ezzat", "عزت"), ("Salem", "سالم"), ("Naguib", "نجيب"), ("Ibrahim", "إبراهيم"),
]
FRENCH_FIRST = [
    "Hélène", "Élodie", "François", "Jérôme", "Céline", "Amélie", "Loïc", "Anaïs", "Benoît",
    "Margaux", "Julien", "Claire", "Étienne", "Mathilde", "Raphaël", "Inès",
]
FRENCH_LAST = [
    "D'Almeida", "Lefèvre", "Moreau", "Girard", "Rousseau", "Fournier", "Mercier", "Bonnet",
    "Lambert", "Faure", "Chevalier", "Lemaître", "Benoît", "Gauthier", "N'Diaye", "Dubois",
]
ITALIAN_FIRST = [
    "Giulia", "Marco", "Francesca", "Luca", "Chiara", "Alessandro", "Sara", "Matteo", "Elena",
    "Davide", "Federica", "Niccolò",
]
ITALIAN_LAST = [
    "Rossi", "Bianchi", "Esposito", "Romano", "Colombo", "Ricci", "D'Angelo", "Dell'Acqua",
    "Greco", "Conti", "Marino", "Gallo", "De Luca", "Bruno",
]
#: Greek surnames change with gender: (male, female).
GREEK_FIRST_M = ["Nikolaos", "Dimitris", "Giorgos", "Konstantinos", "Yannis", "Panagiotis"]
GREEK_FIRST_F = ["Eleni", "Maria", "Katerina", "Sofia", "Despina", "Georgia"]
GREEK_LAST = [
    ("Papadopoulos", "Papadopoulou"), ("Georgiou", "Georgiou"), ("Konstantinou", "Konstantinou"),
    ("Vlachos", "Vlachou"), ("Nikolaidis", "Nikolaidou"), ("Oikonomou", "Oikonomou"),
    ("Alexiou", "Alexiou"), ("Karagiannis", "Karagianni"),
]
GERMAN_FIRST = ["Anna", "Jonas", "Katrin", "Lukas", "Julia", "Tobias", "Sabine", "Stefan", "Jörg"]
GERMAN_LAST = ["Schmidt", "Müller", "Weber", "Fischer", "Becker", "Hoffmann", "Schäfer", "Koch"]

#: Name pool by country; countries not listed use a mix.
POOL_BY_COUNTRY = {
    "MA": "maghreb", "TN": "maghreb", "EG": "egypt", "JO": "levant", "LB": "levant",
    "PS": "levant", "FR": "french", "IT": "italian", "GR": "greek", "DE": "german",
}
MIXED_POOLS = ["french", "italian", "german", "maghreb", "levant", "egypt", "greek"]

# --------------------------------------------------------------------------------------------
# Products and events
# --------------------------------------------------------------------------------------------

PRODUCT_TYPES = [("report", 30), ("case-study", 22), ("policy-note", 20), ("toolkit", 12),
                 ("training", 10), ("dataset", 6)]
PRODUCT_TITLES = {
    "report": ["{t} in the Mediterranean: regional review", "State of {t} in {p}",
               "{t}: lessons from {p} and {q}"],
    "case-study": ["{t} in {c}: a case study", "Learning from {c}: {t}"],
    "policy-note": ["Policy note: reforming {t} in {p}", "{t}: options for policy-makers"],
    "toolkit": ["A practitioner's toolkit for {t}", "{t}: guidance and templates"],
    "training": ["Training module on {t}", "E-learning course: {t}"],
    "dataset": ["{t} indicators, {p}", "Survey data on {t} in {c}"],
}
EVENT_TYPES = [("session", 60), ("workshop", 20), ("dialogue", 8), ("conference", 7),
               ("study-tour", 5)]
EVENT_TITLES = {
    "session": "Videoconference session: {t}",
    "workshop": "Workshop on {t}, {c}",
    "dialogue": "Mediterranean dialogue on {t}, {c}",
    "conference": "Regional conference on {t}, {c}",
    "study-tour": "Study tour: {t} in {c}",
}
#: Cities in member countries where face-to-face events take place (city, country).
EVENT_CITIES = [
    ("Marseille", "FR"), ("Tunis", "TN"), ("Cairo", "EG"), ("Amman", "JO"), ("Beirut", "LB"),
    ("Rabat", "MA"), ("Casablanca", "MA"), ("Athens", "GR"), ("Rome", "IT"), ("Ramallah", "PS"),
    ("Alexandria", "EG"), ("Sfax", "TN"), ("Lyon", "FR"), ("Naples", "IT"),
]
LAST_EVENT_DAY = dt.date(2026, 10, 31)
LAST_YEAR = 2026


def _theme_label(theme_id: str) -> str:
    for t in THEMES:
        if t[0] == theme_id:
            return t[1]
    return {
        "urban-transport": "Sustainable urban transport",
        "employment-social-protection": "Employment and social protection",
        "tertiary-education": "Tertiary education",
    }[theme_id]


def _fr_de(city: str) -> str:
    """French "de" + city with elision: "du Caire", "d'Alexandrie", "de Sfax"."""
    if city.startswith("Le "):
        return "du " + city[3:]
    if city[0].lower() in "aeiouyéèêh":
        return "d'" + city
    return "de " + city


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:]


def _weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


class Generator:
    """Builds all rows; ``rng`` is the only source of randomness."""

    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.orgs: list[dict[str, str]] = []
        self.org_country: dict[str, str] = {}
        self.org_affinity: dict[str, str] = {}
        self.people: list[dict[str, str]] = []
        self.memberships: list[dict[str, str]] = []
        self.person_communities: dict[str, list[str]] = {}
        self.person_since: dict[tuple[str, str], int] = {}
        self.members: dict[str, list[str]] = {c: [] for c in COMMUNITIES}
        self.products: list[dict[str, str]] = []
        self.events: list[dict[str, str]] = []
        self.participation: list[dict[str, str]] = []

    # -- organisations ---------------------------------------------------------------------

    def make_organizations(self) -> None:
        rng = self.rng
        for cc, (n_en, n_fr, n_ar, cities) in COUNTRIES.items():
            for kind, (city, city_fr, city_ar) in [
                ("mobility", cities[0]), ("university", cities[1]),
                ("employment", cities[0]), ("municipality", cities[1]),
            ]:
                typ, affinity, en, fr, ar = ORG_TEMPLATES[kind]
                oid = f"{cc.lower()}-{kind}-{city.lower()}"
                if kind == "employment":
                    oid = f"{cc.lower()}-employment-agency"
                self._add_org(
                    oid, typ, cc, affinity,
                    en.format(c=city, n=n_en), fr.format(de_c=_fr_de(city_fr), n=n_fr),
                    ar.format(c=city_ar, n=n_ar) if cc in MENA else "",
                )
        for oid, typ, cc, affinity, en, fr, ar in EXTRA_ORGS:
            self._add_org(oid, typ, cc, affinity, en, fr, ar)
        # A few fictional organisations are platform partners (the CMI has more than sixty).
        for row in self.orgs:
            if rng.random() < 0.25:
                row["role"] = "partner"
                row["joined"] = str(rng.randint(2010, 2022))
        for oid, cc in {**GOVERNMENTS, **SOURCED_OTHERS}.items():
            self.org_country[oid] = cc

    def _add_org(self, oid: str, typ: str, cc: str, affinity: str,
                 en: str, fr: str, ar: str) -> None:
        self.orgs.append({
            "id": oid, "name": en, "type": typ, "country": cc, "role": "", "joined": "",
            "name_fr": fr, "name_ar": ar, "illustrative": "true",
        })
        self.org_country[oid] = cc
        self.org_affinity[oid] = affinity

    # -- people ----------------------------------------------------------------------------

    def _name(self, pool: str) -> tuple[str, str]:
        rng = self.rng
        if pool in ("maghreb", "levant", "egypt"):
            first, last = {
                "maghreb": (MAGHREB_FIRST, MAGHREB_LAST),
                "levant": (LEVANT_FIRST, LEVANT_LAST),
                "egypt": (EGYPT_FIRST, EGYPT_LAST),
            }[pool]
            (f, f_ar), (la, la_ar) = rng.choice(first), rng.choice(last)
            return f"{f} {la}", f"{f_ar} {la_ar}"
        if pool == "greek":
            male = rng.random() < 0.5
            f = rng.choice(GREEK_FIRST_M if male else GREEK_FIRST_F)
            la = rng.choice(GREEK_LAST)[0 if male else 1]
            return f"{f} {la}", ""
        first, last = {
            "french": (FRENCH_FIRST, FRENCH_LAST),
            "italian": (ITALIAN_FIRST, ITALIAN_LAST),
            "german": (GERMAN_FIRST, GERMAN_LAST),
        }[pool]
        return f"{rng.choice(first)} {rng.choice(last)}", ""

    def make_people(self) -> None:
        rng = self.rng
        fictional = [o["id"] for o in self.orgs]
        org_ids = fictional + list(GOVERNMENTS) + list(SOURCED_OTHERS)
        weights = [6] * len(fictional) + [7] * len(GOVERNMENTS) + [2] * len(SOURCED_OTHERS)
        seen: set[str] = set()
        for i in range(1, N_PEOPLE + 1):
            org = rng.choices(org_ids, weights=weights)[0]
            cc = self.org_country[org]
            pool = POOL_BY_COUNTRY.get(cc) or rng.choice(MIXED_POOLS)
            name, name_ar = self._name(pool)
            while name in seen:
                name, name_ar = self._name(pool)
            seen.add(name)
            if name_ar and rng.random() < 0.35:
                name_ar = ""  # only some people have their name in Arabic script
            self.people.append({
                "id": f"p{i:04d}", "name": name, "organization": org, "country": cc,
                "expertise": "", "name_ar": name_ar, "illustrative": "true",
            })

    # -- community memberships -------------------------------------------------------------

    def _affinity(self, person: dict[str, str]) -> str:
        org = person["organization"]
        if org in self.org_affinity:
            return self.org_affinity[org]
        if org in ("marseille", "paca", "eib", "afd", "cdc", "codatu", "giz"):
            return "urban-transport"
        return self.rng.choice(COMMUNITIES)

    def make_memberships(self) -> None:
        rng = self.rng
        counts = [k for k, n in COMMUNITY_COUNTS.items() for _ in range(n)]
        rng.shuffle(counts)
        for person, k in zip(self.people, counts, strict=True):
            first = self._affinity(person)
            others = [c for c in COMMUNITIES if c != first]
            rng.shuffle(others)
            chosen = [first] + others[: k - 1]
            self.person_communities[person["id"]] = chosen
            expertise: list[str] = []
            for c in chosen:
                since = rng.randint(COMMUNITY_START[c], 2024)
                self.person_since[(person["id"], c)] = since
                self.members[c].append(person["id"])
                expertise.append(rng.choice(SUBTHEMES[c]))
            person["expertise"] = ";".join(dict.fromkeys(expertise))
        roles: dict[tuple[str, str], str] = {}
        for c in COMMUNITIES:
            ranked = sorted(self.members[c], key=lambda p: (self.person_since[(p, c)], p))
            early = ranked[: max(12, len(ranked) // 5)]
            picks = rng.sample(early, 2 + rng.randint(3, 5))
            n_coord = 1 if c == "employment" else 2
            for j, pid in enumerate(picks):
                roles[(pid, c)] = "coordinator" if j < n_coord else "facilitator"
        for person in self.people:
            pid = person["id"]
            for c in self.person_communities[pid]:
                self.memberships.append({
                    "member": pid, "community": c, "role": roles.get((pid, c), "member"),
                    "since": str(self.person_since[(pid, c)]), "illustrative": "true",
                })
        # Organisations in communities: fictional ones by affinity, and most (not all) member
        # governments, so that "which member country is absent" has an answer.
        for org in self.orgs:
            c = self.org_affinity[org["id"]]
            self.memberships.append({
                "member": org["id"], "community": c, "role": "member",
                "since": str(rng.randint(COMMUNITY_START[c], 2022)), "illustrative": "true",
            })
        for c in COMMUNITIES:
            govs = sorted(rng.sample(list(GOVERNMENTS), rng.randint(6, 8)))
            for g in govs:
                self.memberships.append({
                    "member": g, "community": c, "role": "member",
                    "since": str(rng.randint(COMMUNITY_START[c], 2016)), "illustrative": "true",
                })

    def _active(self, c: str, year: int) -> list[str]:
        """Members of community ``c`` who had joined by ``year`` (all members if none)."""
        found = [p for p in self.members[c] if self.person_since[(p, c)] <= year]
        return found or self.members[c]

    # -- knowledge products ----------------------------------------------------------------

    def make_products(self) -> None:
        rng = self.rng
        rows = []
        for _ in range(N_PRODUCTS):
            r = rng.random()
            community = (
                "urban-transport" if r < 0.42 else "employment" if r < 0.70
                else "tertiary-education" if r < 0.97 else ""
            )
            c = community or rng.choice(COMMUNITIES)
            year = rng.randint(COMMUNITY_START[c], LAST_YEAR)
            ptype = _weighted(rng, PRODUCT_TYPES)
            themes = rng.sample(SUBTHEMES[c], rng.randint(1, 2))
            pool = self._active(c, year)
            n_auth = rng.choices([1, 2, 3, 4, 5], weights=[25, 30, 25, 12, 8])[0]
            authors = rng.sample(pool, min(n_auth, len(pool)))
            if rng.random() < 0.12 and len(authors) < 5:  # an author from another community
                other = rng.choice([x for x in COMMUNITIES if x != c])
                guest = rng.choice(self.members[other])
                if guest not in authors:
                    authors.append(guest)
            if rng.random() < 0.06 and len(authors) < 5:  # an organisation as co-author
                authors.append(rng.choice(["cmi", "world-bank-group", "afd", "giz", "eib"]))
            cc1, cc2 = rng.sample(sorted(COUNTRIES), 2)
            city = rng.choice(COUNTRIES[cc1][3])[0]
            title = _sentence(rng.choice(PRODUCT_TITLES[ptype]).format(
                t=_theme_label(themes[0]).lower(), p=COUNTRIES[cc1][0], q=COUNTRIES[cc2][0],
                c=city,
            ))
            language = rng.choices(["en", "fr", "ar"], weights=[60, 30, 10])[0]
            rows.append({
                "year": year, "title": title, "type": ptype, "community": community,
                "authors": ";".join(authors), "language": language, "themes": ";".join(themes),
            })
        rows.sort(key=lambda r: (r["year"], r["community"], r["title"], r["authors"]))
        for i, r in enumerate(rows, 1):
            self.products.append({
                "id": f"kp{i:04d}", "title": r["title"], "type": r["type"],
                "year": str(r["year"]), "community": r["community"], "authors": r["authors"],
                "language": r["language"], "themes": r["themes"], "illustrative": "true",
            })

    # -- events and participation ----------------------------------------------------------

    def make_events(self) -> None:
        rng = self.rng
        rows = []
        for _ in range(N_EVENTS):
            r = rng.random()
            c = ("urban-transport" if r < 0.45 else "employment" if r < 0.75
                 else "tertiary-education")
            start = dt.date(2010, 6, 1) if c == "urban-transport" else dt.date(2012, 1, 1)
            day = start + dt.timedelta(days=rng.randint(0, (LAST_EVENT_DAY - start).days))
            etype = _weighted(rng, EVENT_TYPES)
            theme = rng.choice(SUBTHEMES[c])
            city, cc = ("", "") if etype == "session" else rng.choice(EVENT_CITIES)
            title = EVENT_TITLES[etype].format(t=_theme_label(theme).lower(), c=city)
            rows.append({"date": day, "type": etype, "community": c, "title": title,
                         "city": city, "country": cc})
        rows.sort(key=lambda r: (r["date"], r["community"], r["title"]))
        for i, r in enumerate(rows, 1):
            eid = f"ev{i:04d}"
            self.events.append({
                "id": eid, "title": r["title"], "type": r["type"],
                "date": r["date"].isoformat(), "community": r["community"], "city": r["city"],
                "country": r["country"], "illustrative": "true",
            })
            self._participants(eid, r)

    def _participants(self, eid: str, event: dict) -> None:
        rng = self.rng
        c, year = event["community"], event["date"].year
        size = rng.randint(5, 40)
        pool = self._active(c, year)
        people: list[str] = []
        while len(people) < size:
            pid = rng.choice(pool) if rng.random() < 0.85 else rng.choice(self.people)["id"]
            if pid not in people:
                people.append(pid)
        n_speakers = min(len(people) - 1, rng.randint(1, 3))
        for j, pid in enumerate(people):
            role = "speaker" if j < n_speakers else "participant"
            if j == n_speakers and event["type"] in ("session", "workshop"):
                role = "facilitator"
            self._participate(eid, pid, role)
        organizers = ["cmi"]
        if event["type"] != "session":
            local = [o["id"] for o in self.orgs if o["country"] == event["country"]]
            if local:
                organizers.append(rng.choice(local))
        elif rng.random() < 0.3:
            organizers.append(rng.choice(["world-bank-group", "afd", "giz", "eib", "codatu"]))
        for org in organizers:
            self._participate(eid, org, "organizer")

    def _participate(self, eid: str, participant: str, role: str) -> None:
        self.participation.append({
            "event": eid, "participant": participant, "role": role, "illustrative": "true",
        })

    # -- all -------------------------------------------------------------------------------

    def run(self) -> dict[str, list[dict[str, str]]]:
        self.make_organizations()
        self.make_people()
        self.make_memberships()
        self.make_products()
        self.make_events()
        themes = [
            {"id": t[0], "name": t[1], "name_fr": t[2], "name_ar": t[3], "broader": t[4],
             "illustrative": "true"}
            for t in THEMES
        ]
        return {
            "themes": themes,
            "organizations": self.orgs,
            "people": self.people,
            "memberships": self.memberships,
            "products": self.products,
            "events": self.events,
            "participation": self.participation,
        }


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(out_dir: Path | str = OUT_DIR) -> dict[str, int]:
    """Write the illustrative CSVs into ``out_dir``; return the row count of each sheet."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    sheets = Generator().run()
    for name, rows in sheets.items():
        write_csv(out / f"{name}.csv", rows)
    return {name: len(rows) for name, rows in sheets.items()}


if __name__ == "__main__":
    counts = main(sys.argv[1] if len(sys.argv) > 1 else OUT_DIR)
    for sheet, n in counts.items():
        print(f"{sheet}: {n} rows")
