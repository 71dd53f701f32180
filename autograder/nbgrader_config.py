"""nbgrader settings for instructors who run plain `nbgrader ...` in autograder/.

The settings themselves live in autograder.config, shared with `autograder release/grade`.
"""

from autograder.config import nbgrader_config

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)
c.merge(nbgrader_config())
