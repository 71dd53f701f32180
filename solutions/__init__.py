"""Reference implementations for the course *How neural networks learn*.

Every component a learner implements in the exercises has its correct version
here. The book's experiments run on it and the autograder's hidden tests compare
against it. It needs NumPy and array-api-compat; every function computes with the
Array API namespace of its inputs, so CuPy arrays and PyTorch tensors (CPU or GPU)
work as well as NumPy arrays (see :mod:`solutions.backend`).
"""
