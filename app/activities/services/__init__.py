"""Activities' services, one module per concept: ``scheduling`` (one activity or a weekly series, and
changing them), ``signups`` (attending, the waiting list, volunteering), ``roles`` (the volunteer roles
of an activity), ``rooms`` (the centre's places and residents' room requests), ``reports`` (held or
cancelled), ``reminders`` (the e-mail before an activity) and ``calendar`` (the personal feed's link);
``inputs`` validates what the forms send and refuses clashes.

Each public function checks permission first, validates, changes, writes the audit event and the
outbox, and commits once; helpers flush and raise, never commit or roll back. Sign-ups lock the
activity row and scheduling locks the place row (``app.activities.locking``), so parallel requests can
neither overbook nor double-book.
"""
