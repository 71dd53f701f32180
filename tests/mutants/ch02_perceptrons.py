"""Chapter 2 mutants: one per catalogued mistake (autograder/catalogues/ch02_perceptrons.py).

Grading a notebook with every other cell solved must cost exactly the mutant's part's
points, and name its mistake.
"""

from tests.mutants import catalogued

MUTANTS = catalogued("ch02_perceptrons")
