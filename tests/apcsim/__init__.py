"""apcsim: a simulator of APC Rack PDU and UPS network management card consoles.

Run ``python -m apcsim --help`` (with ``tests/`` on ``PYTHONPATH``) or ``tests/apcsim/apcsim``.
The package never imports anything from the rackops.apc collection.
"""

__version__ = "0.1.0"
