"""Named random streams derived from the run's seed.

The engine owns one :class:`numpy.random.SeedSequence` per run. Each mechanism asks
for its stream by name ("society.synthesis", "parties.split", ...). A stream's seed
depends only on the run seed and the stream's name, never on the order in which streams
are created, so adding a mechanism does not shift any other mechanism's draws, and the
same scenario and seed reproduce a run on any backend.
"""

from __future__ import annotations

import zlib

import numpy as np

__all__ = ["RandomStreams", "stream_key"]


def stream_key(name: str) -> int:
    """A stable 32-bit key for a stream name (CRC-32 of its UTF-8 bytes)."""
    return zlib.crc32(name.encode("utf-8"))


class RandomStreams:
    """The run's random streams, one :class:`numpy.random.Generator` per name.

    Parameters
    ----------
    seed
        The run's seed, or a :class:`~numpy.random.SeedSequence` (for example one child
        of an ensemble's sequence).

    Examples
    --------
    >>> a = RandomStreams(7).get("society.synthesis").random()
    >>> b = RandomStreams(7)
    >>> _ = b.get("parties.split").random()   # another stream drawn first...
    >>> a == b.get("society.synthesis").random()   # ...does not shift this one
    True
    """

    def __init__(self, seed: int | np.random.SeedSequence) -> None:
        if isinstance(seed, np.random.SeedSequence):
            self.root = seed
        else:
            if int(seed) < 0:
                raise ValueError(f"seed must be a non-negative integer; got {seed}")
            self.root = np.random.SeedSequence(int(seed))
        self._streams: dict[str, np.random.Generator] = {}

    def seed_sequence(self, name: str) -> np.random.SeedSequence:
        """The seed sequence of the named stream: the root's entropy and spawn key + name."""
        return np.random.SeedSequence(
            entropy=self.root.entropy,
            spawn_key=(*self.root.spawn_key, stream_key(name)),
            pool_size=self.root.pool_size,
        )

    def get(self, name: str) -> np.random.Generator:
        """The named stream; the same object on every call within a run."""
        stream = self._streams.get(name)
        if stream is None:
            stream = np.random.Generator(np.random.PCG64(self.seed_sequence(name)))
            self._streams[name] = stream
        return stream

    __getitem__ = get
