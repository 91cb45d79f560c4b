"""proposals, comments, news: the language a text is written in (default Polish)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 06:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

TABLES = ('proposals', 'comments', 'news_posts')


def upgrade():
    # Existing texts were written on a Polish platform: they get 'pl' through the server default.
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column('language', sa.String(length=5), server_default='pl', nullable=False))
            batch_op.create_check_constraint(op.f(f'ck_{table}_language_known'), "language IN ('pl', 'uk', 'en')")


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_language_known'), type_='check')
            batch_op.drop_column('language')
