"""PostgreSQL: refuse UPDATE and DELETE on narrative events, in the database.

The only UPDATE let through is GDPR redaction: it may change ``payload`` (to
the redaction marker) and ``redacted_at`` and nothing else, and only while
the transaction-local setting ``narrative.allow_redaction`` is ``on``
(``narrative.services.erase_events`` sets it with ``set_config(..., true)``).
TRUNCATE is not covered (row triggers do not fire on it): it needs table
ownership, which the application role of a production database should not
have.

SQLite has no such trigger: there the queryset and model refusals apply.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION narrative_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND current_setting('narrative.allow_redaction', true) = 'on'
       AND NEW.payload = '{"redacted": true}'::jsonb
       AND NEW.redacted_at IS NOT NULL
       AND (to_jsonb(NEW) - 'payload' - 'redacted_at')
           = (to_jsonb(OLD) - 'payload' - 'redacted_at')
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'narrative events are append-only: % refused on event %',
        TG_OP, OLD.id
        USING ERRCODE = 'raise_exception';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER narrative_event_append_only
    BEFORE UPDATE OR DELETE ON narrative_event
    FOR EACH ROW EXECUTE FUNCTION narrative_event_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS narrative_event_append_only ON narrative_event;
DROP FUNCTION IF EXISTS narrative_event_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("narrative", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
