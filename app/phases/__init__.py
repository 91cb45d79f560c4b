"""A round and its phases, beneath everything that happens in a round (docs/architecture.md).

``models``: the ``Round`` record with its phases, ballot kinds, rules and secrecy; ``table``: the one table
of what each phase allows (DESIGN §5); ``permissions``: who may see a round, vote, enter paper ballots and
see the results; ``locking``: serialising writes on one round. Proposals, discussion and news stand on it,
and so do the votes and the round pages and phase changes in ``app.rounds``; it imports none of them.
"""
