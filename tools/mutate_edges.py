"""Hand mutation run on the round's edges: the runs written in person order
(toolkit/matching/ranking.py) and the place texts over one shared numbering of the wishes'
n-grams (toolkit/matching/text_product.py). Each mutant runs against the group scorer's
tests, and the file is restored after it.
Run from the repository root: python tools/mutate_edges.py [words of mutant names]"""

from mutation import run_mutants

RANKING = "toolkit/matching/ranking.py"
TEXT = "toolkit/matching/text_product.py"

MUTANTS = [
    # The runs written in person order (_in_person_order).
    (
        RANKING,
        "counts not per position",
        "        counts[positions] = lengths\n",
        "        counts[: positions.size] = lengths\n",
    ),
    (
        RANKING,
        "every person starts at 0",
        "    start = np.cumsum(counts) - counts\n",
        "    start = np.zeros_like(counts)\n",
    ),
    (
        RANKING,
        "runs start where they end",
        "        at = np.repeat(start[positions] - (np.cumsum(lengths) - lengths), lengths)\n",
        "        at = np.repeat(start[positions] - np.cumsum(lengths), lengths)\n",
    ),
    (
        RANKING,
        "edges shifted by one",
        "        at += np.arange(at.size)\n",
        "        at += np.arange(1, at.size + 1)\n",
    ),
    (
        RANKING,
        "people in block order",
        "    people = np.repeat(np.arange(n_rows, dtype=np.int32), counts)\n",
        "    people = np.repeat(np.arange(n_rows, dtype=np.int32)[::-1], counts[::-1])\n",
    ),
    (
        RANKING,
        "the last part not written",
        "    while parts:\n",
        "    while len(parts) > 1:\n",
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
