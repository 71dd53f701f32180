"""Speed measurements (not tests); ``python -m benchmarks`` runs them all."""
