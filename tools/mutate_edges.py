"""Hand mutation run on the round's edges: the run order that puts the edges in person order
(toolkit/matching/ranking.py) and the place texts over one shared numbering of the wishes'
n-grams (toolkit/matching/text_product.py). Each mutant runs against the group scorer's
tests, and the file is restored after it.
Run from the repository root: python tools/mutate_edges.py [words of mutant names]"""

from mutation import run_mutants

RANKING = "toolkit/matching/ranking.py"
TEXT = "toolkit/matching/text_product.py"

MUTANTS = [
    # The runs in person order.
    (
        RANKING,
        "runs not sorted",
        '    order = np.argsort(run_person, kind="stable")',
        "    order = np.arange(run_person.size)",
    ),
    (
        RANKING,
        "runs start where the sorted ones end",
        "    from_start = (np.cumsum(run_length) - run_length)[order]\n",
        "    from_start = np.cumsum(run_length)[order]\n",
    ),
    (
        RANKING,
        "edges shifted by one",
        "    source += np.arange(total, dtype=np.int32)\n",
        "    source += np.arange(1, total + 1, dtype=np.int32)\n",
    ),
    (
        RANKING,
        "people in block order",
        "    people = np.repeat(run_person[order].astype(np.int32), length)\n",
        "    people = np.repeat(run_person.astype(np.int32), run_length)\n",
    ),
    (
        RANKING,
        "run lengths per column",
        "                        np.count_nonzero(feasible, axis=1),\n",
        "                        np.count_nonzero(feasible, axis=0)[: chunk.size],\n",
    ),
    (
        RANKING,
        "targets by row",
        "                        cols[flat % rank.shape[1]].astype(np.int32),\n",
        "                        cols[flat // rank.shape[1]].astype(np.int32),\n",
    ),
    # The place texts over one numbering of the wishes' n-grams, prepared once per features
    # (toolkit/matching/text_product.py).
    (
        TEXT,
        "numbering misses a wish n-gram",
        "    mine[f.wish_text.indices] = True\n",
        "    mine[f.wish_text.indices[1:]] = True\n",
    ),
    (
        TEXT,
        "place n-grams dropped",
        "    used = numbers >= 0\n",
        "    used = (numbers >= 0) & (np.arange(numbers.size) % 7 != 3)\n",
    ),
    (
        TEXT,
        "group's places in index order",
        "        rows = place_rows.row_of[cols]\n",
        "        rows = place_rows.row_of[np.sort(cols)]\n",
    ),
    (
        TEXT,
        "runs one column short",
        "    return np.concatenate(([0], np.flatnonzero(np.diff(rows) != 1) + 1))",
        "    return np.concatenate(([0], np.flatnonzero(np.diff(rows) != 1)))",
    ),
]
TESTS = ["tests/matching/test_group_scoring.py"]
run_mutants(MUTANTS, TESTS)
