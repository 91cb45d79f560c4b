"""my page: indexes for a person's comments and the rounds they voted in

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 06:10:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(op.f('ix_comments_author_id'), 'comments', ['author_id'], unique=False)
    op.create_index(op.f('ix_participations_user_id'), 'participations', ['user_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_participations_user_id'), table_name='participations')
    op.drop_index(op.f('ix_comments_author_id'), table_name='comments')
