"""Signals proposals send to the layers above them (they never import them)."""

from blinker import Namespace

_signals = Namespace()

# Sent by the proposal page's route with ``viewer``, before it renders the whole page. Each receiver is a
# feature above proposals that shows a part of the page (the discussion, the activities the proposal became)
# and returns the values its part needs, as a dict: the route passes them in, and the templates never query.
proposal_page = _signals.signal("proposal-page")
