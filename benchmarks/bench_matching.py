"""Benchmark of the matcher on synthetic casebooks, from Almere to country scale.

Run from the repository root (``make bench`` does)::

    python benchmarks/bench_matching.py           # the four measurements below
    python benchmarks/bench_matching.py --quick   # smaller sizes, for a first look

Prints, in one run:

(a) Almere scale, 500 candidates x 300 opportunities x 20 sponsors over the 8 districts:
    the whole ``burgerbaan match --round`` in this process, loading the case files from a
    temporary folder included (and, for reference, the same as a fresh process);
(b) 100,000 candidates x 50,000 opportunities over 500 towns: top-10 per person, computed
    in blocks per home town within reach, with time and peak memory;
(c) the proposal round with 10,000 candidates x 5,000 opportunities (exact over every
    feasible pair within reach: more than 3,000 candidates; ``bench_round.py`` has the peers);
(d) the vectorised scoring against a naive pure-Python loop over all pairs, 2,000 x 1,000,
    which must find the same top options.

Synthetic data: tags drawn from small vocabularies with a skew (some talents are common),
wish texts and descriptions written from the same words, hours, days, needs, values and
avoided sectors in plausible proportions. Everything is seeded: the same run, the same data.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolkit.casebook.casebook import Casebook  # noqa: E402
from toolkit.casebook.records import (  # noqa: E402
    Availability,
    HoursRange,
    Opportunity,
    Organisation,
    Person,
    Sponsor,
    Wishes,
)
from toolkit.casebook.rules import rules_for  # noqa: E402
from toolkit.casebook.settings import Settings  # noqa: E402
from toolkit.matching import Matcher  # noqa: E402
from toolkit.matching.features import build_features  # noqa: E402
from toolkit.matching.group_scoring import compiled_wanted  # noqa: E402
from toolkit.matching.ranking import top_pairs  # noqa: E402
from toolkit.matching.scores import (  # noqa: E402
    MIN_VALUES_FIT,
    TEXT_FULL,
    best_sponsors,
    choose_sponsors,
    sponsor_scores,
)

T = TypeVar("T")

TALENTS = [
    "koken",
    "gastvrijheid",
    "schoonmaken",
    "tuinieren",
    "dieren",
    "ict",
    "administratie",
    "organiseren",
    "luisteren",
    "taal",
    "kinderen",
    "sport",
    "muziek",
    "creatief",
    "techniek",
    "repareren",
    "fietsen",
    "verkoop",
    "logistiek",
    "chauffeur",
]
CAUSES = [
    "ouderen",
    "voedsel",
    "armoede",
    "natuur",
    "dieren",
    "jeugd",
    "sport",
    "cultuur",
    "duurzaamheid",
    "inburgering",
    "eenzaamheid",
    "gezondheid",
]
VALUES = [
    "duurzaamheid",
    "lokaal",
    "gemeenschap",
    "inclusie",
    "zorgzaamheid",
    "gezondheid",
    "vakmanschap",
    "betrouwbaarheid",
    "innovatie",
    "gelijkwaardigheid",
]
SECTORS = [
    "bouw",
    "zorg",
    "retail",
    "fossiel",
    "financiele-dienstverlening",
    "gokken",
    "tabak",
    "defensie",
]
NEEDS = ["rolstoeltoegankelijk", "prikkelarm", "ov-bereikbaar", "begeleiding-op-locatie"]
DAYS = ["ma", "di", "wo", "do", "vr", "za", "zo"]
WORDS = [
    "graag",
    "werken",
    "helpen",
    "mensen",
    "samen",
    "buiten",
    "buurt",
    "wijk",
    "koffie",
    "maaltijden",
    "tuin",
    "moestuin",
    "dieren",
    "honden",
    "fietsen",
    "computer",
    "spreekuur",
    "kinderen",
    "voorlezen",
    "sporten",
    "muziek",
    "zingen",
    "winkel",
    "kassa",
    "magazijn",
    "sorteren",
    "repareren",
    "bezoeken",
    "ouderen",
    "nieuwkomers",
    "taal",
    "natuur",
    "strand",
    "duinen",
    "afval",
    "koken",
    "keuken",
    "gasten",
    "ontvangen",
    "administratie",
    "plannen",
]
ALMERE = {
    "Almere Stad": (52.3709, 5.2141),
    "Almere Haven": (52.3368, 5.218),
    "Almere Buiten": (52.3925, 5.269),
    "Almere Poort": (52.3445, 5.1545),
    "Almere Hout": (52.348, 5.266),
    "Almere Pampus": (52.3975, 5.182),
    "Almere Oosterwold": (52.329, 5.328),
    "Almere Duin": (52.377, 5.144),
}


def _skewed(rng: random.Random, vocabulary: list[str], k: int) -> list[str]:
    # Earlier words are more common, as real tags are.
    weights = [1.0 / (i + 1) ** 0.7 for i in range(len(vocabulary))]
    chosen: dict[str, None] = {}
    while len(chosen) < k:
        chosen[rng.choices(vocabulary, weights)[0]] = None
    return list(chosen)


def _text(rng: random.Random, tags: list[str], n: int) -> str:
    return " ".join([*tags, *rng.sample(WORDS, n)])


def _days(rng: random.Random) -> list[str]:
    return sorted(rng.sample(DAYS, rng.randint(1, 4)), key=DAYS.index)


def towns(n: int, seed: int) -> dict[str, tuple[float, float]]:
    """``n`` towns spread over the Netherlands' bounding box."""
    rng = random.Random(seed)
    return {
        f"Plaats {i:04d}": (round(rng.uniform(51.3, 53.4), 4), round(rng.uniform(3.6, 7.1), 4))
        for i in range(n)
    }


