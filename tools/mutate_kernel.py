"""Hand mutation run on the compiled scoring loops (toolkit/matching/pair_kernel.py) and the
district wishes over a group's own districts (toolkit/matching/group_scoring.py). Each
mutant runs against the loops' tests (numba recompiles the changed file), and the file is
restored after it.
Run from the repository root: python tools/mutate_kernel.py [words of mutant names]"""

from mutation import run_mutants

KERNEL = "toolkit/matching/pair_kernel.py"
SCORING = "toolkit/matching/group_scoring.py"

MUTANTS = [
    (
        KERNEL,
        "talents not capped",
        "                if talents > 1.0:\n",
        "                if talents > 9.0:\n",
    ),
    (
        KERNEL,
        "causes not capped",
        "                if causes > 1.0:\n",
        "                if causes > 9.0:\n",
    ),
    (
        KERNEL,
        "talent terms from the second slot",
        "                    talents = term if s == 0 else talents + term\n",
        "                    talents = term if s <= 1 else talents + term\n",
    ),
    (
        KERNEL,
        "needs met with less",
        "                    infeasible = offered + 0.5 < n_needs[i]\n",
        "                    infeasible = offered + 1.5 < n_needs[i]\n",
    ),
    (
        KERNEL,
        "needs never checked",
        "                if not infeasible and n_needs[i] > 0:\n",
        "                if not infeasible and n_needs[i] > 9:\n",
    ),
    (
        KERNEL,
        "beyond reach ignored",
        "                if has_beyond and d_beyond[cd, j]:\n",
        "                if has_beyond and d_beyond[cd, j] and False:\n",
    ),
    (
        KERNEL,
        "exclusions ignored",
        "                if has_excluded and excluded[i, j]:\n",
        "                if has_excluded and excluded[i, j] and False:\n",
    ),
    (
        KERNEL,
        "days in common not required",
        "                infeasible = h_few[ch, j] or (days_known and common == 0)\n",
        "                infeasible = h_few[ch, j]\n",
    ),
    (
        KERNEL,
        "too few hours allowed",
        "                infeasible = h_few[ch, j] or (days_known and common == 0)\n",
        "                infeasible = days_known and common == 0\n",
    ),
    (
        KERNEL,
        "days counted when unknown",
        "                counted += 1.0 if days_known else 0.0\n",
        "                counted += 1.0\n",
    ),
    (
        KERNEL,
        "days part over the larger count",
        "                days = common / max(min(my_count, popcount[theirs]), 1)\n",
        "                days = common / max(max(my_count, popcount[theirs]), 1)\n",
    ),
    (
        KERNEL,
        "wishes counted from one",
        "                    1.0 if counted > 0 else 0.0\n",
        "                    1.0 if counted > 1 else 0.0\n",
    ),
    (
        KERNEL,
        "values never in the denominator",
        "                if has_values:\n                    denominator += denominator_values\n",
        "                if has_values and False:\n                    denominator += denominator_values\n",
    ),
    (
        KERNEL,
        "counted not at least one",
        "                if counted < 1.0:\n                    counted = 1.0\n",
        "                if counted < 0.5:\n                    counted = 1.0\n",
    ),
    (
        KERNEL,
        "talents counted everywhere",
        "                talents = w_talents * (talents if talents_counted[j] else 0.0)\n",
        "                talents = w_talents * talents\n",
    ),
    (
        KERNEL,
        "text added last",
        "    rank = causes + text\n    rank += district\n",
        "    rank = causes + district\n    rank += text\n",
    ),
    (
        KERNEL,
        "no rounding",
        "    return float(np.rint(rank * 1e9) / 1e9)\n",
        "    return float(rank)\n",
    ),
    (KERNEL, "text not capped", "    return 1.0 if part > 1.0 else part\n", "    return part\n"),
    (
        KERNEL,
        "edges keep non-finite scores",
        "                    elif score == score and abs(score) != np.inf:  # np.isfinite\n",
        "                    elif score == score:\n",
    ),
    (
        KERNEL,
        "edges not clipped",
        "                        scores[0, at] = min(max(score, 0.0), 1.0)\n",
        "                        scores[0, at] = min(score, 1.0)\n",
    ),
    (
        KERNEL,
        "text product from the second term",
        "                    for at in range(p_indptr[row], p_indptr[row + 1]):\n",
        "                    for at in range(p_indptr[row] + 1, p_indptr[row + 1]):\n",
    ),
    (
        KERNEL,
        "wishes not cleared",
        "                dense[w_numbers[at]] = 0.0\n",
        "                dense[w_numbers[at]] = dense[w_numbers[at]]\n",
    ),
    (
        KERNEL,
        "cut at the (k-1)-th",
        "                    cut = best[0]\n",
        "                    cut = best[1] if k > 1 else best[0]\n",
    ),
    (
        KERNEL,
        "candidates by the low bound",
        "                    if low[j] > -np.inf and high[j] >= cut:\n",
        "                    if low[j] > -np.inf and low[j] >= cut:\n",
    ),
    (
        KERNEL,
        "ties to the higher opportunity",
        "                        or (scores[i, at - 1] == score and found[i, at - 1] > place_id)\n",
        "                        or (scores[i, at - 1] == score and found[i, at - 1] < place_id)\n",
    ),
    (
        KERNEL,
        "a tie with the last kept replaces it",
        "                        scores[i, at] == score and 0 <= found[i, at] < place_id\n",
        "                        scores[i, at] == score and 0 <= found[i, at] < place_id and False\n",
    ),
    (
        KERNEL,
        "NaN bounds not refused",
        "                if hi != hi or hi == np.inf:\n",
        "                if hi != hi:\n",
    ),
    (
        KERNEL,
        "infeasible lows kept",
        "                    if top_k:\n                        low[j] = -np.inf\n",
        "                    if top_k:\n                        low[j] = -1.0\n",
    ),
    (
        SCORING,
        "district wishes not capped",
        "        return np.minimum(dense, 1.0, out=dense)\n",
        "        return dense\n",
    ),
    (
        SCORING,
        "district of the wrong column",
        "        self.place_local: IntArray = place_local.astype(np.int64)\n",
        "        self.place_local: IntArray = place_local[::-1].astype(np.int64)\n",
    ),
]
TESTS = ["tests/matching/test_pair_kernel.py"]
run_mutants(MUTANTS, TESTS)
