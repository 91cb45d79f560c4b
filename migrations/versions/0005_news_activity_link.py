"""news: a post may link to an activity

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 16:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    # Batch mode rebuilds the table on SQLite (which cannot add a foreign key in place) and runs plain
    # ALTER TABLE statements on PostgreSQL; the names follow app.db.NAMING_CONVENTION.
    with op.batch_alter_table('news_posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('activity_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_news_posts_activity_id_activities'), 'activities', ['activity_id'], ['id'],
            ondelete='SET NULL',
        )
        batch_op.create_index(batch_op.f('ix_news_posts_activity_id'), ['activity_id'], unique=False)


def downgrade():
    with op.batch_alter_table('news_posts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_news_posts_activity_id'))
        batch_op.drop_constraint(batch_op.f('fk_news_posts_activity_id_activities'), type_='foreignkey')
        batch_op.drop_column('activity_id')
