"""Hand mutation run on the matcher's threads: the groups of people scored in threads
(toolkit/matching/ranking.py) and the per-casebook tables they share, built once under a lock
(toolkit/matching/features.py, text_product.py). Each mutant runs against the tests of the
compiled loops, of built_once and of the group scorer, and the file is restored after it.
Run from the repository root: python tools/mutate_threads.py [words of mutant names]"""

from mutation import run_mutants

RANKING = "toolkit/matching/ranking.py"
FEATURES = "toolkit/matching/features.py"
TEXT = "toolkit/matching/text_product.py"

MUTANTS = [
    (
        RANKING,
        "one thread whatever the cores",
        "    workers = min(len(items), _cores()) if compiled else 1\n",
        "    workers = 1\n",
    ),
    (
        RANKING,
        "numpy path in threads",
        "    workers = min(len(items), _cores()) if compiled else 1\n",
        "    workers = min(len(items), _cores())\n",
    ),
    (
        RANKING,
        "one group in a pool of its own",
        "    if workers <= 1:\n",
        "    if workers < 1:\n",
    ),
    (
        RANKING,
        "results in another order",
        "        return list(pool.map(work, items))\n",
        "        return list(pool.map(work, items[::-1]))\n",
    ),
    (
        RANKING,
        "a core fewer",
        "        return len(os.sched_getaffinity(0))\n",
        "        return len(os.sched_getaffinity(0)) - 1\n",
    ),
    (
        RANKING,
        "the machine's cores, not the process's",
        '    if hasattr(os, "sched_getaffinity"):\n',
        "    if False:\n",
    ),
    (
        FEATURES,
        "built again after waiting",
        "            found = cache.get(key)\n            if found is None:\n",
        "            if True:\n",
    ),
    (
        FEATURES,
        "no lock",
        "        with _BUILDING:\n",
        "        if True:\n",
    ),
    (
        FEATURES,
        "not kept",
        "                cache[key] = found\n",
        "                pass\n",
    ),
    (
        FEATURES,
        "lock not reentrant",
        "_BUILDING = threading.RLock()\n",
        "_BUILDING = threading.Lock()\n",
    ),
    (
        TEXT,
        "place rows kept under one key for both orders",
        "        prepared.orders, by_district, lambda:",
        "        prepared.orders, True, lambda:",
    ),
]
TESTS = [
    "tests/matching/test_built_once.py",
    "tests/matching/test_pair_kernel.py",
    "tests/matching/test_group_scoring.py",
]
run_mutants(MUTANTS, TESTS)
