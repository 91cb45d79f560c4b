"""proposals: index for the "newest" order (by publication time, never-published ones last)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 16:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    # PostgreSQL sorts NULL highest, so the index spells out NULLS LAST to match the query's order.
    # SQLite has no NULLS LAST in an index, but it sorts NULL lowest: descending puts them last.
    if op.get_bind().dialect.name == 'postgresql':
        columns = [sa.text('submitted_at DESC NULLS LAST'), sa.text('id DESC')]
    else:
        columns = [sa.text('submitted_at DESC'), sa.text('id DESC')]
    op.create_index('ix_proposals_submitted', 'proposals', columns, unique=False)


def downgrade():
    op.drop_index('ix_proposals_submitted', table_name='proposals')
