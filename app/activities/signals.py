"""Signals activities send to the layers above them (they never import them)."""

from blinker import Namespace

_signals = Namespace()

# Sent by an activity's page with ``viewer``. Each receiver is a feature above activities that shows a part of
# the page (the news about the activity) and returns the values its part needs, as a dict: the route passes
# them in, and the templates never query.
activity_page = _signals.signal("activity-page")
