"""On PostgreSQL, refuse UPDATE and DELETE of ledger entries at the database.

The ORM already refuses them; this also stops raw SQL and other clients.
(SQLite has no such trigger here; the ORM guard and the audit remain.)
TRUNCATE is left to the table owner: test runs flush tables with it.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION energy_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'energy_ledgerentry is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER energy_ledgerentry_append_only
    BEFORE UPDATE OR DELETE ON energy_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION energy_ledger_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS energy_ledgerentry_append_only ON energy_ledgerentry;
DROP FUNCTION IF EXISTS energy_ledger_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("energy", "0002_seed_action_catalogue")]

    operations = [migrations.RunPython(forwards, backwards)]