def synthetic_casebook(
    n_people: int,
    n_opportunities: int,
    n_sponsors: int,
    districts: dict[str, tuple[float, float]],
    seed: int = 1,
) -> Casebook:
    """A valid casebook in memory (records built without re-validation: they are valid)."""
    rng = random.Random(seed)
    names = list(districts)
    settings = Settings(name="Synthetisch", rules_year=2025, districts=districts)
    organisations = {
        f"org-{i:05d}": Organisation.model_construct(
            id=f"org-{i:05d}", name=f"Organisatie {i}", kind_="non-profit", district=None
        )
        for i in range(max(1, n_opportunities // 3))
    }
    org_ids = list(organisations)
    opportunities = {}
    for i in range(n_opportunities):
        required = _skewed(rng, TALENTS, rng.randint(0, 2))
        desired = [t for t in _skewed(rng, TALENTS, rng.randint(0, 2)) if t not in required]
        causes = _skewed(rng, CAUSES, rng.randint(1, 2))
        low = rng.choice([2, 3, 4, 4, 6, 8])
        oid = f"plek-{i:06d}"
        opportunities[oid] = Opportunity.model_construct(
            id=oid,
            organisation=rng.choice(org_ids),
            title=f"Plek {i}",
            description=_text(rng, required + causes, 6),
            talents_required=required,
            talents_desired=desired,
            causes=causes,
            district=rng.choice(names),
            hours_per_week=HoursRange.model_construct(min=low, max=low + rng.choice([2, 4, 8])),
            days=_days(rng),
            slots=rng.choice([1, 1, 2, 2, 3]),
            guidance="regulier",
            offers=[n for n in NEEDS if rng.random() < 0.4],
            requires=["vog"] if rng.random() < 0.3 else [],
        )
    people = {}
    for i in range(n_people):
        talents = _skewed(rng, TALENTS, rng.randint(1, 3))
        causes = _skewed(rng, CAUSES, rng.randint(1, 2))
        home = rng.choice(names)
        pid = f"persoon-{i:06d}"
        people[pid] = Person.model_construct(
            id=pid,
            name=f"Persoon {i}",
            contact=None,
            birth_year=rng.randint(1950, 2006),
            district=home,
            has_bsn=rng.random() > 0.05,
            situation=[rng.choice(["geen", "bijstand", "wajong", "dagbesteding", "pgb", "ww"])],
            talents=talents,
            wishes=Wishes.model_construct(
                causes=causes,
                text="Ik wil " + _text(rng, talents[:1] + causes[:1], 4),
                districts=[home],
                max_travel_km=float(rng.choice([3, 5, 6, 8, 10, 15])),
            ),
            availability=Availability.model_construct(
                hours_per_week=float(rng.choice([4, 6, 8, 10, 12, 16])), days=_days(rng)
            ),
            values=_skewed(rng, VALUES, rng.randint(0, 2)),
            avoid_sectors=["fossiel"] if rng.random() < 0.3 else [],
            needs=[rng.choice(NEEDS)] if rng.random() < 0.15 else [],
            status="kandidaat",
            placement=None,
            consent=None,
            notes="",
        )
    sponsors = {}
    for i in range(n_sponsors):
        sid = f"sponsor-{i:04d}"
        sponsors[sid] = Sponsor.model_construct(
            id=sid,
            name=f"Sponsor {i}",
            sector=SECTORS[i % len(SECTORS)],
            values=_skewed(rng, VALUES, 3),
            statement="Wij steunen " + _text(rng, _skewed(rng, VALUES, 1), 5),
            budget_person_years=float(
                rng.randint(2, max(3, 2 * n_people // max(1, n_sponsors) // 3))
            ),
            sroi_obligation=None,
            sroi_deadline=None,
        )
    return Casebook(
        root=Path("/nonexistent-synthetic-casebook"),
        settings=settings,
        rules=rules_for(2025),
        people=people,
        opportunities=opportunities,
        organisations=organisations,
        sponsors=sponsors,
        sessions={},
    )


def dump_yaml(path: Path, data: Any) -> None:
    from ruamel.yaml import YAML

    path.parent.mkdir(parents=True, exist_ok=True)
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)


def write_casebook(book: Casebook, root: Path) -> None:
    """Write ``book`` as case files, the way a coordinator's folder looks."""
    dump_yaml(
        root / "casebook.yaml",
        {
            "name": book.settings.name,
            "rules_year": 2025,
            "districts": {k: list(v) for k, v in book.settings.districts.items()},
        },
    )
    for folder in ("people", "opportunities", "organisations", "sponsors"):
        for record_id, record in book.records(folder).items():
            data = record.model_dump(by_alias=True, exclude={"id"}, exclude_none=True, mode="json")
            dump_yaml(root / folder / f"{record_id}.yaml", data)


def _status_kb(field: str) -> float | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return float(line.split()[1])
    except OSError:
        return None
    return None


@contextmanager
def peak_memory() -> Iterator[dict[str, float]]:
    """The process's peak resident memory inside the block, and what it held before (MB).

    On Linux the kernel's high-water mark is reset first (``/proc/self/clear_refs``), which
    costs nothing while the block runs; elsewhere tracemalloc traces the block's own
    allocations instead (numpy included), which slows it down.
    """
    result: dict[str, float] = {}
    before = _status_kb("VmRSS")
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
        kernel = before is not None
    except OSError:
        kernel = False
    if not kernel:
        tracemalloc.start()
    try:
        yield result
    finally:
        if kernel:
            result["peak_mb"] = (_status_kb("VmHWM") or 0.0) / 1024.0
            result["before_mb"] = (before or 0.0) / 1024.0
            result["how"] = 1.0
        else:
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            result["peak_mb"] = peak / 1e6
            result["before_mb"] = 0.0
            result["how"] = 0.0


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def max_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# --- (a) ---------------------------------------------------------------------------


def bench_almere(n_people: int, n_opps: int, n_sponsors: int) -> dict[str, Any]:
    from click.testing import CliRunner

    from toolkit.cli import main

    book = synthetic_casebook(n_people, n_opps, n_sponsors, ALMERE, seed=11)
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "cases"
        write_casebook(book, root)
        # The command as a coordinator types it: the proposals as a table on the screen.
        args = ["match", str(root), "--round"]
        run, result["table"] = timed(lambda: CliRunner().invoke(main, args))
        if run.exit_code != 0:
            raise SystemExit(f"match --round failed: {run.output}")
        # The full report: every person's proposal and best options, the shortlists.
        out = Path(folder) / "ronde.md"
        md_args = [*args, "--format", "md", "--out", str(out), "--force"]
        run, result["md"] = timed(lambda: CliRunner().invoke(main, md_args))
        if run.exit_code != 0:
            raise SystemExit(f"match --round --format md failed: {run.output}")
        result["placed"] = out.read_text(encoding="utf-8").count("**Voorstel:**")
        command = [sys.executable, "-m", "toolkit", *args]
        _proc, result["fresh"] = timed(
            lambda: subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        )
    return result


# --- (b) ---------------------------------------------------------------------------


def bench_country(n_people: int, n_opps: int, n_towns: int, k: int) -> dict[str, Any]:
    book, t_data = timed(
        lambda: synthetic_casebook(n_people, n_opps, 200, towns(n_towns, 5), seed=5)
    )
    f, t_features = timed(lambda: build_features(book))
    rows = np.arange(f.n_people)

    def search(compiled: bool | None) -> tuple[np.ndarray, np.ndarray]:
        _choice, values = choose_sponsors(f, rows)
        reach = np.where(np.isnan(f.max_travel_km), 30.0, 2.0 * f.max_travel_km)
        return top_pairs(f, rows, k, person_values=values, reach_km=reach, compiled=compiled)

    # As a search chooses by itself: the compiled loops when numba is installed. The first
    # call loads them (numba, and the loops from their cache: compiled once per install).
    with peak_memory() as memory:
        (found, scores), t_first = timed(lambda: search(None))
    t_topk = min(timed(lambda: search(None))[1] for _ in range(2))
    # Its CPU time (every thread), beside the wall time above: the groups run in threads.
    cpu_start = time.process_time()
    search(None)
    cpu_topk = time.process_time() - cpu_start
    (numpy_found, numpy_scores), t_numpy = timed(lambda: search(False))
    return {
        "data": t_data,
        "features": t_features,
        "topk": min(t_topk, t_first),
        "cpu_topk": cpu_topk,
        "first": t_first,
        "numpy": t_numpy,
        "same": bool(np.array_equal(found, numpy_found) and np.array_equal(scores, numpy_scores)),
        "compiled": compiled_wanted(f, rows.size, None),
        "peak_mb": memory["peak_mb"],
        "before_mb": memory["before_mb"],
        "kernel": memory["how"] == 1.0,
        "rss_mb": max_rss_mb(),
        "full_rows": int((found[:, -1] >= 0).sum()),
    }


# --- (c) ---------------------------------------------------------------------------


def bench_round(n_people: int, n_opps: int, n_sponsors: int, n_towns: int) -> dict[str, Any]:
    book = synthetic_casebook(n_people, n_opps, n_sponsors, towns(n_towns, 7), seed=7)
    matcher, t_features = timed(lambda: Matcher(book))
    result, t_round = timed(lambda: matcher.round())
    return {
        "features": t_features,
        "round": t_round,
        "placed": result.n_placed,
        "slots": result.open_slots,
        "pruned": result.pruned,
        "sponsored": sum(1 for p in result.proposals if p.sponsor_id is not None),
    }


# --- (d) ---------------------------------------------------------------------------


def naive_top(book: Casebook, k: int) -> dict[str, list[str]]:
    """The same top-k by a plain loop over every pair, one pair at a time, in pure Python."""
    f = build_features(book)  # for the TF-IDF vectors only, as dicts below
    weights = book.settings.weights
    wish = [dict(zip(row.indices.tolist(), row.data.tolist(), strict=True)) for row in f.wish_text]
    place = [dict(zip(r.indices.tolist(), r.data.tolist(), strict=True)) for r in f.place_text]
    vtext = [dict(zip(r.indices.tolist(), r.data.tolist(), strict=True)) for r in f.values_text]
    stext = [dict(zip(r.indices.tolist(), r.data.tolist(), strict=True)) for r in f.statement_text]

    def dot(a: dict[int, float], b: dict[int, float]) -> float:
        if len(a) > len(b):
            a, b = b, a
        return sum(v * b.get(i, 0.0) for i, v in a.items())

    def km(a: str, b: str) -> float:
        (lat1, lon1), (lat2, lon2) = book.settings.districts[a], book.settings.districts[b]
        p1, p2 = math.radians(lat1), math.radians(lat2)
        h = (
            math.sin((p2 - p1) / 2) ** 2
            + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
        )
        return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, h)))

    def mean(parts: list[tuple[float, float]]) -> float:
        counted = [(v, w) for v, w in parts if not math.isnan(v)]
        total = sum(w for _v, w in counted)
        return sum(v * w for v, w in counted) / total if total else 0.0

    people = [book.people[p] for p in sorted(book.people)]
    places = [book.opportunities[o] for o in sorted(book.opportunities)]
    backers = [book.sponsors[s] for s in sorted(book.sponsors)]
    budget = [math.floor(s.budget_person_years + 1e-9) for s in backers]
    result: dict[str, list[str]] = {}
    for pi, person in enumerate(people):
        # The person's sponsor (it only shifts the total): best values fit, as the matcher.
        best, best_key = None, -1.0
        for si, backer in enumerate(backers):
            if backer.sector_tag in person.avoid_sectors or budget[si] <= 0:
                continue
            if person.values:
                shared = len(set(person.values) & set(backer.values)) / len(person.values)
                fit = 0.75 * shared + 0.25 * min(1.0, dot(vtext[pi], stext[si]) / TEXT_FULL)
                if fit < MIN_VALUES_FIT:
                    continue
            else:
                fit = backer.budget_person_years / 1e9
            if fit > best_key:
                best, best_key = fit, fit
        values = best if (best is not None and person.values) else math.nan
        scored = []
        assert person.availability is not None
        for oi, o in enumerate(places):
            if any(n not in o.offers for n in person.needs):
                continue
            assert o.hours_per_week is not None
            hours_have = person.availability.hours_per_week
            if hours_have < o.hours_per_week.min:
                continue
            common = set(person.availability.days) & set(o.days)
            if not common:
                continue
            if o.slots <= 0:
                continue
            parts = []
            if o.talents_required and o.talents_desired:
                req = len(set(o.talents_required) & set(person.talents)) / len(o.talents_required)
                des = len(set(o.talents_desired) & set(person.talents)) / len(o.talents_desired)
                talents = (2 * req + des) / 3
            elif o.talents_required:
                talents = len(set(o.talents_required) & set(person.talents)) / len(
                    o.talents_required
                )
            elif o.talents_desired:
                talents = len(set(o.talents_desired) & set(person.talents)) / len(o.talents_desired)
            else:
                talents = math.nan
            causes = len(set(person.wishes.causes) & set(o.causes)) / math.sqrt(
                len(person.wishes.causes) * len(o.causes)
            )
            parts.append(causes)
            parts.append(min(1.0, dot(wish[pi], place[oi]) / TEXT_FULL))
            parts.append(1.0 if o.district in person.wishes.districts else 0.0)
            assert person.wishes.max_travel_km is not None
            distance = km(person.district, o.district)
            parts.append(max(0.0, min(1.0, 1 - distance / (2 * person.wishes.max_travel_km))))
            high = o.hours_per_week.max
            parts.append(1.0 if hours_have <= high else high / hours_have)
            parts.append(len(common) / min(len(person.availability.days), len(o.days)))
            wishes = sum(parts) / len(parts)
            total = mean(
                [
                    (talents, weights.talents),
                    (wishes, weights.wishes),
                    (values, weights.values),
                ]
            )
            scored.append((-round(total, 9), oi))
        scored.sort()
        result[person.id] = [places[oi].id for _t, oi in scored[:k]]
    return result


