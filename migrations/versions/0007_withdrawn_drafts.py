"""proposals: drafts withdrawn before drafts could only be deleted become private drafts again

A withdrawn proposal is public; a draft withdrawn without ever being published (no submitted_at)
was its author's private note, and must not have become public by being withdrawn.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 17:20:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("UPDATE proposals SET status = 'draft' WHERE status = 'withdrawn' AND submitted_at IS NULL")


def downgrade():
    pass  # they are drafts, as they always should have been
