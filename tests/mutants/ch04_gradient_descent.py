"""Chapter 4 mutants: one per catalogued mistake (autograder/catalogues/ch04_gradient_descent.py).

Grading a notebook with every other cell solved must cost exactly the mutant's part's
points, and name its mistake.
"""

from tests.mutants import catalogued

MUTANTS = catalogued("ch04_gradient_descent")
