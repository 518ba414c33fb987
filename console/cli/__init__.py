"""The ``qconsole`` command: one typer module per command group, composed in ``main``."""
