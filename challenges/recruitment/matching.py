"""Stable matching of candidates to défis (« équipe proposée »).

Candidate-proposing deferred acceptance (Gale & Shapley 1962; Roth 1984 for capacities) with
one capacity per (défi, profile): a candidate applies as one profile, so they only compete with
candidates of the same profile for that profile's places on a défi. The result is stable (no
candidate and défi both prefer each other to what they got) and the best stable matching for
every candidate. Cost: O(C × K × log P) for C candidates, K ≤ 3 choices, P places per défi.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

Candidate = Hashable
Seat = Hashable  # one défi and one profile: (challenge_id, profile)


@dataclass(frozen=True)
class MatchingInput:
    """``preferences``: candidate → seats in preference order (best first);
    ``priorities``: seat → {candidate: rank} (0 = best; a candidate absent is unacceptable);
    ``capacities``: seat → places (absent = 0)."""

    preferences: Mapping[Candidate, Sequence[Seat]]
    priorities: Mapping[Seat, Mapping[Candidate, int]]
    capacities: Mapping[Seat, int]


def deferred_acceptance(data: MatchingInput) -> dict[Candidate, Seat]:
    """Candidate-proposing deferred acceptance: ``{candidate: seat}`` for placed candidates.

    Each free candidate proposes to their next seat; the seat keeps its best ``capacity``
    proposers by priority and rejects the worst. Ends when no free candidate has a seat left.
    Nobody is placed twice and no seat holds more than its capacity.
    """
    next_choice = {c: 0 for c in data.preferences}
    held: dict[Seat, list[tuple[int, int, Candidate]]] = {}  # max-heap on priority rank
    order = {c: i for i, c in enumerate(data.preferences)}  # tie-break, deterministic
    free = list(reversed(list(data.preferences)))
    while free:
        candidate = free.pop()
        prefs = data.preferences[candidate]
        while next_choice[candidate] < len(prefs):
            seat = prefs[next_choice[candidate]]
            next_choice[candidate] += 1
            rank = data.priorities.get(seat, {}).get(candidate)
            capacity = data.capacities.get(seat, 0)
            if rank is None or capacity <= 0:
                continue
            heap = held.setdefault(seat, [])
            entry = (-rank, -order[candidate], candidate)
            if len(heap) < capacity:
                heapq.heappush(heap, entry)
                break
            if entry > heap[0]:  # better (smaller rank) than the worst held
                rejected = heapq.heapreplace(heap, entry)[2]
                free.append(rejected)
                break
    return {entry[2]: seat for seat, heap in held.items() for entry in heap}


def blocking_pairs(data: MatchingInput, matching: Mapping[Candidate, Seat]) -> list[tuple]:
    """The (candidate, seat) pairs that block ``matching`` (empty when it is stable).

    A pair blocks when the candidate prefers the seat to their own (or has none), the seat
    accepts them, and the seat has a free place or holds someone it ranks lower.
    """
    by_seat: dict[Seat, list[Candidate]] = {}
    for candidate, seat in matching.items():
        by_seat.setdefault(seat, []).append(candidate)
    pairs = []
    for candidate, prefs in data.preferences.items():
        own = matching.get(candidate)
        better = prefs[: prefs.index(own)] if own in prefs else prefs
        for seat in better:
            ranks = data.priorities.get(seat, {})
            if candidate not in ranks:
                continue
            holders = by_seat.get(seat, [])
            if len(holders) < data.capacities.get(seat, 0) or any(
                ranks[h] > ranks[candidate] for h in holders
            ):
                pairs.append((candidate, seat))
    return pairs
