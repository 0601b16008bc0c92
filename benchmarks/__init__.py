"""copkg benchmarks; ``python -m benchmarks.run`` runs them all (``make bench``)."""
