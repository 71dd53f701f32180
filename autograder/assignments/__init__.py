"""The manifests, one module per assignment (see :mod:`autograder.manifest`)."""
