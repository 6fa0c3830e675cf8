"""Hand mutation run on the compiled scoring loops (toolkit/matching/pair_kernel.py) and the
district wishes over a group's own districts (toolkit/matching/group_scoring.py). Each
mutant runs against the loops' tests under NUMBA_DISABLE_JIT=1 (as plain Python: the same
code, 24 s a mutant instead of minutes of compiling), and the file is restored after it.
The loops hold the pair's arithmetic twice: column by column for the top-k's bounds
("bounds"), pair by pair for the exact scores, a block and the edges.
Run from the repository root: python tools/mutate_kernel.py [words of mutant names]"""

import os

from mutation import run_mutants

KERNEL = "toolkit/matching/pair_kernel.py"
SCORING = "toolkit/matching/group_scoring.py"
B = " " * 16  # the bounds' loop body
P = " " * 12  # the pair-by-pair loop body

MUTANTS = [
    # The tag products.
    (
        KERNEL,
        "slot sums start at the second slot",
        "        out[j] = table[tag, j] * value\n",
        "        out[j] = 0.0\n",
    ),
    (
        KERNEL,
        "slot sums miss later slots",
        "            out[j] = out[j] + table[tag, j] * value\n",
        "            out[j] = out[j]\n",
    ),
    (
        KERNEL,
        "pair talents from the second slot",
        P + "    talents = term if s == 0 else talents + term\n",
        P + "    talents = term if s <= 1 else talents + term\n",
    ),
    (
        KERNEL,
        "pair causes wrong table",
        P + "    term = c_table[tag, j] * c_values[i, s]\n",
        P + "    term = t_table[tag, j] * c_values[i, s]\n",
    ),
    # Feasibility, in both loops.
    (
        KERNEL,
        "bounds: too few hours allowed",
        B + "infeasible = h_few[ch, j] | (\n",
        B + "infeasible = False | (\n",
    ),
    (
        KERNEL,
        "bounds: no day in common allowed",
        B + "    (mine != 0) & (theirs != 0) & (popcount[mine & theirs] == 0)\n",
        B + "    (mine != 0) & (theirs != 0) & (popcount[mine & theirs] == 9)\n",
    ),
    (
        KERNEL,
        "bounds: feasible list keeps the infeasible",
        B + "n_feasible += not infeasible\n",
        B + "n_feasible += 1\n",
    ),
    (
        KERNEL,
        "bounds: fewer than k feasible still cut",
        "            if width > k and n_feasible >= k:\n",
        "            if width > k:\n",
    ),
    (
        KERNEL,
        "bounds: beyond reach allowed",
        B + "    infeasible |= d_beyond[cd, j]\n",
        B + "    infeasible |= False\n",
    ),
    (
        KERNEL,
        "bounds: needs met with less",
        B + "    infeasible |= offered_all[j] + 0.5 < n_needs[i]\n",
        B + "    infeasible |= offered_all[j] + 1.5 < n_needs[i]\n",
    ),
    (
        KERNEL,
        "bounds: exclusions ignored",
        B + "    infeasible |= excluded[i, j]\n",
        B + "    infeasible |= False\n",
    ),
    (
        KERNEL,
        "pair: needs met with less",
        P + "    infeasible = offered + 0.5 < n_needs[i]\n",
        P + "    infeasible = offered + 1.5 < n_needs[i]\n",
    ),
    (
        KERNEL,
        "pair: beyond reach allowed",
        P + "if has_beyond and d_beyond[cd, j]:\n",
        P + "if has_beyond and d_beyond[cd, j] and False:\n",
    ),
    (
        KERNEL,
        "pair: exclusions ignored",
        P + "if has_excluded and excluded[i, j]:\n",
        P + "if has_excluded and excluded[i, j] and False:\n",
    ),
    (
        KERNEL,
        "pair: no day in common allowed",
        P + "infeasible = h_few[ch, j] or (days_known and common == 0)\n",
        P + "infeasible = h_few[ch, j]\n",
    ),
    # The arithmetic.
    (
        KERNEL,
        "bounds: days counted when unknown",
        B + "counted += 1.0 if days_known else 0.0\n",
        B + "counted += 1.0\n",
    ),
    (
        KERNEL,
        "pair: days part over the larger count",
        P + "days = common / max(min(my_count, popcount[theirs]), 1)\n",
        P + "days = common / max(max(my_count, popcount[theirs]), 1)\n",
    ),
    (
        KERNEL,
        "bounds: wishes counted from one",
        B + "denominator = w_talents * counted_as[j] + w_wishes * (1.0 if counted > 0 else 0.0)\n",
        B + "denominator = w_talents * counted_as[j] + w_wishes * (1.0 if counted > 1 else 0.0)\n",
    ),
    (
        KERNEL,
        "pair: values never in the denominator",
        P + "if has_values:\n" + P + "    denominator += denominator_values\n",
        P + "if False:\n" + P + "    denominator += denominator_values\n",
    ),
    (
        KERNEL,
        "pair: counted not at least one",
        P + "if counted < 1.0:\n",
        P + "if counted < 0.0:\n",
    ),
    (
        KERNEL,
        "pair: talents counted everywhere",
        P + "talents = w_talents * (talents if talents_counted[j] else 0.0)\n",
        P + "talents = w_talents * talents\n",
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
    # The edges.
    (
        KERNEL,
        "edges keep non-finite scores",
        P + "    elif score == score and abs(score) != np.inf:  # np.isfinite\n",
        P + "    elif score == score:\n",
    ),
    (
        KERNEL,
        "edges not clipped",
        P + "        scores[0, at] = min(max(score, 0.0), 1.0)\n",
        P + "        scores[0, at] = min(score, 1.0)\n",
    ),
    # The top-k.
    (
        KERNEL,
        "text product from the second term",
        P + "for at in range(p_indptr[row], p_indptr[row + 1]):\n",
        P + "for at in range(p_indptr[row] + 1, p_indptr[row + 1]):\n",
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
        "                cut = best[0]\n",
        "                cut = best[1] if k > 1 else best[0]\n",
    ),
    (
        KERNEL,
        "no slack for the text",
        B + "slack[q] = w_wishes / counted / denominator if positive else 0.0\n",
        B + "slack[q] = 0.0\n",
    ),
    (KERNEL, "no room for rounding", "_SLACK = 2e-9\n", "_SLACK = 0.0\n"),
    (
        KERNEL,
        "stop at the first bound below the cut",
        P + "if top_k and ordered_upper[q] < scores[i, k - 1]:\n",
        P + "if top_k and ordered_upper[q] <= scores[i, k - 1]:\n",
    ),
    (
        KERNEL,
        "chosen in column order",
        "            by_bound = np.argsort(-upper[:n_chosen])\n",
        "            by_bound = np.arange(n_chosen)\n",
    ),
    (
        KERNEL,
        "ties to the higher opportunity",
        "                or (scores[i, at - 1] == score and found[i, at - 1] > place_id)\n",
        "                or (scores[i, at - 1] == score and found[i, at - 1] < place_id)\n",
    ),
    (
        KERNEL,
        "NaN bounds not refused",
        "                unbounded |= (lo != lo) | (lo == np.inf)\n",
        "                unbounded |= lo != lo\n",
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
os.environ["NUMBA_DISABLE_JIT"] = "1"
os.environ["HYPOTHESIS_PROFILE"] = "mutation"  # a failing example kills: no shrinking
run_mutants(MUTANTS, TESTS)