def bench_naive(n_people: int, n_opps: int, k: int) -> dict[str, Any]:
    book = synthetic_casebook(n_people, n_opps, 20, ALMERE, seed=3)
    f = build_features(book)
    rows = np.arange(f.n_people)

    def vectorised() -> Any:
        _choice, values = best_sponsors(f, sponsor_scores(f, rows))
        return top_pairs(f, rows, k, person_values=values)

    (found, scores), t_fast = timed(vectorised)
    slow, t_slow = timed(lambda: naive_top(book, k))
    # Same options; where two totals are equal to 1e-9 the order may differ, so compare sets
    # of the places above the k-th score.
    mismatches = 0
    for i, person_id in enumerate(f.person_ids):
        ours = [f.opportunity_ids[j] for j in found[i] if j >= 0]
        if set(ours[: k - 1]) != set(slow[person_id][: k - 1]) and not _tied(scores[i], k):
            mismatches += 1
    if mismatches > n_people // 100:
        raise SystemExit(f"the naive loop disagrees on {mismatches} people")
    return {"fast": t_fast, "slow": t_slow, "ratio": t_slow / t_fast, "mismatches": mismatches}


def _tied(scores: np.ndarray, k: int) -> bool:
    finite = scores[np.isfinite(scores)]
    return bool(np.any(np.abs(np.diff(finite)) < 1e-6)) if finite.size else False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a first look")
    parser.add_argument("--only", choices=["a", "b", "c", "d"], help="run one measurement")
    args = parser.parse_args()
    quick = args.quick
    os.environ.setdefault("BURGERBAAN_LANG", "nl")
    print(f"# bench_matching {date.today().isoformat()}, {os.cpu_count()} cores")

    if args.only in (None, "a"):
        a = bench_almere(500, 300, 20)
        print(
            f"(a) match --round, 500 x 300 x 20, load included: {a['table']:.2f} s; "
            f"with --format md (proposal and 3 options per person, shortlists): "
            f"{a['md']:.2f} s; as a fresh process (imports included): {a['fresh']:.2f} s; "
            f"{a['placed']} placed"
        )
    if args.only in (None, "b"):
        n_people, n_opps, n_towns = (20_000, 10_000, 100) if quick else (100_000, 50_000, 500)
        b = bench_country(n_people, n_opps, n_towns, 10)
        memory = (
            f"peak resident memory {b['peak_mb']:,.0f} MB (the casebook and its arrays "
            f"held {b['before_mb']:,.0f} MB before)"
            if b["kernel"]
            else f"peak {b['peak_mb']:,.0f} MB traced"
        )
        how = "compiled loops" if b["compiled"] else "numpy path (numba is not installed)"
        print(
            f"(b) top-10, {n_people:,} x {n_opps:,} over {n_towns} towns: {b['topk']:.1f} s "
            f"({how}, best of 3, wall; CPU {b['cpu_topk']:.1f} s on {os.cpu_count()} cores; "
            f"the first call, loading them, {b['first']:.1f} s); "
            f"the numpy path {b['numpy']:.1f} s ({b['numpy'] / b['topk']:.1f}x), "
            f"{'the same' if b['same'] else 'NOT the same'} options and scores bit for bit; "
            f"{memory}; features {b['features']:.1f} s, synthetic data {b['data']:.1f} s; "
            f"{b['full_rows']:,} people with 10 options"
        )
    if args.only in (None, "c"):
        n_people, n_opps = (4_000, 2_000) if quick else (10_000, 5_000)
        c = bench_round(n_people, n_opps, 50, 60)
        print(
            f"(c) round {n_people:,} x {n_opps:,} x 50 sponsors: {c['round']:.1f} s "
            f"(+ features {c['features']:.1f} s); {c['placed']:,} placed of "
            f"{c['slots']:,} open slots, {c['sponsored']:,} with a sponsor, "
            f"within reach only: {c['pruned']}"
        )
    if args.only in (None, "d"):
        n_people, n_opps = (500, 250) if quick else (2_000, 1_000)
        d = bench_naive(n_people, n_opps, 10)
        print(
            f"(d) top-10 on {n_people:,} x {n_opps:,}: vectorised {d['fast']:.2f} s, naive "
            f"loop {d['slow']:.1f} s: {d['ratio']:.0f}x faster (same options; "
            f"{d['mismatches']} differ only by ties)"
        )


if __name__ == "__main__":
    main()
