"""What a simulated day is made of: services, matters, counters, arrivals, handling times,
pauses.

A ``Day`` is plain data, so it can come from the hall's own setup and history
(``console/simulate/profile.py``), from a CSV or TOML profile, or be written by a
benchmark; ``console/simulate/run.py`` drives the real engine through it.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Handling:
    """How long a service takes at the counter, in minutes.

    ``kind`` is ``exponential`` (mean), ``lognormal`` (mean and coefficient of
    variation ``cv``), ``fixed`` (mean) or ``empirical`` (drawn from ``samples``,
    e.g. the hall's own recent handling times).
    """

    kind: str = "exponential"
    mean_min: float = 6.0
    cv: float = 1.0
    samples: tuple[float, ...] = ()

    def draw(self, rng: random.Random) -> float:
        """One handling time, in seconds."""
        if self.kind == "empirical" and self.samples:
            return rng.choice(self.samples) * 60
        if self.kind == "lognormal":
            sigma2 = math.log(1 + self.cv**2)
            mu = math.log(self.mean_min) - sigma2 / 2
            return rng.lognormvariate(mu, math.sqrt(sigma2)) * 60
        if self.kind == "fixed":
            return self.mean_min * 60
        return rng.expovariate(1 / self.mean_min) * 60

    @property
    def mean_s(self) -> float:
        if self.kind == "empirical" and self.samples:
            return sum(self.samples) / len(self.samples) * 60
        return self.mean_min * 60


@dataclass(frozen=True)
class Matter:
    """What a citizen comes for in a one-stop hall (事项): its own handling time, and how
    often it is asked for among its service's matters (``share``, relative)."""

    code: str
    handling: Handling
    share: float = 1.0


@dataclass(frozen=True)
class Service:
    code: str
    arrivals_per_hour: tuple[float, ...]
    """24 rates, one per local hour (tickets per hour)."""
    handling: Handling = Handling()
    """Every ticket's handling time, unless the service has ``matters``."""
    target_wait_min: int = 30
    prefix: str = ""
    name: str = ""
    matters: tuple[Matter, ...] = ()
    """A one-stop queue's catalogue: each ticket is for one of these, drawn by share, and
    takes that matter's handling time."""

    @property
    def mean_s(self) -> float:
        """The mean handling time of the service's tickets, over its matters' mix."""
        if not self.matters:
            return self.handling.mean_s
        total = sum(m.share for m in self.matters)
        return sum(m.share * m.handling.mean_s for m in self.matters) / total


@dataclass(frozen=True)
class Counter:
    number: int
    services: tuple[str, ...]
    """Service tiers as ``counters add --services`` takes them: ``("ID+PP", "RES")``."""
    hours: tuple[tuple[float, float], ...] = ((9.0, 17.0),)
    """Open from-to local hours; several ranges for a split shift."""
    low_position: bool = False
    green_channel: bool = False

    @property
    def codes(self) -> set[str]:
        return {code for tier in self.services for code in tier.split("+")}


@dataclass(frozen=True)
class Day:
    """One day of the hall, to be simulated."""

    services: tuple[Service, ...]
    counters: tuple[Counter, ...]
    opens: float = 9.0
    """Local hour the hall starts issuing tickets."""
    closes: float = 17.0
    """Local hour issuing stops; counters then serve whoever still waits."""
    green_share: float = 0.0
    """Share of arrivals flagged green-channel."""
    low_share: float = 0.0
    """Share of arrivals needing the low-position counter (of services one serves)."""
    pause_share: float = 0.0
    """Share of its open time each counter is paused."""
    pause_mean_min: float = 5.0
    settings: dict = field(default_factory=dict)
    """Hall settings for the run (e.g. ``green_credit_min``)."""

    def with_changes(self, **changes) -> Day:
        return replace(self, **changes)

    @property
    def expected_tickets(self) -> float:
        return sum(
            rate * max(0.0, min(h + 1, self.closes) - max(h, self.opens))
            for s in self.services
            for h, rate in enumerate(s.arrivals_per_hour)
        )


def flat_rates(per_hour: float, opens: float = 9.0, closes: float = 17.0) -> tuple[float, ...]:
    """24 hourly rates: ``per_hour`` while the hall issues tickets, 0 otherwise."""
    return tuple(per_hour if h + 1 > opens and h < closes else 0.0 for h in range(24))
