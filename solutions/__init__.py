"""Reference implementations for the course *How neural networks learn*.

Every component a learner implements in the exercises has its correct version
here. The book's experiments run on it and the autograder's hidden tests compare
against it. NumPy is the only requirement; pass CuPy arrays to run on a GPU.
"""
