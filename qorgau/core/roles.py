"""The action catalogue and the default roles. Roles are data: `load_reference` writes these to the
database, where an administrator may change them; this module is only the starting set."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Every action the application checks, by domain. A role is a subset of these.
ACTIONS: dict[str, str | Promise] = {
    "people.view": _("see persons and families"),
    "people.view_iin": _("see a person's full IIN on the detail page"),
    "people.add": _("register persons and families"),
    "people.change": _("change persons and families"),
    "people.consent": _("record and withdraw consent"),
    "people.export": _("export persons"),
    "intake.view": _("see signals, outcomes, protective orders and reconciliation decisions"),
    "intake.add": _("register signals and report breaches of protective orders"),
    "intake.change": _("assign signals, record first contact, compliance checks and a victim's refusal"),
    "intake.outcome": _("record legal outcomes and issue protective orders"),
    "intake.reconcile": _("request a reconciliation decision"),
    "intake.export": _("export signal lists"),
    "audit.view": _("search the audit log"),
    "core.admin": _("administer users, agencies and reference data"),
}

PEOPLE_READ = ["people.view"]
PEOPLE_WRITE = ["people.view", "people.add", "people.change", "people.consent"]
SIGNAL_REPORTER = ["intake.view", "intake.add"]

# slug -> (name, description, actions, default scope)
DEFAULT_ROLES: dict[str, tuple[str | Promise, str | Promise, list[str], str]] = {
    "duty_officer": (
        _("Duty officer"),
        _("Police: registers signals from every channel."),
        [*PEOPLE_WRITE, "people.view_iin", "intake.view", "intake.add", "intake.change"],
        "agency",
    ),
    "district_inspector": (
        _("District inspector"),
        _("Police: works signals to a legal outcome, protective orders."),
        [
            *PEOPLE_WRITE,
            "people.view_iin",
            *SIGNAL_REPORTER,
            "intake.change",
            "intake.outcome",
            "intake.reconcile",
            "intake.export",
        ],
        "agency",
    ),
    "case_worker": (
        _("Case worker"),
        _("Crisis or family support centre: victim cases, safety plans, referrals."),
        [*PEOPLE_WRITE, "people.view_iin", *SIGNAL_REPORTER],
        "agency",
    ),
    "psychologist": (_("Psychologist"), _("Psychological help to victims."), PEOPLE_READ, "own"),
    "lawyer": (_("Lawyer"), _("Legal help to victims."), PEOPLE_READ, "own"),
    "doctor": (
        _("Doctor"),
        _("Medical help; reports signals from health facilities."),
        [*PEOPLE_READ, *SIGNAL_REPORTER],
        "own",
    ),
    "facility_manager": (
        _("Facility manager"),
        _("Beds, admissions, discharges and vacancies of a facility."),
        PEOPLE_WRITE,
        "agency",
    ),
    "district_social_worker": (
        _("District social worker"),
        _("Akimat: family risk worklist and preventive visits."),
        [*PEOPLE_WRITE, *SIGNAL_REPORTER],
        "agency",
    ),
    "conference_chair": (
        _("Conference chair"),
        _("Chairs the multi-agency risk conference."),
        [*PEOPLE_READ, "intake.view"],
        "regions",
    ),
    "analyst": (_("Analyst"), _("Dashboards and reports; aggregate data only."), [], "regions"),
    "agency_admin": (
        _("Agency administrator"),
        _("Users and reference data of one agency."),
        ["core.admin"],
        "agency",
    ),
    "auditor": (_("Auditor"), _("Searches the audit log; sees no case files."), ["audit.view"], "regions"),
    "system_admin": (
        _("System administrator"),
        _("Reference data, roles and agencies for the whole country."),
        ["core.admin", "audit.view"],
        "national",
    ),
}
