"""web: users and their Miro teams, one-time OAuth states, background jobs, token refresh bookkeeping

Revision ID: 0005
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.String(length=64), nullable=False),
    sa.Column('miro_user_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('team_name', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_signin_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('team_id', 'miro_user_id')
    )
    op.create_index('ix_users_team_id', 'users', ['team_id'])
    op.create_table('oauth_states',
    sa.Column('state_hash', sa.String(length=64), nullable=False),
    sa.Column('verifier', sa.String(length=128), nullable=False),
    sa.Column('browser_hash', sa.String(length=64), nullable=False),
    sa.Column('next_url', sa.String(length=300), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('state_hash')
    )
    op.create_index('ix_oauth_states_expires_at', 'oauth_states', ['expires_at'])
    op.create_table('web_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.String(length=64), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=True),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycles.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_web_jobs_tenant_id', 'web_jobs', ['tenant_id'])
    op.create_index('ix_web_jobs_cycle_id', 'web_jobs', ['cycle_id'])
    with op.batch_alter_table('miro_tokens') as batch:
        batch.add_column(sa.Column('needs_signin', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column('refreshes', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('miro_tokens') as batch:
        batch.drop_column('refreshes')
        batch.drop_column('needs_signin')
    op.drop_index('ix_web_jobs_cycle_id', 'web_jobs')
    op.drop_index('ix_web_jobs_tenant_id', 'web_jobs')
    op.drop_table('web_jobs')
    op.drop_index('ix_oauth_states_expires_at', 'oauth_states')
    op.drop_table('oauth_states')
    op.drop_index('ix_users_team_id', 'users')
    op.drop_table('users')
