"""users: Ukrainian is a UI language a user can choose

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 03:15:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_constraint(op.f('ck_users_locale_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_users_locale_known'), "locale IN ('pl', 'uk', 'en')")


def downgrade():
    # Ukrainian users fall back to Polish, the platform's default language.
    op.execute("UPDATE users SET locale = 'pl' WHERE locale = 'uk'")
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_constraint(op.f('ck_users_locale_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_users_locale_known'), "locale IN ('pl', 'en')")
