"""The ``burgerbaan`` command: thin commands over the importable toolkit.

Each command parses its options, calls a library function and prints the result. Library code
raises :class:`~toolkit.errors.ToolkitError`; only here does it become a message and exit code.

Commands are registered by name in :data:`COMMANDS` and imported only when they are run (or
their own help is asked for), so ``burgerbaan --help`` and ``--version`` start at once instead
of loading scikit-learn, SciPy and python-docx first. To add a command, add one line.
"""

from __future__ import annotations

import os

# Before anything loads numpy: OpenBLAS (in numpy, and again in SciPy) starts a pool of threads
# per copy when it loads, which cost a quarter of a second of CPU per command on two cores
# (measured: ``match --round`` on an Almere-sized casebook, 1.06 s against 0.82 s). The toolkit
# never calls BLAS (its products are sparse, or of integers) and scores in threads of its own,
# so one thread loses nothing. A value the user set is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import click

from toolkit import __version__
from toolkit.cli.base import ToolkitGroup
from toolkit.cli.clicktext import route_click_messages
from toolkit.cli.options import lang_option


def N_(text: str) -> str:
    """Mark ``text`` for translation without translating it yet (it is shown later)."""
    return text


#: name → ("module:attribute", short help). The short help is the first paragraph of the
#: command's own help (a test keeps the two equal), so listing the commands imports none.
COMMANDS: dict[str, tuple[str, str]] = {
    "afwijzen": (
        "toolkit.cli.year_commands:afwijzen",
        N_("Record that PERSON declined OPPORTUNITY; later rounds leave the pair out."),
    ),
    "betaallijst": (
        "toolkit.cli.year_commands:betaallijst",
        N_("Make the payment list of MAAND for the fiscal host: approved statements not yet paid."),
    ),
    "cache-wissen": (
        "toolkit.cli.casebook_commands:cache_wissen",
        N_("Remove the cache of parsed case files; the next command reads every file again."),
    ),
    "casussen": (
        "toolkit.cli.casussen_commands:casussen",
        N_("Write case handouts for the dialogue tables: one per table, and an overview."),
    ),
    "check": (
        "toolkit.cli.casebook_commands:check",
        N_("Check a casebook and show its figures and the coordinator's alerts."),
    ),
    "export": (
        "toolkit.cli.io_commands:export_command",
        N_("Export a list as an Excel or CSV file."),
    ),
    "gebruiker": (
        "toolkit.cli.gebruiker_commands:gebruiker",
        N_("Accounts for the web app: who may sign in, and in which role."),
    ),
    "import": (
        "toolkit.cli.io_commands:import_command",
        N_("Import records from a spreadsheet (.xlsx, .ods or .csv) into the casebook."),
    ),
    "inzage": (
        "toolkit.cli.rights_commands:inzage",
        N_("Write everything the casebook holds about one person, for a request for access."),
    ),
    "kaart": (
        "toolkit.cli.overview_commands:kaart",
        N_("The social map: organisations, places, sponsors, people and sessions, and their ties."),
    ),
    "list": (
        "toolkit.cli.casebook_commands:list_records",
        N_("List the records of one kind as a table."),
    ),
    "match": (
        "toolkit.cli.match_commands:match",
        N_("Propose volunteer places and sponsors for candidates, with the reasons."),
    ),
    "new": (
        "toolkit.cli.casebook_commands:new",
        N_("Start a new record from a commented starter file."),
    ),
    "overzicht": (
        "toolkit.cli.overview_commands:overzicht",
        N_("The pilot overview: progress to the goal, candidates, hours, sponsors and agreements."),
    ),
    "plaats": (
        "toolkit.cli.year_commands:plaats",
        N_(
            "Record that PERSON accepted OPPORTUNITY: the placement, the "
            "slot and the budget at once."
        ),
    ),
    "qa": (
        "toolkit.cli.verslag_commands:qa",
        N_("Write the public Q&A page: the questions of all sessions with their answers."),
    ),
    "sponsorplan": (
        "toolkit.cli.overview_commands:sponsorplan",
        N_("How many burgerbanen, for how many years, meet an SROI obligation, and the cost."),
    ),
    "sponsorverklaring": (
        "toolkit.cli.year_commands:sponsorverklaring",
        N_("The sponsor statement of one year, for the municipality: people by pseudonym only."),
    ),
    "status": (
        "toolkit.cli.year_commands:status_command",
        N_("Take a step on a person's path: aanmelding, intake, kandidaat, voorgesteld, gestopt."),
    ),
    "uren": (
        "toolkit.cli.year_commands:uren",
        N_("Enter the hours statement of PERSON for MAAND (YYYY-MM), checked against every cap."),
    ),
    "uren-goedkeuren": (
        "toolkit.cli.year_commands:uren_goedkeuren",
        N_(
            "Approve the hours statement of PERSON for MAAND, so the next payment list takes it up."
        ),
    ),
    "vergeet": (
        "toolkit.cli.rights_commands:vergeet",
        N_("Erase a person: their file, their hours and every reference to them."),
    ),
    "verleng": (
        "toolkit.cli.year_commands:verleng",
        N_("Renew PERSON's agreement for one more year (same place and funder)."),
    ),
    "verlengingen": (
        "toolkit.cli.year_commands:verlengingen",
        N_("List the agreements that end within the window, each with its one-step renewal."),
    ),
    "verslag": (
        "toolkit.cli.verslag_commands:verslag",
        N_("Write the verslag of a session, or start the record of the next one."),
    ),
    "wijzigingen": (
        "toolkit.cli.history_commands:changes_command",
        N_("What has changed: who changed which record when, and which fields (never the values)."),
    ),
    # toolkit/web stands beside toolkit/cli: resolved by name when used, never imported here.
    "web": (
        "toolkit.web.command:web",
        N_("Start the web app for a casebook and open it in the browser."),
    ),
}


@click.group(cls=ToolkitGroup, lazy_commands=COMMANDS)
@click.version_option(__version__, prog_name="burgerbaan")
@lang_option
def main() -> None:
    """Case files, matching and reports for the pilot Almeerse Burgerbaan.

    Every command reads a casebook: a folder of YAML case files (default: ./cases).
    Messages and reports are in Dutch; add --lang en for English.
    """


route_click_messages()
