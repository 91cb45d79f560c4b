"""votes: an identity hash per participation, one ballot per person; users: a session version

While a round is open, each participation keeps a keyed hash of its voter's identity, so a person cannot
vote again with a new account; raising a user's session version ends every session of theirs.
Participations of rounds that are voting now get the hash of their voter's e-mail address, so a person
who voted before this upgrade cannot vote again with a new account either.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 03:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('participations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('identity_hash', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f('uq_participations_round_id_identity_hash'), ['round_id', 'identity_hash'])

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='1', nullable=False))

    _hash_open_rounds()


def _hash_open_rounds():
    from types import SimpleNamespace

    from app.auth.identity import voter_hash

    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT p.id, p.round_id, u.email FROM participations p "
        "JOIN rounds r ON r.id = p.round_id JOIN users u ON u.id = p.user_id "
        "WHERE r.phase = 'voting'"
    )).all()
    participations = sa.table('participations', sa.column('id'), sa.column('identity_hash'))
    for participation_id, round_id, email in rows:
        conn.execute(
            participations.update().where(participations.c.id == participation_id)
            .values(identity_hash=voter_hash(SimpleNamespace(email=email), round_id))
        )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')

    with op.batch_alter_table('participations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_participations_round_id_identity_hash'), type_='unique')
        batch_op.drop_column('identity_hash')
