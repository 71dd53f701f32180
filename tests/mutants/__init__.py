"""Plausible wrong implementations of each graded component, one module per chapter."""
