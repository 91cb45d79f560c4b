"""media: pictures of proposals, activities, places and news, stored by content hash

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 06:10:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'images',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('subject_kind', sa.String(length=16), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.Column('alt', sa.String(length=300), nullable=False),
        sa.Column('is_cover', sa.Boolean(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('card_name', sa.String(length=80), nullable=False),
        sa.Column('card_width', sa.Integer(), nullable=False),
        sa.Column('card_height', sa.Integer(), nullable=False),
        sa.Column('page_name', sa.String(length=80), nullable=False),
        sa.Column('page_width', sa.Integer(), nullable=False),
        sa.Column('page_height', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('hidden_reason', sa.String(length=500), nullable=True),
        sa.Column('hidden_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('card_width > 0 AND card_height > 0 AND page_width > 0 AND page_height > 0',
                           name=op.f('ck_images_sizes_positive')),
        sa.ForeignKeyConstraint(['hidden_by_id'], ['users.id'], name=op.f('fk_images_hidden_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'],
                                name=op.f('fk_images_uploaded_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_images')),
    )
    op.create_index('ix_images_subject', 'images', ['subject_kind', 'subject_id', 'position'])
    op.create_index('uq_images_cover', 'images', ['subject_kind', 'subject_id'], unique=True,
                    sqlite_where=sa.text('is_cover'), postgresql_where=sa.text('is_cover'))
    op.create_index(op.f('ix_images_uploaded_by_id'), 'images', ['uploaded_by_id'])
    op.create_index(op.f('ix_images_card_name'), 'images', ['card_name'])
    op.create_index(op.f('ix_images_page_name'), 'images', ['page_name'])


def downgrade():
    op.drop_index(op.f('ix_images_page_name'), table_name='images')
    op.drop_index(op.f('ix_images_card_name'), table_name='images')
    op.drop_index(op.f('ix_images_uploaded_by_id'), table_name='images')
    op.drop_index('uq_images_cover', table_name='images')
    op.drop_index('ix_images_subject', table_name='images')
    op.drop_table('images')
