"""design_versions.image_keys: the pictures a submitted version was rendered with

Revision ID: a1f3c9e2b7d4
Revises: 5d9c0c4d62cc
Create Date: 2026-12-03 19:05:00

A version printed the product's current photo, so a photo picked after approval reached the hub's
print unreviewed. Versions from before this column print as before (NULL: the current pictures).
"""
from alembic import op
import sqlalchemy as sa


revision = 'a1f3c9e2b7d4'
down_revision = '5d9c0c4d62cc'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('design_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('image_keys', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('design_versions', schema=None) as batch_op:
        batch_op.drop_column('image_keys')
