"""What a user may choose about an analysis, with the one set of defaults every view uses.

The CLI's options, the report's and the service's forms all fill in an :class:`Options`; the
defaults below are the only ones (a test checks that the CLI's help and the report's page show
them).  Checking an option's value is done here too, so that every view refuses the same
values with the same message.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from accord.errors import LimitExceeded, UserInputError
from accord.limits import MAX_SAMPLES

__all__ = [
    "DEFAULT_SAMPLES",
    "DEFAULT_TOL",
    "NOISE_FACTOR",
    "Options",
    "RobustnessOptions",
]

DEFAULT_TOL = 1e-9
"""A utility this close below a reservation still reaches it (``accord.analysis``'s default)."""

DEFAULT_SAMPLES = 5_000
"""Preference profiles (and plan valuations) a robustness run samples unless told otherwise.

At 5,000 samples a probability's 95% Wilson interval is at most 2.8 points wide (at 50%), and
the cairo-2024 report, robustness included, stays within its few-second budget; ask for more
with ``--samples`` when a conclusion sits near a threshold."""

NOISE_FACTOR = 3.0
"""A sensitivity index is named as mattering only above this multiple of its noise level."""


@dataclass(frozen=True)
class RobustnessOptions:
    """How the robustness analyses sample: how many draws, what they show, where they run.

    Attributes:
        samples: preference profiles, and phased-plan valuations, drawn.
        top: packages shown per solution concept, estimates per conclusion.
        bins: quantile bins of the first-order sensitivity index.
        noise_factor: an index is named as mattering only above this multiple of the
            index an input with no effect would get (its noise level).
        processes: the processes that share the samples: this one and ``processes - 1``
            local workers (None: one per core; 1: this process alone).  Results do not
            depend on it.
    """

    samples: int = DEFAULT_SAMPLES
    top: int = 5
    bins: int = 20
    noise_factor: float = NOISE_FACTOR
    processes: int | None = None

    def __post_init__(self) -> None:
        if self.samples < 1:
            raise UserInputError(f"--samples: at least 1 sample is needed, not {self.samples}")
        if self.samples > MAX_SAMPLES:
            raise LimitExceeded(
                f"--samples: {self.samples:,} samples exceed the limit of {MAX_SAMPLES:,} "
                "(accord.limits.MAX_SAMPLES); run several seeds and pool them instead"
            )
        if self.top < 1:
            raise UserInputError(f"--top: at least 1, not {self.top}")
        if self.bins < 2:
            raise UserInputError(f"the sensitivity index needs at least 2 bins, not {self.bins}")


@dataclass(frozen=True)
class Options:
    """Everything that changes an analysis's answer besides the scenario.

    Attributes:
        tol: a utility this close below a reservation still counts as reaching it; a
            utility change this small counts as indifference.
        seed: the seed of every sample: sampled package counts, the report's cloud of
            packages, and the robustness runs.
        exact_limit: count packages exactly up to this many feasible ones; beyond, estimate
            by sampling.
        robustness: how the robustness analyses sample.
    """

    tol: float = DEFAULT_TOL
    seed: int = 0
    exact_limit: int = 10**9
    robustness: RobustnessOptions = field(default_factory=RobustnessOptions)

    def __post_init__(self) -> None:
        if not self.tol >= 0:
            raise UserInputError(f"--tol: a tolerance is at least 0, not {self.tol}")
        if self.seed < 0:
            raise UserInputError(f"--seed: a seed is at least 0, not {self.seed}")
        if self.exact_limit < 0:
            raise UserInputError(f"--exact-limit: at least 0, not {self.exact_limit}")
