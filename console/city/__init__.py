"""The city: one process following many halls (``qconsole city serve``) and what it serves."""
