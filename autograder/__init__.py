"""The course's grader: release exercises, self-check a notebook, grade a class.

A thin command-line group (:mod:`autograder.cli`) over a typed, keyword-only
Python API (:mod:`autograder.api`) that wraps nbgrader. The hidden tests of the
exercises use :mod:`autograder.checks` to compare values in a way a learner's
notebook cannot fool.
"""
