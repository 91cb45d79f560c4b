"""WSGI entry point: ``gunicorn wsgi:app`` or ``flask --app wsgi run`` (and every ``flask`` command).

Start-up makes some 170,000 objects that live as long as the process (modules, mapped classes, URL rules,
the templates' environment) and only a few hundred unreachable ones. The cyclic garbage collector is paused
while they are made and then told to leave them out of every later collection (``gc.freeze``): Python no
longer walks them in each full collection of a worker, nor again and again as a ``flask`` command exits,
which was a third of a cron job's CPU time (bench/startup.py).
"""

import gc

gc.disable()
try:
    from app import create_app

    app = create_app()
finally:
    gc.freeze()
    gc.enable()
