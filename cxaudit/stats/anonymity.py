"""Anonymity over breakdowns (A2, A3) and over pooled figures."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from .common import DEFAULT_ANONYMITY_THRESHOLD, INVALID_COUNTS, Message, _is_count
from .employee import INVALID_THRESHOLD, anonymity_threshold_valid

# --------------------------------------------------------------------------- anonymity


@dataclass(frozen=True)
class Suppression:
    """A2 + A3 over one breakdown. ``shown`` maps every group key to whether it is shown."""

    k: int
    shown: dict[str, bool]
    total_shown: bool
    below_threshold: frozenset[str]  # hidden by A2
    complementary: frozenset[str]  # hidden by A3
    status: str = "ok"
    message: Message | None = None

    @property
    def hidden(self) -> frozenset[str]:
        return self.below_threshold | self.complementary


def suppress(groups: Mapping[str, int], k: int = DEFAULT_ANONYMITY_THRESHOLD) -> Suppression:
    """Hide groups with n < k (A2), then, while 0 < Σ hidden n < k, the smallest visible group
    (ties: alphabetically first key) (A3). The total is shown when total n ≥ k.

    An invalid threshold or count hides everything (status ``invalid``): failing closed.
    """
    if not anonymity_threshold_valid(k) or not all(_is_count(n) for n in groups.values()):
        message = INVALID_THRESHOLD if not anonymity_threshold_valid(k) else INVALID_COUNTS
        return Suppression(
            k=k,
            shown=dict.fromkeys(groups, False),
            total_shown=False,
            below_threshold=frozenset(groups),
            complementary=frozenset(),
            status="invalid",
            message=message,
        )
    below = {key for key, n in groups.items() if n < k}
    complementary: set[str] = set()
    hidden_sum = sum(groups[key] for key in below)
    while 0 < hidden_sum < k:
        visible = [key for key in groups if key not in below and key not in complementary]
        if not visible:
            break  # everything is hidden; the total is then below k as well
        smallest = min(visible, key=lambda key: (groups[key], key))
        complementary.add(smallest)
        hidden_sum += groups[smallest]
    hidden = below | complementary
    return Suppression(
        k=k,
        shown={key: key not in hidden for key in groups},
        total_shown=sum(groups.values()) >= k,
        below_threshold=frozenset(below),
        complementary=frozenset(complementary),
    )


class PoolPart(NamedTuple):
    """One wave (or group) offered to a pooled figure: its n for the pooled question, and
    its own k when its figures are anonymous (``None`` when its page shows them anyway)."""

    n: int
    k: int | None


@dataclass(frozen=True)
class Pool:
    """Which parts a pooled figure may count (``members``) and which it must leave out."""

    members: frozenset[Hashable]
    left_out: frozenset[Hashable]  # hidden on their own page: never counted
    k: int | None  # the strictest k among the anonymous members; None if there are none


def pool(parts: Mapping[Hashable, PoolPart]) -> Pool:
    """A pooled figure counts only parts that are shown on their own (A2 per part): then
    "pool minus the shown parts" is zero and reveals no hidden part, however many parts are
    pooled or subtracted. A part with an invalid k or count is left out (failing closed);
    a part with no answers is neither counted nor left out."""
    members: set[Hashable] = set()
    left_out: set[Hashable] = set()
    for key, part in parts.items():
        if not _is_count(part.n) or (part.k is not None and not anonymity_threshold_valid(part.k)):
            left_out.add(key)
        elif part.n == 0:
            continue
        elif part.k is None or part.n >= part.k:
            members.add(key)
        else:
            left_out.add(key)
    thresholds = [k for key in members if (k := parts[key].k) is not None]
    return Pool(
        members=frozenset(members),
        left_out=frozenset(left_out),
        k=max(thresholds) if thresholds else None,
    )
