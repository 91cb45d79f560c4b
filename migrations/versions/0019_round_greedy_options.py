"""rounds: greedy_options, the greedy variants a round imported from a Pabulib file is counted by

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 09:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('rounds') as batch_op:
        batch_op.add_column(sa.Column('greedy_options', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('rounds') as batch_op:
        batch_op.drop_column('greedy_options')
