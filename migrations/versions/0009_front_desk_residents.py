"""residents: front-desk accounts without e-mail, sign-in slips, outbox messages kept for a person

E-mail becomes optional (still unique where present: NULLs never collide on either engine, and
addresses are stored lower-cased). A resident registered at the front desk gets address and phone
columns, and one-time sign-in codes (only their SHA-256 is stored). An outbox message names the
account it is for, so that messages for a person without an address are kept, not sent, and shown.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 03:10:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('email', existing_type=sa.String(length=254), nullable=True)
        batch_op.add_column(sa.Column('building', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('staircase', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('flat', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('phone', sa.String(length=20), nullable=True))

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.alter_column('recipient', existing_type=sa.String(length=254), nullable=True)
        batch_op.add_column(sa.Column('recipient_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_outbox_messages_recipient_id_users'), 'users',
                                    ['recipient_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index(batch_op.f('ix_outbox_messages_recipient_id'), ['recipient_id'], unique=False)

    op.create_table('sign_in_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('reference', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('voided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_sign_in_codes_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sign_in_codes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_codes')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_sign_in_codes_code_hash')),
    sa.UniqueConstraint('reference', name=op.f('uq_sign_in_codes_reference'))
    )
    with op.batch_alter_table('sign_in_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_codes_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('sign_in_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_codes_user_id'))
    op.drop_table('sign_in_codes')

    # Messages that could never be sent have nowhere to go in the older schema.
    op.execute("DELETE FROM outbox_messages WHERE recipient IS NULL")
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_messages_recipient_id'))
        batch_op.drop_constraint(batch_op.f('fk_outbox_messages_recipient_id_users'), type_='foreignkey')
        batch_op.drop_column('recipient_id')
        batch_op.alter_column('recipient', existing_type=sa.String(length=254), nullable=False)

    # Accounts without an address get a unique placeholder that cannot receive mail (.invalid, RFC 2606).
    op.execute("UPDATE users SET email = 'front-desk-' || id || '@no-address.invalid' WHERE email IS NULL")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('phone')
        batch_op.drop_column('flat')
        batch_op.drop_column('staircase')
        batch_op.drop_column('building')
        batch_op.alter_column('email', existing_type=sa.String(length=254), nullable=False)
