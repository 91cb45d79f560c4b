"""centre_settings.run_by (who runs the centre, for its page); rounds.imported_from and proposals.imported
(a round imported from a Pabulib file is a historical example: its proposals stay out of MAM's own lists,
queues and monthly statistics)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 06:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('centre_settings') as batch_op:
        batch_op.add_column(sa.Column('run_by', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('rounds') as batch_op:
        batch_op.add_column(sa.Column('imported_from', sa.String(length=200), nullable=True))
    with op.batch_alter_table('proposals') as batch_op:
        batch_op.add_column(sa.Column('imported', sa.Boolean(), nullable=False, server_default=sa.false()))
    # Rounds imported before this revision said so only in their description.
    op.execute("UPDATE rounds SET imported_from = 'pabulib' "
               "WHERE description LIKE 'Imported from the Pabulib file%'")
    op.execute("UPDATE proposals SET imported = true "
               "WHERE round_id IN (SELECT id FROM rounds WHERE imported_from IS NOT NULL)")


def downgrade():
    with op.batch_alter_table('proposals') as batch_op:
        batch_op.drop_column('imported')
    with op.batch_alter_table('rounds') as batch_op:
        batch_op.drop_column('imported_from')
    with op.batch_alter_table('centre_settings') as batch_op:
        batch_op.drop_column('run_by')
