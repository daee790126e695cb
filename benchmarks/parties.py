"""polsim against an idiomatic Mesa 3 model of the same party competition.

The issue's setup: 10 parties, 5 following Laver's (2005) Aggregator rule and 5 his
Hunter rule, on a fixed standard bivariate normal electorate (clipped to [-1, 1]²)
where each voter backs the nearest party. Each step: voters choose, then parties adapt
(an Aggregator moves to its supporters' mean; a Hunter keeps its heading if its share
rose after a move, else turns by π/2 + U(0, π), and steps 0.05, staying in [-1, 1]²).

* **Mesa**: written the way Mesa 3's examples are: one ``mesa.Agent`` per voter and per
  party, held in the model's AgentSets; ``Model.step`` calls ``do("step")`` on the
  voters, then ``do("adapt")`` on the parties. Hunters draw their turns from
  ``model.rng``.
* **polsim**: its own mechanisms on voter columns, ``parties.support`` (one compiled
  pass: nearest party, support weight and position sums) then ``parties.adaptation``,
  with a generator seeded like Mesa's, so the Hunters draw the same turns. It is timed
  with the threads a run uses by default (``POLSIM_THREADS``, else two; below
  ``engine.threads.THREADED_MIN_VOTERS`` voters the pass keeps to one) and again on one
  thread.

Both run the same number of steps from the same starting positions; the script checks
that the final positions and shares agree (to 1e-9; float summation order differs)
and prints the ratio of wall-clock time per step, best of several repeats. Timing is
reported, never asserted. Run: ``python benchmarks/parties.py`` (``bench`` extra).
"""

from __future__ import annotations

import argparse
import math
import time

import mesa
import numpy as np

from polsim.engine.calendar import Month
from polsim.engine.threads import run_threads, using_threads
from polsim.parties.adaptation import adapt_positions
from polsim.parties.support import update_support
from polsim.scenario import load_scenario
from polsim.scenario.schema import ElitesParameters, PartyParameters
from polsim.world.organisations import Organisations
from polsim.world.polity import RegimeState, SocietyState, World
from polsim.world.voters import ORGANISATION_CODE, Voters

__all__ = ["measure"]

