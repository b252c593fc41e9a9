"""The facts the rules read for one audit: metrics, touchpoints, answers and scores."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from cxaudit.scoring import Exact, as_fraction

from .catalogue import ItemValue

# --------------------------------------------------------------------------- facts


@dataclass(frozen=True, kw_only=True)
class FixFirstDriver:
    """The driver to fix first of the latest survey wave's key-driver analysis: a rating
    with a share of the explained variance at or above ``share_split`` (100/k) and a
    performance below the ratings' mean. Shares and performance are 0-100; ``ref`` names
    the question, ``title_ru``/``title_en`` its text; ``outcome`` is nps, csat or enps."""

    ref: str
    title_ru: str
    title_en: str
    outcome: str
    share: Exact
    share_split: Exact
    performance: Exact

    def __post_init__(self) -> None:
        if not self.ref:
            raise ValueError("a driver needs a reference")
        for name in ("share", "share_split", "performance"):
            if not 0 <= as_fraction(getattr(self, name)) <= 100:
                raise ValueError(f"driver {name} = {getattr(self, name)} is out of range")


@dataclass(frozen=True, kw_only=True)
class DetractorTheme:
    """The comment theme with the highest share among detractors of the latest survey
    wave, significantly above its share among promoters. Shares are 0-100; ``ref`` is
    the theme's key, ``name_ru``/``name_en`` its name."""

    ref: str
    name_ru: str
    name_en: str
    detractor_share: Exact
    promoter_share: Exact

    def __post_init__(self) -> None:
        if not self.ref:
            raise ValueError("a theme needs a key")
        for name in ("detractor_share", "promoter_share"):
            if not 0 <= as_fraction(getattr(self, name)) <= 100:
                raise ValueError(f"theme {name} = {getattr(self, name)} is out of range")


@dataclass(frozen=True, kw_only=True)
class MetricFacts:
    """Displayed metrics of the audit period. None means hidden or not available
    and triggers nothing. Percentages are 0-100; ``*_indicative`` marks figures
    shown as indicative (5 ≤ n < 30)."""

    nps: Exact | None = None
    nps_margin: Exact | None = None  # displayed margin of error, points
    nps_indicative: bool = False
    csat_t2b: Exact | None = None
    csat_b2b: Exact | None = None
    csat_indicative: bool = False
    ces_agree: Exact | None = None
    ces_indicative: bool = False
    enps: Exact | None = None
    wellbeing_mean: Exact | None = None  # state-at-work mean, 0-10
    monthly_churn: Exact | None = None  # monthly-equivalent churn, %
    churn_target: Exact = 3
    net_change: int | None = None  # customers won minus lost
    repeat_rate_drop: Exact | None = None  # points down from the previous period
    frt_median_minutes: Exact | None = None
    frt_target: Exact = 60
    fcr: Exact | None = None
    iqs: Exact | None = None
    cost_share: Exact | None = None  # support cost / revenue, %
    surveys_in_use: bool = False  # the organisation runs customer surveys in CX Audit
    days_since_customer_wave: int | None = None  # last closed customer wave; None = never
    driver_fix_first: FixFirstDriver | None = None  # of the period's latest wave, if any
    detractor_theme: DetractorTheme | None = None  # of the period's latest wave, if any

    def __post_init__(self) -> None:
        ranges: dict[str, tuple[int | None, int | None]] = {
            "nps": (-100, 100),
            "enps": (-100, 100),
            "nps_margin": (0, None),
            "csat_t2b": (0, 100),
            "csat_b2b": (0, 100),
            "ces_agree": (0, 100),
            "wellbeing_mean": (0, 10),
            "monthly_churn": (0, 100),
            "frt_median_minutes": (0, None),
            "fcr": (0, 100),
            "iqs": (0, 100),
            "cost_share": (0, None),
        }
        for name, (low, high) in ranges.items():
            value = getattr(self, name)
            if value is None:
                continue
            exact = as_fraction(value)
            if (low is not None and exact < low) or (high is not None and exact > high):
                raise ValueError(f"{name} = {value} is out of range")
        for name in ("churn_target", "frt_target"):
            if as_fraction(getattr(self, name)) <= 0:
                raise ValueError(f"{name} must be positive")
        for name in ("net_change", "days_since_customer_wave"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                raise ValueError(f"{name} must be a whole number")
        if self.days_since_customer_wave is not None and self.days_since_customer_wave < 0:
            raise ValueError("days_since_customer_wave cannot be negative")


@dataclass(frozen=True)
class Touchpoint:
    """A journey-map touchpoint with the customer's emotion, 1 (worst) to 5."""

    key: str
    title: str
    emotion: int

    def __post_init__(self) -> None:
        if isinstance(self.emotion, bool) or not isinstance(self.emotion, int):
            raise ValueError(f"touchpoint {self.key!r}: emotion must be a whole number")
        if not 1 <= self.emotion <= 5:
            raise ValueError(f"touchpoint {self.key!r}: emotion must be 1 to 5")


@dataclass(frozen=True, kw_only=True)
class AuditFacts:
    """Everything the rules read for one audit.

    ``instruments`` names the instruments used in the audit: item and domain
    triggers of other instruments are skipped (otherwise an unused ``plus``
    checklist would read as all unticked). ``item_answers`` holds raw answers by
    "instrument:section.item" (int, or str for text); a skip or N/A is absent or None.
    ``domain_scores`` holds exact consultant domain scores by "instrument:section"
    (None when unscored). ``blind_spots`` lists domain refs flagged as blind spots (§8).
    """

    instruments: AbstractSet[str]  # stored as a frozenset
    item_answers: Mapping[str, ItemValue] = field(default_factory=dict)
    domain_scores: Mapping[str, Exact | None] = field(default_factory=dict)
    metrics: MetricFacts = field(default_factory=MetricFacts)
    touchpoints: Sequence[Touchpoint] = ()
    blind_spots: Sequence[str] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "instruments", frozenset(self.instruments))
        keys = [t.key for t in self.touchpoints]
        if len(set(keys)) != len(keys):
            raise ValueError("touchpoint keys must be unique")
