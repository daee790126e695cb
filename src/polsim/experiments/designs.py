"""Experimental designs: which parameter points an experiment runs.

Every design returns an ``(n_points, n_parameters)`` array in the parameters' own units,
in a fixed order that depends only on the parameters, the design, ``samples`` and the
seed, so a resumed experiment finds the same points under the same run ids.

- ``factorial``: every combination of K evenly spaced levels per parameter.
- ``lhs``: a Latin hypercube (McKay, Beckman & Conover 1979), SciPy's ``qmc``.
- ``sobol``: Saltelli's extension of a scrambled Sobol' sequence (Sobol' 2001;
  Saltelli 2002; Saltelli et al. 2010), ``samples * (D + 2)`` points, for first-order and
  total indices.
- ``morris``: ``samples`` one-at-a-time trajectories of ``D + 1`` points on a
  ``levels``-level grid (Morris 1991; Campolongo, Cariboni & Saltelli 2007).

References
----------
McKay, M. D., Beckman, R. J., Conover, W. J. (1979). A comparison of three methods for
selecting values of input variables. *Technometrics* 21(2), 239-245.
Morris, M. D. (1991). Factorial sampling plans for preliminary computational
experiments. *Technometrics* 33(2), 161-174.
Campolongo, F., Cariboni, J., Saltelli, A. (2007). An effective screening design for
sensitivity analysis of large models. *Environ. Model. Softw.* 22(10), 1509-1518.
Saltelli, A. (2002). Making best use of model evaluations to compute sensitivity indices.
*Comput. Phys. Commun.* 145(2), 280-297.
Saltelli, A., et al. (2010). Variance based sensitivity analysis of model output.
*Comput. Phys. Commun.* 181(2), 259-270.
Sobol', I. M. (2001). Global sensitivity indices for nonlinear mathematical models and
their Monte Carlo estimates. *Math. Comput. Simul.* 55(1-3), 271-280.
"""

from __future__ import annotations

import itertools
import math
import warnings
from typing import Any

import numpy as np
from scipy.stats import qmc

from polsim.engine.limits import MAX_POINTS
from polsim.errors import UserInputError
from polsim.experiments.parameters import Parameter

__all__ = [
    "DEFAULT_LEVELS",
    "DESIGNS",
    "check_design",
    "design_points",
    "design_size",
    "salib_problem",
]

DESIGNS: tuple[str, ...] = ("factorial", "lhs", "sobol", "morris")

#: Factorial levels per parameter when ``NAME=LO:HI`` gives no ``:K``.
DEFAULT_LEVELS = 3


def design_size(design: str, parameters: list[Parameter], samples: int | None) -> int:
    """How many points the design has, computed without making them."""
    dimensions = len(parameters)
    if design == "factorial":
        return math.prod(p.levels or DEFAULT_LEVELS for p in parameters)
    if design == "lhs":
        return samples or 10 * dimensions
    if design == "sobol":
        return (samples or 64) * (dimensions + 2)
    return (samples or 10) * (dimensions + 1)


def check_design(design: str, parameters: list[Parameter], samples: int | None) -> None:
    """Fail with one line if the design name, parameters or sample count cannot work."""
    if design not in DESIGNS:
        raise UserInputError(
            f"--design {design!r}: unknown design; expected one of {', '.join(DESIGNS)}"
        )
    if not parameters:
        raise UserInputError(f"--design {design}: give at least one --param NAME=LO:HI")
    if samples is not None and samples < 1:
        raise UserInputError(f"--samples must be a positive whole number; got {samples}")
    if design == "sobol" and samples is not None and samples & (samples - 1):
        raise UserInputError(
            f"--samples {samples}: the sobol design needs a power of two (e.g. 64, 128, 256)"
        )
    if design in ("sobol", "morris") and len(parameters) < 2:
        raise UserInputError(f"--design {design}: needs at least two parameters")
    size = design_size(design, parameters, samples)
    if size > MAX_POINTS:
        raise UserInputError(
            f"--design {design}: {size:,} design points; at most {MAX_POINTS:,} "
            "(use fewer levels, samples or parameters)"
        )


def salib_problem(parameters: list[Parameter]) -> dict[str, Any]:
    """The SALib ``problem`` dict for these parameters."""
    return {
        "num_vars": len(parameters),
        "names": [p.name for p in parameters],
        "bounds": [[p.low, p.high] for p in parameters],
    }


def design_points(
    parameters: list[Parameter],
    design: str,
    samples: int | None = None,
    seed: int = 0,
    morris_levels: int = 4,
) -> np.ndarray:
    """The design's points, shape ``(n_points, len(parameters))``, in parameter units.

    Parameters
    ----------
    parameters
        What varies, with ranges (and factorial levels).
    design
        ``factorial``, ``lhs``, ``sobol`` or ``morris``.
    samples
        LHS points; Sobol' base samples N (``N (D + 2)`` points); Morris trajectories.
        Ignored by ``factorial``.
    seed
        Seeds the LHS, Sobol' scrambling and Morris trajectories.
    morris_levels
        Grid levels p of the Morris design.

    Examples
    --------
    >>> from polsim.experiments.parameters import Parameter
    >>> design_points([Parameter("a", 0, 1, 3), Parameter("b", 10, 20, 2)], "factorial")
    array([[ 0. , 10. ],
           [ 0. , 20. ],
           [ 0.5, 10. ],
           [ 0.5, 20. ],
           [ 1. , 10. ],
           [ 1. , 20. ]])
    """
    check_design(design, parameters, samples)
    problem = salib_problem(parameters)
    if design == "factorial":
        axes = [np.linspace(p.low, p.high, p.levels or DEFAULT_LEVELS) for p in parameters]
        points = np.array(list(itertools.product(*axes)), dtype=float)
    elif design == "lhs":
        unit = qmc.LatinHypercube(d=len(parameters), rng=np.random.default_rng(seed)).random(
            samples or 10 * len(parameters)
        )
        points = qmc.scale(unit, [p.low for p in parameters], [p.high for p in parameters])
    elif design == "sobol":
        from SALib.sample import sobol

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SALib warns about N it accepts anyway
            points = sobol.sample(problem, samples or 64, calc_second_order=False, seed=seed)
    else:
        from SALib.sample import morris

        points = morris.sample(problem, samples or 10, num_levels=morris_levels, seed=seed)
    points = np.asarray(points, dtype=float)
    for column, parameter in enumerate(parameters):
        if parameter.integer:  # whole-number fields take the nearest whole value
            points[:, column] = np.rint(points[:, column])
    return points
