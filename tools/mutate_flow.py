# ruff: noqa: E501
"""Hand mutation run on the certified place and sponsor solve (toolkit/matching/flow.py): the
first subset, local repairs, the checks between solves and the final proof. Each mutant runs
against the flow, assignment and round-oracle tests, and the file is restored after it.
Run from the repository root: python tools/mutate_flow.py [words of mutant names]"""

from mutation import run_mutants

FLOW = "toolkit/matching/flow.py"

MUTANTS = [
    # The first subset.
    (FLOW, "no target side", "    if FIRST_PER_TARGET:\n", "    if False:\n"),
    (
        FLOW,
        "threshold strict",
        "        member |= units >= above[cols]\n",
        "        member |= units > above[cols]\n",
    ),
    (
        FLOW,
        "every target side edge",
        "            estimate = np.where(share >= 1.0, -np.inf,",
        "            estimate = np.where(share >= 0.0, -np.inf,",
    ),
    # The repair.
    (
        FLOW,
        "repair always refused",
        "    if inside.sum() > REPAIR_SHARE * r.size:\n",
        "    if True:\n",
    ),
    (
        FLOW,
        "repair keeps nobody outside",
        "    return np.sort(np.concatenate([outside, found]))\n",
        "    return np.sort(found)\n",
    ),
    (
        FLOW,
        "repair room ignores outsiders",
        "    room = caps - np.bincount(c[outside], minlength=m)\n",
        "    room = caps\n",
    ),
    (
        FLOW,
        "repair forward only",
        "    ) | np.isfinite(\n        dijkstra(graph.T.tocsr()",
        "    ) & np.isfinite(\n        dijkstra(graph.T.tocsr()",
    ),
    (
        FLOW,
        "repair limit tiny",
        "    limit = min(total, 2.0 * float(-slack[violated].min())) + size\n",
        "    limit = 0.5\n",
    ),
    (
        FLOW,
        "repair region one side",
        "    inside = reach[r] & reach[n_people + c]\n",
        "    inside = reach[r]\n",
    ),
    (
        FLOW,
        "repair trusted without dual",
        "                dual = _dual(n_people, caps, r, c, u + bonus, picked)\n        if dual is None:",
        "                dual = _dual(n_people, caps, r, c, u + bonus, picked) or (np.zeros(n_people, dtype=np.int64), np.zeros(caps.size, dtype=np.int64))\n        if dual is None:",
    ),
    (
        FLOW,
        "threshold may pass the best",
        "        above = np.minimum(np.ceil(np.clip(estimate, -1.0, float(best.max()) + 1.0)), best)\n",
        "        above = np.ceil(np.clip(estimate, -1.0, float(best.max()) + 1.0))\n",
    ),
    # The checks between solves and the proof.
    (FLOW, "no pending", "        pending[broken[slack < 0]] = True\n", ""),
    (
        FLOW,
        "only people fell",
        "            at = np.flatnonzero(people[r] | targets[c] | edges[start:stop])\n",
        "            at = np.flatnonzero(people[r] | edges[start:stop])\n",
    ),
    (
        FLOW,
        "only targets fell",
        "            at = np.flatnonzero(people[r] | targets[c] | edges[start:stop])\n",
        "            at = np.flatnonzero(targets[c] | edges[start:stop])\n",
    ),
    (
        FLOW,
        "no final full check",
        "            if previous is not None:\n                broken, slack = _broken(rows, cols, weight_of_units, bonus, y, z, 1)\n",
        "",
    ),
    (
        FLOW,
        "tight includes slack 1",
        "    return Proof(np.sort(chosen), broken[slack == 0], solves, int(subset.size))",
        "    return Proof(np.sort(chosen), broken[slack <= 1], solves, int(subset.size))",
    ),
    (
        FLOW,
        "fell compared loosely",
        "rows, cols, weight_of_units, bonus, y, z, 0, (y < y_before, z < z_before, pending)",
        "rows, cols, weight_of_units, bonus, y, z, 0, (y < y_before - 1, z < z_before, pending)",
    ),
]
TESTS = [
    "tests/matching/test_flow_proof.py",
    "tests/matching/test_sponsor_groups.py",
    "tests/matching/test_assignment.py",
    "tests/matching/test_round_oracles.py",
]
run_mutants(MUTANTS, TESTS)
