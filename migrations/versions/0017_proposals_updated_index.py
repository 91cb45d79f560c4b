"""proposals: index on updated_at, so the API's list reads the table's newest change without a scan

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 06:20:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_proposals_updated_at', 'proposals', ['updated_at'], unique=False)


def downgrade():
    op.drop_index('ix_proposals_updated_at', table_name='proposals')
