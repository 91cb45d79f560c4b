"""centre: the centre's own settings (address, hours, contact, accessibility statement), one record

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 03:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'centre_settings',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('street', sa.String(length=200), nullable=False),
        sa.Column('postcode', sa.String(length=6), nullable=False),
        sa.Column('city', sa.String(length=100), nullable=False),
        sa.Column('opening_hours', sa.Text(), nullable=False),
        sa.Column('phone', sa.String(length=40), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('compliance', sa.String(length=10), nullable=False),
        sa.Column('statement_published_on', sa.Date(), nullable=False),
        sa.Column('statement_updated_on', sa.Date(), nullable=False),
        sa.Column('assessment', sa.Text(), nullable=False),
        sa.Column('accessibility_contact', sa.String(length=200), nullable=False),
        sa.Column('accessibility_phone', sa.String(length=40), nullable=False),
        sa.Column('accessibility_email', sa.String(length=254), nullable=False),
        sa.Column('entrance', sa.Text(), nullable=False),
        sa.Column('lift', sa.Text(), nullable=False),
        sa.Column('toilet', sa.Text(), nullable=False),
        sa.Column('parking', sa.Text(), nullable=False),
        sa.Column('assistance_dog', sa.Text(), nullable=False),
        sa.Column('sign_language', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('id = 1', name=op.f('ck_centre_settings_single_record')),
        sa.CheckConstraint("compliance IN ('full', 'partial', 'none')",
                           name=op.f('ck_centre_settings_compliance_known')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_centre_settings')),
    )


def downgrade():
    op.drop_table('centre_settings')
