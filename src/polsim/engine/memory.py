"""Memory settings of the process: how the C allocator serves voter-sized arrays."""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import cache

__all__ = ["MAPPED_ARRAY_BYTES", "map_large_arrays"]

#: Arrays at least this large are mapped from the system and returned to it when freed.
MAPPED_ARRAY_BYTES = 8 << 20


@cache
def map_large_arrays() -> bool:
    """On glibc, map arrays of :data:`MAPPED_ARRAY_BYTES` or more straight from the system.

    glibc raises its mapping threshold as mapped blocks are freed (up to 32 MB), after
    which voter-sized arrays of a large electorate (10-32 MB) come from the heap, whose
    freed holes are not given back: peak memory then creeps up election after election
    and varies from run to run (658-711 MB at 10M voters). A fixed threshold keeps them
    mapped; smaller, per-chunk arrays still reuse the heap. Elsewhere, nothing is done.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    m_mmap_threshold = -3  # <malloc.h>
    return bool(mallopt(ctypes.c_int(m_mmap_threshold), ctypes.c_int(MAPPED_ARRAY_BYTES)))
