"""proposal timeline: a vote's outcome (accepted → selected / not selected) is credited to nobody

Closing a round used to record the person who closed it as the author of every proposal's
"Selected in the vote" step. The vote decided it; the step now names no person. Data only.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    events = sa.table('proposal_events', sa.column('actor_id', sa.Integer), sa.column('kind', sa.String),
                      sa.column('from_status', sa.String), sa.column('to_status', sa.String))
    op.execute(
        events.update()
        .where(events.c.kind == 'status', events.c.from_status == 'accepted',
               events.c.to_status.in_(('selected', 'not_selected')))
        .values(actor_id=None)
    )


def downgrade():
    # Who closed the round is in the audit log; the timeline keeps crediting the vote.
    pass
