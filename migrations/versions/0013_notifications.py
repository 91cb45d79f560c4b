"""notifications: in-app notifications, follows, e-mail choices per kind, weekly digests; e-mail headers;
proposals lose last_comment_notice_at

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 06:10:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'notifications',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('event', sa.String(length=40), nullable=False),
        sa.Column('category', sa.String(length=20), nullable=False),
        sa.Column('subject_kind', sa.String(length=20), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=False),
        sa.Column('subject_title', sa.String(length=200), nullable=False),
        sa.Column('link', sa.String(length=500), nullable=False),
        sa.Column('detail', sa.Text(), nullable=True),
        sa.Column('actor_name', sa.String(length=80), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('email_pending', sa.String(length=10), nullable=True),
        sa.Column('emailed_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("email_pending IS NULL OR email_pending IN ('soon', 'digest')",
                           name=op.f('ck_notifications_email_pending_known')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    )
    op.create_index('ix_notifications_unread', 'notifications', ['user_id', 'read_at'])
    op.create_index('ix_notifications_subject', 'notifications', ['subject_kind', 'subject_id', 'event'])
    op.create_index('ix_notifications_email_pending', 'notifications', ['email_pending', 'user_id'])
    op.create_table(
        'follows',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('subject_kind', sa.String(length=20), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_follows_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_follows')),
        sa.UniqueConstraint('user_id', 'subject_kind', 'subject_id', name='uq_follows_user_subject'),
    )
    op.create_index('ix_follows_subject', 'follows', ['subject_kind', 'subject_id'])
    op.create_table(
        'notification_email_choices',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('category', sa.String(length=20), nullable=False),
        sa.Column('choice', sa.String(length=10), nullable=False),
        sa.CheckConstraint("choice IN ('immediate', 'digest', 'never')",
                           name=op.f('ck_notification_email_choices_choice_known')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_notification_email_choices_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'category', name=op.f('pk_notification_email_choices')),
    )
    op.create_table(
        'notification_digests',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_digests_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_notification_digests')),
    )
    with op.batch_alter_table('outbox_messages') as batch_op:
        batch_op.add_column(sa.Column('headers', sa.JSON(), nullable=True))
    # Comments are no longer rationed to one e-mail an hour per proposal (notifications coalesce them).
    with op.batch_alter_table('proposals') as batch_op:
        batch_op.drop_column('last_comment_notice_at')


def downgrade():
    with op.batch_alter_table('proposals') as batch_op:
        batch_op.add_column(sa.Column('last_comment_notice_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('outbox_messages') as batch_op:
        batch_op.drop_column('headers')
    op.drop_table('notification_digests')
    op.drop_table('notification_email_choices')
    op.drop_index('ix_follows_subject', table_name='follows')
    op.drop_table('follows')
    op.drop_index('ix_notifications_email_pending', table_name='notifications')
    op.drop_index('ix_notifications_subject', table_name='notifications')
    op.drop_index('ix_notifications_unread', table_name='notifications')
    op.drop_table('notifications')
