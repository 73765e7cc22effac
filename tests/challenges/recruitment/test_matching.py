"""Stable matching: deferred acceptance against a brute force on small random cases."""

import itertools
import random
import time

import pytest

from challenges.recruitment.matching import MatchingInput, blocking_pairs, deferred_acceptance


def _random_case(rng, n_candidates, n_seats):
    seats = [f"s{i}" for i in range(n_seats)]
    candidates = [f"c{i}" for i in range(n_candidates)]
    preferences = {c: rng.sample(seats, rng.randint(0, min(3, n_seats))) for c in candidates}
    priorities = {}
    for seat in seats:
        accepted = [c for c in candidates if rng.random() < 0.85]
        rng.shuffle(accepted)
        priorities[seat] = {c: i for i, c in enumerate(accepted)}
    capacities = {s: rng.randint(0, 2) for s in seats}
    return MatchingInput(preferences, priorities, capacities)


def _all_matchings(data):
    """Every feasible matching (acceptable pairs, capacities respected) by brute force."""
    candidates = list(data.preferences)
    options = [
        [None] + [s for s in data.preferences[c] if c in data.priorities.get(s, {})]
        for c in candidates
    ]
    for combo in itertools.product(*options):
        load = {}
        for seat in combo:
            if seat is not None:
                load[seat] = load.get(seat, 0) + 1
        if all(n <= data.capacities.get(s, 0) for s, n in load.items()):
            yield {c: s for c, s in zip(candidates, combo, strict=True) if s is not None}


def _rank(data, candidate, seat):
    prefs = data.preferences[candidate]
    return prefs.index(seat) if seat in prefs else len(prefs)


@pytest.mark.parametrize("seed", range(60))
def test_deferred_acceptance_gives_the_candidate_optimal_stable_matching(seed):
    rng = random.Random(seed)
    data = _random_case(rng, rng.randint(1, 6), rng.randint(1, 4))
    result = deferred_acceptance(data)
    assert blocking_pairs(data, result) == []
    stable = [m for m in _all_matchings(data) if not blocking_pairs(data, m)]
    assert stable, "a stable matching always exists"
    for candidate in data.preferences:
        best = min(_rank(data, candidate, m.get(candidate)) for m in stable)
        assert _rank(data, candidate, result.get(candidate)) == best


def test_places_are_never_exceeded_and_nobody_is_placed_twice():
    rng = random.Random(7)
    data = _random_case(rng, 40, 8)
    result = deferred_acceptance(data)
    for seat in data.capacities:
        assert list(result.values()).count(seat) <= data.capacities[seat]
    assert len(result) == len(set(result))


def test_a_seat_keeps_its_preferred_candidate_when_both_want_it():
    data = MatchingInput(
        preferences={"ada": ["d1", "d2"], "bob": ["d1", "d2"]},
        priorities={"d1": {"bob": 0, "ada": 1}, "d2": {"ada": 0, "bob": 1}},
        capacities={"d1": 1, "d2": 1},
    )
    assert deferred_acceptance(data) == {"bob": "d1", "ada": "d2"}


def test_an_unacceptable_candidate_is_never_placed():
    data = MatchingInput(preferences={"ada": ["d1"]}, priorities={"d1": {}}, capacities={"d1": 3})
    assert deferred_acceptance(data) == {}


def test_2000_candidates_with_three_choices_on_40_defis_take_under_a_second():
    rng = random.Random(1)
    seats = [(d, p) for d in range(40) for p in ("developer", "designer", "data_scientist")]
    preferences, by_seat = {}, {s: [] for s in seats}
    for c in range(2000):
        profile = rng.choice(("developer", "designer", "data_scientist"))
        chosen = [(d, profile) for d in rng.sample(range(40), 3)]
        preferences[c] = chosen
        for seat in chosen:
            by_seat[seat].append(c)
    priorities = {}
    for seat, cands in by_seat.items():
        rng.shuffle(cands)
        priorities[seat] = {c: i for i, c in enumerate(cands)}
    data = MatchingInput(preferences, priorities, {s: 1 for s in seats})
    started = time.perf_counter()
    result = deferred_acceptance(data)
    assert time.perf_counter() - started < 1.0
    assert len(result) == len(seats)
