"""The spreadsheet contract of ``docs/data-model.md`` as data: sheets, columns and allowed words."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef

from ..vocab import COP

__all__ = [
    "COMMON_OPTIONAL",
    "MEMBERSHIP_ROLES",
    "ORGANIZATION_TYPES",
    "PARTICIPATION_ROLES",
    "PLATFORM_ROLES",
    "PRODUCT_TYPES",
    "EVENT_TYPES",
    "EXAMPLE_NOTE",
    "SHEETS",
    "SHEET_ORDER",
    "SheetSpec",
]


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of the contract: its required and optional columns, and what its id names."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    #: The kind (``graph.vocab.KINDS``) of the resource a row defines, or None (link sheets).
    kind: str | None = None
    #: One example row for the templates, by column.
    example: dict[str, str] = field(default_factory=dict)

    @property
    def columns(self) -> tuple[str, ...]:
        """Required then optional columns, as the templates write them."""
        return self.required + self.optional


#: Common optional columns of every sheet.
COMMON_OPTIONAL = ("illustrative", "source")

ORGANIZATION_TYPES: dict[str, URIRef] = {
    "government": COP.Government,
    "city": COP.City,
    "region": COP.Region,
    "bank": COP.DevelopmentBank,
    "agency": COP.DevelopmentAgency,
    "international": COP.InternationalOrganization,
    "public-institution": COP.PublicInstitution,
    "university": COP.University,
    "ngo": COP.NonGovernmentalOrganization,
    "network": COP.ProfessionalNetwork,
    "company": COP.Company,
    "platform": COP.Platform,
}
PLATFORM_ROLES: dict[str, URIRef] = {
    "member": COP.MemberRole,
    "observer": COP.ObserverRole,
    "partner": COP.PartnerRole,
}
MEMBERSHIP_ROLES: dict[str, URIRef] = {
    "member": COP.MemberRole,
    "coordinator": COP.CoordinatorRole,
    "facilitator": COP.FacilitatorRole,
    "observer": COP.ObserverRole,
    "partner": COP.PartnerRole,
}
PRODUCT_TYPES: dict[str, URIRef] = {
    "report": COP.Report,
    "toolkit": COP.Toolkit,
    "case-study": COP.CaseStudy,
    "policy-note": COP.PolicyNote,
    "dataset": COP.Dataset,
    "training": COP.Training,
}
EVENT_TYPES: dict[str, URIRef] = {
    "session": COP.Session,
    "dialogue": COP.DialogueEvent,
    "workshop": COP.Workshop,
    "conference": COP.Conference,
    "study-tour": COP.StudyTour,
}
PARTICIPATION_ROLES: dict[str, URIRef] = {
    "participant": COP.ParticipantRole,
    "speaker": COP.SpeakerRole,
    "organizer": COP.OrganizerRole,
    "facilitator": COP.FacilitatorRole,
}

#: The ``source`` cell of every template example row.
EXAMPLE_NOTE = "example row: replace it with your data or delete it"

# Example rows use ids starting with "example-" (graph.ingest.mapping.EXAMPLE_PREFIX), which no
# import accepts: a template sent back with an example row left in is refused, never merged
# into real resources (the examples once reused real ids such as afd or urban-transport).
SHEETS: dict[str, SheetSpec] = {
    spec.name: spec
    for spec in (
        SheetSpec(
            "themes", ("id", "name"), ("name_fr", "name_ar", "broader"), "theme",
            {"id": "example-theme", "name": "Urban mobility", "name_fr": "Mobilité urbaine",
             "name_ar": "التنقل الحضري", "broader": ""},
        ),
        SheetSpec(
            "organizations", ("id", "name", "type", "country", "role", "joined"),
            ("name_fr", "name_ar", "website", "wikidata"), "organization",
            {"id": "example-org", "name": "Example Development Agency", "type": "agency",
             "country": "FR", "role": "partner", "joined": "2009",
             "name_fr": "Agence de développement (exemple)", "name_ar": "",
             "website": "https://www.example.org", "wikidata": ""},
        ),
        SheetSpec(
            "people", ("id", "name", "organization", "country"),
            ("name_fr", "name_ar", "expertise", "email"), "person",
            {"id": "example-person", "name": "Leila Ben Salah", "organization": "example-org",
             "country": "TN", "name_fr": "", "name_ar": "ليلى بن صالح",
             "expertise": "example-theme", "email": "leila@example.org"},
        ),
        SheetSpec(
            "communities", ("id", "name", "theme", "launched"),
            ("name_fr", "name_ar", "program"), "community",
            {"id": "example-community", "name": "Sustainable urban transport (example)",
             "theme": "example-theme", "launched": "2010",
             "name_fr": "Transport urbain durable (exemple)", "name_ar": "", "program": ""},
        ),
        SheetSpec(
            "memberships", ("member", "community", "role", "since"), (), None,
            {"member": "example-person", "community": "example-community", "role": "member",
             "since": "2012"},
        ),
        SheetSpec(
            "products", ("id", "title", "type", "year", "community", "authors"),
            ("language", "url", "themes"), "product",
            {"id": "example-product", "title": "Bus rapid transit in Mediterranean cities",
             "type": "report", "year": "2015", "community": "example-community",
             "authors": "example-person;example-org", "language": "en", "url": "",
             "themes": "example-theme"},
        ),
        SheetSpec(
            "events", ("id", "title", "type", "date", "community"), ("city", "country"),
            "event",
            {"id": "example-event", "title": "Urban transport dialogue", "type": "dialogue",
             "date": "2014-03-18", "community": "example-community", "city": "Marseille",
             "country": "FR"},
        ),
        SheetSpec(
            "participation", ("event", "participant", "role"), (), None,
            {"event": "example-event", "participant": "example-person", "role": "speaker"},
        ),
    )
}

#: Sheets in the order their resources are defined (templates, exports).
SHEET_ORDER = tuple(SHEETS)
