"""The mistake catalogues, one module per assignment (see :mod:`autograder.mistakes`).

Each module defines ``MISTAKES``, a dict from a part's name to its :class:`Mistake`s,
most common first; the assignment's manifest attaches it with
:func:`autograder.mistakes.catalogued`. ``tests/mutants/`` grades each mistake as a
submission, which must lose its part's points and be named.
"""
