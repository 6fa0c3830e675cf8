"""Hand mutation run on the year's writes as the web app uses them (base hashes, change history,
approvals, waiting alerts): each mutant against the year and year-page tests, each file restored
after its mutant. Run from the repository root: python tools/mutate_year.py"""

from mutation import run_mutants

YEAR_EDITS = "toolkit/casebook/year_edits.py"
STATEMENTS = "toolkit/casebook/statements.py"
PLACEMENTS = "toolkit/casebook/placements.py"
PATH = "toolkit/casebook/path.py"
ALERTS = "toolkit/casebook/alerts.py"
SPONSOR = "toolkit/reports/sponsor_statement.py"

MUTANTS = [
    (YEAR_EDITS, "no base check", "    check_bases(base_hashes)\n", ""),
    (YEAR_EDITS, "base compared loosely", "        if found != expected:\n", "        if False:\n"),
    (YEAR_EDITS, "absent file has a hash", "        return ABSENT\n", '        return "x"\n'),
    (
        YEAR_EDITS,
        "no history",
        "        record_changes(root, [_change(root, edit, originals[edit.path], actor) for edit in edits])\n",  # noqa: E501
        "",
    ),
    (
        YEAR_EDITS,
        "history says changed for a new file",
        '        action="created" if original is None else "changed",\n',
        '        action="changed",\n',
    ),
    (YEAR_EDITS, "history without fields", "        fields=edit.fields,\n", "        fields=(),\n"),
    (
        YEAR_EDITS,
        "history by the local actor",
        "        actor=actor.strip() or LOCAL_ACTOR,\n",
        "        actor=LOCAL_ACTOR,\n",
    ),
    (YEAR_EDITS, "no restore on failure", "        _restore(originals)\n", "        pass\n"),
    (
        PATH,
        "status ignores its base",
        "            base_hashes=bases(path, base_hash),\n",
        "            base_hashes=None,\n",
    ),
    (
        PLACEMENTS,
        "decline ignores its base",
        "            base_hashes=bases(casebook.path_of(person), base_hash),\n",
        "            base_hashes=None,\n",
    ),
    (
        STATEMENTS,
        "hours ignore their base",
        "        apply_edits(casebook.root, edits, actor=by, base_hashes=bases(path, base_hash))\n",
        "        apply_edits(casebook.root, edits, actor=by)\n",
    ),
    (
        STATEMENTS,
        "waiting takes every state",
        '            if statement.state == "ingediend" and place is not None:\n',
        "            if place is not None:\n",
    ),
    (
        STATEMENTS,
        "approve-all ignores the month",
        "            if (month is None or w.month == month)\n",
        "            if True\n",
    ),
    (
        STATEMENTS,
        "approve-all ignores the person",
        "            and (person_id is None or w.person_id == person_id)\n",
        "            and True\n",
    ),
    (
        STATEMENTS,
        "approve-all ignores the place",
        "            and (opportunity is None or w.opportunity == opportunity)\n",
        "            and True\n",
    ),
    (
        STATEMENTS,
        "approve-all before the month began",
        "            and day >= month_start(w.month)\n",
        "            and True\n",
    ),
    (
        STATEMENTS,
        "approve-all with nothing is fine",
        "        if not chosen:\n",
        "        if False:\n",
    ),
    (
        STATEMENTS,
        "approve-all with no filter",
        "    if month is None and person_id is None:\n",
        "    if False:\n",
    ),
    (
        STATEMENTS,
        "approving ignores the named place",
        "            if s.month == month and (opportunity is None or place_of(s, person) == opportunity)\n",  # noqa: E501
        "            if s.month == month\n",
    ),
    (
        ALERTS,
        "waiting alert for every state",
        '    months = sorted({s.month for s in hours.statements if s.state == "ingediend"}) if hours else []\n',  # noqa: E501
        "    months = sorted({s.month for s in hours.statements}) if hours else []\n",
    ),
    (ALERTS, "no waiting alert", "    alerts.extend(waiting_alerts(casebook, person))\n", ""),
    (
        SPONSOR,
        "a placement ending on the 1st loses that month",
        "            placement.end is not None and month_start(statement.month) > placement.end\n",
        "            placement.end is not None and month_start(statement.month) >= placement.end\n",
    ),
]
TESTS = [
    "tests/year/test_year_edits.py",
    "tests/year/test_path.py",
    "tests/year/test_statements.py",
    "tests/year/test_payments.py",
    "tests/year/test_placements.py",
    "tests/year/test_sponsor_statement.py",
    "tests/web/test_year_pages.py",
]
run_mutants(MUTANTS, TESTS)
