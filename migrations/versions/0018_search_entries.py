"""search: one entry per proposal, activity, news post and round, with its folded words

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 06:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

from app.search.stemming import WORD
from app.text import fold

# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

SOURCES = {
    'proposal': ('proposals', ('title', 'body', 'needs')),
    'activity': ('activities', ('title', 'description')),
    'news': ('news_posts', ('title', 'body')),
    'round': ('rounds', ('title', 'description')),
}


def upgrade():
    entries = op.create_table(
        'search_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=False),
        sa.Column('document', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_search_entries')),
        sa.UniqueConstraint('kind', 'subject_id', name='uq_search_entries_subject'),
    )
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("CREATE INDEX ix_search_entries_document ON search_entries "
                   "USING gin (to_tsvector('simple'::regconfig, document))")
    connection = op.get_bind()
    for kind, (table, fields) in SOURCES.items():
        records = connection.execute(sa.text(f"SELECT id, {', '.join(fields)} FROM {table}"))
        rows = [
            {'kind': kind, 'subject_id': record[0],
             'document': " " + " ".join(WORD.findall(fold(" ".join(part or "" for part in record[1:])))) + " "}
            for record in records
        ]
        if rows:
            op.bulk_insert(entries, rows)


def downgrade():
    op.drop_table('search_entries')
