"""``copkg serve``: a read-only SPARQL 1.1 endpoint whose time limit holds.

:func:`serve` runs copkg's own HTTP front (:mod:`graph.endpoint.server`) over a pool of query
worker processes (:mod:`graph.endpoint.pool`, :mod:`graph.endpoint.worker`) that read the
store's latest checkpoint and are killed when a query runs past the limit.
"""

from __future__ import annotations

from .server import EndpointConfig, negotiate, serve

__all__ = ["EndpointConfig", "negotiate", "serve"]
