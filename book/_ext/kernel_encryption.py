"""Run the chapters' build-time kernels with encrypted connections.

myst-nb executes each chapter through jupyter-cache and nbclient, which start a
``jupyter_client.KernelManager`` with an empty configuration: the manager's
``transport_encryption`` stays ``"disabled"``, the kernel talks TCP in plain text,
and ipykernel prints "Kernel is running over TCP without encryption" once per
chapter. No setting of Jupyter Book, myst-nb or jupyter-cache reaches that
manager, so this extension sets the trait's default to ``"auto"``: the manager
then hands every kernel whose kernel spec declares CurveZMQ support (ipykernel's
``python3`` does) a key pair, and the connection is encrypted.
"""

from jupyter_client.manager import KernelManager


def setup(app):
    """Make kernel managers started during this build provision CurveZMQ keys."""
    KernelManager.transport_encryption.default_value = "auto"
    return {"parallel_read_safe": True, "parallel_write_safe": True}
