"""Signals between notifications and the layers around it (neither side imports the other).

- ``reminders_due`` is sent by `flask notifications reminders` with ``now``: a feature with timed
  reminders (a vote closing within 24 hours) connects to it and calls ``notify(..., once=True)``;
  it returns how many people it told.
"""

from blinker import Namespace

_signals = Namespace()

reminders_due = _signals.signal("notifications-reminders-due")