STEPS = 20
PARTIES = 10
HUNTER_SPEED = 0.05
RULES = ("aggregator", "hunter") * (PARTIES // 2)

# ----------------------------------------------------------------------------- Mesa


class Voter(mesa.Agent):
    """A voter with a fixed ideal point who backs the nearest party."""

    def __init__(self, model: PartyCompetition, position: tuple[float, float]) -> None:
        super().__init__(model)
        self.position = position

    def step(self) -> None:
        x, y = self.position
        best, best_d = None, math.inf
        for party in self.model.parties:
            px, py = party.position
            d = (x - px) ** 2 + (y - py) ** 2
            if d < best_d:
                best, best_d = party, d
        best.supporters.append(self)


class Party(mesa.Agent):
    """A party following Laver's Aggregator or Hunter rule."""

    def __init__(self, model: PartyCompetition, position, rule: str) -> None:
        super().__init__(model)
        self.position = (float(position[0]), float(position[1]))
        self.rule = rule
        self.supporters: list[Voter] = []
        self.share = 0.0
        self.previous_share = 0.0
        self.heading = 0.0
        self.last_move = (0.0, 0.0)

    def adapt(self) -> None:
        n = len(self.supporters)
        self.previous_share, self.share = self.share, n / self.model.n_voters
        if self.rule == "aggregator":
            if n:
                self.position = (
                    sum(v.position[0] for v in self.supporters) / n,
                    sum(v.position[1] for v in self.supporters) / n,
                )
        else:
            gained = self.share > self.previous_share and self.last_move != (0.0, 0.0)
            if not gained:
                self.heading += math.pi / 2 + self.model.rng.uniform(0.0, math.pi)
            x, y = self.position
            nx = min(1.0, max(-1.0, x + HUNTER_SPEED * math.cos(self.heading)))
            ny = min(1.0, max(-1.0, y + HUNTER_SPEED * math.sin(self.heading)))
            self.last_move = (nx - x, ny - y)
            self.position = (nx, ny)
        self.supporters = []


class PartyCompetition(mesa.Model):
    """Voters choose, then parties adapt, once per step."""

    def __init__(self, positions: np.ndarray, starts: np.ndarray, seed: int) -> None:
        super().__init__(rng=seed)
        self.n_voters = len(positions)
        for x, y in positions.tolist():
            Voter(self, (x, y))
        for start, rule in zip(starts, RULES, strict=True):
            Party(self, start, rule)
        self.voters = self.agents_by_type[Voter]
        self.parties = self.agents_by_type[Party]

    def step(self) -> None:
        self.voters.do("step")
        self.parties.do("adapt")


# ----------------------------------------------------------------------------- polsim


def polsim_world(positions: np.ndarray, starts: np.ndarray) -> World:
    """A world holding only what the two party mechanisms read."""
    n = len(positions)
    f32 = np.zeros(n, np.float32)
    voters = Voters(
        weight=np.ones(n, np.float32),
        ethnicity=np.zeros(n, np.int8),
        zhuz=np.full(n, -1, np.int8),
        urban=np.zeros(n, bool),
        position=np.ascontiguousarray(positions, dtype=np.float32),
        base_hardship=f32,
        shock_sensitivity=f32,
        risk_aversion=f32,
        activation_threshold=f32,
        bandwagon_threshold=f32,
        active=np.zeros(n, bool),
        backs_coopted=np.zeros(n, bool),
        attachment=np.full(n, -1, ORGANISATION_CODE),
        oblast_bounds=np.array([0, n]),
    )
    toy = load_scenario("toy-polity")
    rules = {"aggregator": {"weight": 1.0, "speed": 1.0}, "hunter": {"speed": HUNTER_SPEED}}
    scenario = toy.model_copy(
        update={
            "parties": PartyParameters(rules=rules, attachment_rate=0.0),
            "elites": ElitesParameters(size=1),
            "organisations": [],
        }
    )
    world = World(
        scenario=scenario,
        date=Month(1990, 1),
        voters=voters,
        regime=RegimeState(legitimacy=0.5, repression=0.0, efficiency=0.5, president_zhuz=-1),
        society=SocietyState(),
        institutions={},
        ethnic_groups=("all",),
        oblasts=("all",),
        elites=None,
        organisations=Organisations(n),
    )
    for k, (start, rule) in enumerate(zip(starts, RULES, strict=True)):
        world.organisations.add(
            name=f"party-{k}", kind="party", founded=world.date, leader=-1,
            position=np.array(start, np.float64), ethnic_base=0, zhuz=-1, rule=rule,
        )  # fmt: skip
    return world


def polsim_steps(world: World, rng: np.random.Generator, steps: int) -> None:
    for _ in range(steps):
        update_support(world, world.scenario.parties, rng, world.date)
        adapt_positions(world, world.scenario.parties, rng, world.date)


def _best(repeats: int, setup, work) -> float:
    best = math.inf
    for _ in range(repeats):
        state = setup()
        start = time.perf_counter()
        work(state)
        best = min(best, time.perf_counter() - start)
    return best


def measure(sizes=(10_000, 100_000), repeats: int = 3, mesa_repeats: int = 1) -> list[dict]:
    """Time per step of both models at each size; check that they agree."""
    threads = run_threads()
    rng = np.random.default_rng(1)
    warm = polsim_world(rng.normal(size=(50, 2)).clip(-1, 1), rng.uniform(-1, 1, (PARTIES, 2)))
    polsim_steps(warm, np.random.default_rng(0), 2)  # compile, so compilation is not timed
    rows = []
    seed = 7
    for n in sizes:
        rng = np.random.default_rng(n)
        positions = rng.normal(size=(n, 2)).clip(-1, 1).astype(np.float32)
        starts = rng.uniform(-0.5, 0.5, size=(PARTIES, 2))
        world_holder = {}

        def polsim_setup(positions=positions, starts=starts, holder=world_holder):
            holder["world"] = polsim_world(positions, starts)
            return holder["world"]

        def polsim_time(threads: int) -> float:
            with using_threads(threads):
                return _best(
                    repeats,
                    polsim_setup,
                    lambda w: polsim_steps(w, np.random.default_rng(seed), STEPS),
                )

        one_thread_s = polsim_time(1)
        polsim_s = polsim_time(threads) if threads > 1 else one_thread_s
        model_holder = {}

        def mesa_setup(positions=positions, starts=starts, holder=model_holder):
            holder["model"] = PartyCompetition(positions.astype(np.float64), starts, seed)
            return holder["model"]

        def mesa_steps(model):
            for _ in range(STEPS):
                model.step()

        mesa_s = _best(mesa_repeats, mesa_setup, mesa_steps)
        ours = world_holder["world"].organisations.alive()
        theirs = list(model_holder["model"].parties)
        gap = max(
            float(np.max(np.abs(np.asarray(o.position) - np.asarray(p.position))))
            for o, p in zip(ours, theirs, strict=True)
        )
        share_gap = max(abs(o.share - p.share) for o, p in zip(ours, theirs, strict=True))
        rows.append(
            {
                "voters": n,
                "parties": PARTIES,
                "steps": STEPS,
                "threads": threads,
                "polsim_step_s": polsim_s / STEPS,
                "one_thread_step_s": one_thread_s / STEPS,
                "mesa_step_s": mesa_s / STEPS,
                "ratio": mesa_s / polsim_s,
                "one_thread_ratio": mesa_s / one_thread_s,
                "position_gap": gap,
                "share_gap": share_gap,
                "same": gap < 1e-9 and share_gap < 1e-9,
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", default="10000,100000")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    sizes = tuple(int(v) for v in args.voters.split(","))
    print(
        f"{'voters':>8} {'polsim ms/step':>15} {'1 thread':>9} {'mesa ms/step':>13} "
        f"{'ratio':>8} {'1 thread':>9}  same results"
    )
    for row in measure(sizes, args.repeats):
        print(
            f"{row['voters']:>8} {row['polsim_step_s'] * 1e3:>15.3f} "
            f"{row['one_thread_step_s'] * 1e3:>9.3f} {row['mesa_step_s'] * 1e3:>13.1f} "
            f"{row['ratio']:>7.0f}x {row['one_thread_ratio']:>8.0f}x  "
            f"{'yes' if row['same'] else 'NO'} (positions within {row['position_gap']:.1e}, "
            f"shares within {row['share_gap']:.1e})"
        )


if __name__ == "__main__":
    main()
