"""Server-side security on PostgreSQL (a no-op on SQLite): roles, an append-only ledger whose
chain the server keys and keeps, and a roster and settings only their editors may change.

- The role running the migrations owns the tables. The application role (``orderdesk_app``,
  or ``ORDERDESK_APP_ROLE``), which staff logins are members of, may read and write the records
  but only append to ``od_ledger``: UPDATE, DELETE and TRUNCATE are not granted and a trigger
  refuses them to everyone, so a grant made by mistake is still caught.
- Each ledger row's seq and hash are assigned by a SECURITY DEFINER trigger under the lock of
  ``od_ledger_head``: the hash is HMAC-SHA256 (pgcrypto) over the fields ``row_hash`` covers,
  keyed with a secret in ``od_private.ledger_key``, which the application role cannot read.
  The head moves only with the chain: other writes of it (and of the settings' ``ledger_head``)
  are given the server's values. ``od_verify_ledger()`` checks the chain for anyone, without
  revealing the key.
- A ledger row appended by a login that is not the owner names the login's staff member
  (``od_acting_user()``: the settings' ``staff_logins`` mapping, else the login itself).
- ``od_settings``, ``od_staff``, ``od_time_limits`` and ``od_dept_mail`` are writable only by the
  owner and members of the roles the settings' ``settings_editor_roles`` names.

Self-contained on purpose (a migration is frozen): the SQL is written out here.

Revision ID: 0002_server_security
Revises: 0001_base
"""

from __future__ import annotations

import os

from alembic import op

revision = "0002_server_security"
down_revision = "0001_base"
branch_labels = None
depends_on = None

DEFAULT_APP_ROLE = "orderdesk_app"
GENESIS = "0" * 64
# What Python's str.strip() strips (row_hash trims each field so): the characters isspace().
WHITESPACE = (
    *range(0x09, 0x0E),
    *range(0x1C, 0x21),
    0x85,
    0xA0,
    0x1680,
    *range(0x2000, 0x200B),
    0x2028,
    0x2029,
    0x202F,
    0x205F,
    0x3000,
)
PUBLIC_FUNCTIONS = (
    "od_app_role()",
    "od_ledger_end()",
    "od_acting_user()",
    "od_is_settings_editor()",
    "od_verify_ledger()",
)
SETTINGS_TABLES = ("od_settings", "od_staff", "od_time_limits", "od_dept_mail")
# Written by the commits: read, insert, update (marks are also deleted when cleared).
RECORD_TABLES = (
    "od_orders",
    "od_lines",
    "od_customers",
    "od_products",
    "od_capacity",
    "od_reviews",
    "od_task_orders",
    "od_tracking",
    "od_changes",
    "od_change_reviews",
    "od_versions",
    "od_complaints",
)


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _app_role() -> str:
    return os.environ.get("ORDERDESK_APP_ROLE", "").strip() or DEFAULT_APP_ROLE


def _functions(crypto: str, app: str) -> list[str]:
    """The functions; ``crypto`` is the schema pgcrypto lives in (quoted), ``app`` the
    application role. The SQL helpers name every object with its schema and set no search
    path, so that they are inlined (a SET on a function costs every call); the SECURITY
    DEFINER functions and the triggers set theirs."""
    genesis = _literal(GENESIS)
    blank = "E'" + "".join(f"\\u{code:04x}" for code in WHITESPACE) + "'"
    return [
        # A field as row_hash writes it: blank for none, trimmed as Python's str.strip() trims.
        f"""
        CREATE FUNCTION od_private.ledger_field(value text) RETURNS text LANGUAGE sql IMMUTABLE
        AS $$ SELECT coalesce(btrim(value, {blank}), '') $$
        """,
        # The text a row's hash covers: the fields of addin.core.ledger.row_hash, joined by
        # U+001F, each as row_hash writes it (blank for none, a time to the second, trimmed).
        """
        CREATE FUNCTION od_private.ledger_text(prev text, r public.od_ledger) RETURNS bytea
        LANGUAGE sql STABLE AS $$
            SELECT convert_to(concat_ws(chr(31),
                coalesce(prev, ''),
                coalesce(r.seq::text, ''),
                coalesce(to_char(r."time", 'YYYY-MM-DD HH24:MI:SS'), ''),
                od_private.ledger_field(r."user"),
                od_private.ledger_field(r.order_no),
                od_private.ledger_field(r.action),
                od_private.ledger_field(r.status_before),
                od_private.ledger_field(r.status_after),
                od_private.ledger_field(r.details),
                -- a digest of the controlled data the row wrote, covered only when there is one
                nullif(od_private.ledger_field(r.digest), '')
            ), 'UTF8')
        $$
        """,
        # The server's hash: HMAC-SHA256 keyed with the secret.
        f"""
        CREATE FUNCTION od_private.ledger_mac(prev text, r public.od_ledger) RETURNS text
        LANGUAGE sql STABLE AS $$
            SELECT encode({crypto}.hmac(od_private.ledger_text(prev, r),
                (SELECT secret FROM od_private.ledger_key WHERE id = 1), 'sha256'), 'hex')
        $$
        """,
        # The file mode's hash (plain SHA-256), for moving a chain in and out of the key.
        f"""
        CREATE FUNCTION od_private.ledger_sha(prev text, r public.od_ledger) RETURNS text
        LANGUAGE sql STABLE AS $$
            SELECT encode({crypto}.digest(od_private.ledger_text(prev, r), 'sha256'), 'hex')
        $$
        """,
        # Re-hash the rows already there: into the keyed chain (upgrade) or back to the file
        # mode's (downgrade). Only a link that checks out is re-hashed: one already broken
        # keeps its hash, so the check still reports it.
        f"""
        CREATE FUNCTION od_private.ledger_rehash(keyed boolean) RETURNS void LANGUAGE plpgsql
        SET search_path = pg_catalog, pg_temp AS $$
        DECLARE
            r public.od_ledger;
            prev_old text := {genesis};
            prev_new text := {genesis};
            fresh text;
        BEGIN
            FOR r IN SELECT * FROM public.od_ledger l ORDER BY l.seq LOOP
                IF r.hash = (CASE WHEN keyed THEN od_private.ledger_sha(prev_old, r)
                                  ELSE od_private.ledger_mac(prev_old, r) END) THEN
                    fresh := CASE WHEN keyed THEN od_private.ledger_mac(prev_new, r)
                                  ELSE od_private.ledger_sha(prev_new, r) END;
                ELSE
                    fresh := r.hash;
                END IF;
                UPDATE public.od_ledger SET hash = fresh WHERE row_id = r.row_id;
                prev_old := r.hash;
                prev_new := fresh;
            END LOOP;
            UPDATE public.od_ledger_head SET hash = prev_new WHERE id = 1 AND hash = prev_old;
            UPDATE public.od_settings SET value = split_part(value, ':', 1) || ':' || prev_new
             WHERE key = 'ledger_head' AND split_part(value, ':', 2) = prev_old;
        END
        $$
        """,
        # The application role's name, for the programs (the role itself is the server's).
        f"""
        CREATE FUNCTION public.od_app_role() RETURNS text LANGUAGE sql IMMUTABLE
        AS $$ SELECT {_literal(app)}::text $$
        """,
        # Who acts: the staff member the login maps to in the settings' staff_logins
        # ("login=name; ..."), else the login's own name. session_user is who logged in.
        """
        CREATE FUNCTION public.od_acting_user() RETURNS text LANGUAGE sql STABLE
        AS $$
            SELECT coalesce(
                (SELECT btrim(split_part(item, '=', 2))
                   FROM public.od_settings s,
                        regexp_split_to_table(coalesce(s.value, ''), '[;\\n]') AS item
                  WHERE s.key = 'staff_logins'
                    AND lower(btrim(split_part(item, '=', 1))) = lower(session_user::text)
                    AND btrim(split_part(item, '=', 2)) <> ''
                  LIMIT 1),
                session_user::text)
        $$
        """,
        # Is the current role a member of a role the settings' settings_editor_roles names?
        """
        CREATE FUNCTION public.od_is_settings_editor() RETURNS boolean LANGUAGE sql STABLE
        AS $$
            SELECT EXISTS (
                SELECT 1
                  FROM public.od_settings s,
                       regexp_split_to_table(coalesce(s.value, ''), '[;,[:space:]]+') AS name
                 WHERE s.key = 'settings_editor_roles'
                   AND name <> ''
                   AND to_regrole(quote_ident(name)) IS NOT NULL
                   AND pg_has_role(current_user, to_regrole(quote_ident(name)), 'MEMBER'))
        $$
        """,
        # Where the chain goes on: its last row, or the head when that is further on (rows
        # cut off the end). The head moves at commit, so this transaction's own rows count.
        f"""
        CREATE FUNCTION public.od_ledger_end(OUT seq bigint, OUT hash text)
        LANGUAGE plpgsql STABLE AS $$
        DECLARE
            last record;
        BEGIN
            SELECT h.seq, h.hash INTO seq, hash FROM public.od_ledger_head h WHERE h.id = 1;
            IF NOT FOUND THEN
                seq := 0;
                hash := {genesis};
            END IF;
            SELECT l.seq, l.hash INTO last FROM public.od_ledger l ORDER BY l.seq DESC LIMIT 1;
            IF FOUND AND last.seq > seq THEN
                seq := last.seq;
                hash := last.hash;
            END IF;
        END
        $$
        """,
        # The chain: under the head's lock, number the row, name who acts, key its hash.
        f"""
        CREATE FUNCTION od_private.ledger_chain() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        DECLARE
            chain_end record;
        BEGIN
            PERFORM 1 FROM public.od_ledger_head h WHERE h.id = 1 FOR UPDATE;
            IF NOT FOUND THEN
                INSERT INTO public.od_ledger_head (id, seq, hash) VALUES (1, 0, {genesis});
                PERFORM 1 FROM public.od_ledger_head h WHERE h.id = 1 FOR UPDATE;
            END IF;
            SELECT e.seq, e.hash INTO chain_end FROM public.od_ledger_end() e;
            IF NOT pg_has_role(session_user,
                               (SELECT relowner FROM pg_class WHERE oid = TG_RELID),
                               'MEMBER') THEN
                NEW."user" := public.od_acting_user();
            END IF;
            NEW.seq := chain_end.seq + 1;
            NEW.hash := od_private.ledger_mac(chain_end.hash, NEW);
            -- Cells kept as typed (raw) must not contradict what the chain assigned.
            IF jsonb_typeof(NEW.raw::jsonb) = 'object' THEN
                NEW.raw := nullif((NEW.raw::jsonb - ARRAY['seq', 'hash', 'user'])::text,
                                  '{{}}')::json;
            END IF;
            RETURN NEW;
        END
        $$
        """,
        # The head (and the settings' copy) moves once per transaction, at commit, to its last
        # row (moving it with every row would rewrite one row many times in a transaction:
        # quadratic).
        """
        CREATE FUNCTION od_private.ledger_head_move() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        BEGIN
            IF NEW.seq = (SELECT max(l.seq) FROM public.od_ledger l) THEN
                UPDATE public.od_ledger_head SET seq = NEW.seq, hash = NEW.hash WHERE id = 1;
                UPDATE public.od_settings SET value = NEW.seq::text || ':' || NEW.hash
                 WHERE key = 'ledger_head';  -- the settings' copy of the head, as in file mode
            END IF;
            RETURN NULL;
        END
        $$
        """,
        """
        CREATE FUNCTION od_private.ledger_refuse() RETURNS trigger LANGUAGE plpgsql
        SET search_path = pg_catalog, pg_temp AS $$
        BEGIN
            RAISE EXCEPTION 'orderdesk:ledger_append_only'
                USING ERRCODE = 'insufficient_privilege', DETAIL = TG_OP;
        END
        $$
        """,
        # The head moves only inside the chain's triggers (run as the owner, one trigger level
        # down); any other write of it keeps the server's values.
        f"""
        CREATE FUNCTION od_private.ledger_head_guard() RETURNS trigger LANGUAGE plpgsql
        SET search_path = pg_catalog, pg_temp AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                IF EXISTS (SELECT 1 FROM public.od_ledger) THEN
                    RAISE EXCEPTION 'orderdesk:ledger_append_only'
                        USING ERRCODE = 'insufficient_privilege', DETAIL = TG_OP;
                END IF;
                RETURN OLD;
            END IF;
            IF pg_trigger_depth() > 1 AND pg_has_role(current_user,
                    (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
                RETURN NEW;
            END IF;
            IF TG_OP = 'INSERT' THEN
                IF EXISTS (SELECT 1 FROM public.od_ledger_head) THEN
                    RETURN NULL;  -- the chain already keeps its head
                END IF;
                NEW.id := 1;
                SELECT coalesce(max(l.seq), 0) INTO NEW.seq FROM public.od_ledger l;
                NEW.hash := coalesce(
                    (SELECT l.hash FROM public.od_ledger l ORDER BY l.seq DESC LIMIT 1),
                    {genesis});
                RETURN NEW;
            END IF;
            NEW.id := OLD.id;
            NEW.seq := OLD.seq;
            NEW.hash := OLD.hash;
            RETURN NEW;
        END
        $$
        """,
        # Roster and settings: the owner and the editors the settings name; the settings'
        # ledger_head row (written by every commit) always holds the server's head.
        """
        CREATE FUNCTION od_private.settings_guard() RETURNS trigger LANGUAGE plpgsql
        SET search_path = pg_catalog, pg_temp AS $$
        DECLARE
            head_row boolean := false;
        BEGIN
            IF TG_TABLE_NAME = 'od_settings' AND TG_OP IN ('INSERT', 'UPDATE') THEN
                head_row := NEW.key = 'ledger_head';
                IF TG_OP = 'UPDATE' THEN
                    head_row := head_row AND OLD.key = 'ledger_head';
                END IF;
            END IF;
            IF head_row THEN
                SELECT CASE WHEN e.seq = 0 THEN '' ELSE e.seq::text || ':' || e.hash END
                  INTO NEW.value FROM public.od_ledger_end() e;
                RETURN NEW;
            END IF;
            IF pg_has_role(current_user,
                           (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER')
                    OR public.od_is_settings_editor() THEN
                IF TG_OP = 'DELETE' THEN
                    RETURN OLD;
                END IF;
                RETURN NEW;  -- NULL for TRUNCATE (a statement trigger): the statement goes on
            END IF;
            RAISE EXCEPTION 'orderdesk:settings_editors_only'
                USING ERRCODE = 'insufficient_privilege', DETAIL = TG_TABLE_NAME;
        END
        $$
        """,
        # The chain checked from the server's side: one row per problem, the key not shown.
        f"""
        CREATE FUNCTION public.od_verify_ledger()
        RETURNS TABLE (row_id bigint, seq bigint, problem text, expected bigint)
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        DECLARE
            r public.od_ledger;
            prev text := {genesis};
            last bigint := 0;
            head record;
        BEGIN
            FOR r IN SELECT * FROM public.od_ledger l ORDER BY l.seq LOOP
                IF r.seq IS DISTINCT FROM last + 1 THEN
                    row_id := r.row_id; seq := r.seq; problem := 'gap'; expected := last + 1;
                    RETURN NEXT;
                ELSIF r.hash IS DISTINCT FROM od_private.ledger_mac(prev, r) THEN
                    row_id := r.row_id; seq := r.seq; problem := 'edited'; expected := NULL;
                    RETURN NEXT;
                END IF;
                prev := r.hash;
                last := coalesce(r.seq, last);
            END LOOP;
            SELECT h.seq, h.hash INTO head FROM public.od_ledger_head h WHERE h.id = 1;
            IF head.seq IS DISTINCT FROM last OR head.hash IS DISTINCT FROM prev THEN
                row_id := NULL; seq := head.seq; problem := 'truncated'; expected := last;
                RETURN NEXT;
            END IF;
        END
        $$
        """,
    ]


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return  # SQLite (one PC): the file mode's chain, no roles
    app = _app_role()
    exists = bind.exec_driver_sql(
        "SELECT 1 FROM pg_roles WHERE rolname = %(name)s", {"name": app}
    ).scalar()
    if not exists:
        # Created when the migrating role may (a site's DBA may create it beforehand).
        op.execute(
            f"""
            DO $$ BEGIN
                CREATE ROLE {_ident(app)} NOLOGIN;
            EXCEPTION
                WHEN duplicate_object OR unique_violation THEN NULL;
                WHEN insufficient_privilege THEN
                    RAISE EXCEPTION 'orderdesk:app_role_missing'
                        USING ERRCODE = 'insufficient_privilege', DETAIL = {_literal(app)};
            END $$
            """
        )
    op.execute("CREATE SCHEMA od_private")
    op.execute("REVOKE ALL ON SCHEMA od_private FROM PUBLIC")
    op.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA od_private")
    crypto = bind.exec_driver_sql(
        "SELECT quote_ident(n.nspname) FROM pg_extension e "
        "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pgcrypto'"
    ).scalar_one()
    op.execute(
        "CREATE TABLE od_private.ledger_key ("
        " id integer PRIMARY KEY CHECK (id = 1), secret bytea NOT NULL)"
    )
    op.execute(
        f"INSERT INTO od_private.ledger_key (id, secret) VALUES (1, {crypto}.gen_random_bytes(32))"
    )
    for statement in _functions(crypto, app):
        op.execute(statement)
    op.execute("SELECT od_private.ledger_rehash(true)")  # rows already there join the key
    op.execute(
        "CREATE TRIGGER od_ledger_chain BEFORE INSERT ON public.od_ledger"
        " FOR EACH ROW EXECUTE FUNCTION od_private.ledger_chain()"
    )
    op.execute(
        "CREATE CONSTRAINT TRIGGER od_ledger_head_moves AFTER INSERT ON public.od_ledger"
        " DEFERRABLE INITIALLY DEFERRED"
        " FOR EACH ROW EXECUTE FUNCTION od_private.ledger_head_move()"
    )
    op.execute(
        "CREATE TRIGGER od_ledger_append_only BEFORE UPDATE OR DELETE ON public.od_ledger"
        " FOR EACH ROW EXECUTE FUNCTION od_private.ledger_refuse()"
    )
    op.execute(
        "CREATE TRIGGER od_ledger_no_truncate BEFORE TRUNCATE ON public.od_ledger"
        " FOR EACH STATEMENT EXECUTE FUNCTION od_private.ledger_refuse()"
    )
    op.execute(
        "CREATE TRIGGER od_ledger_head_guard BEFORE INSERT OR UPDATE OR DELETE"
        " ON public.od_ledger_head FOR EACH ROW EXECUTE FUNCTION od_private.ledger_head_guard()"
    )
    op.execute(
        "CREATE TRIGGER od_ledger_head_no_truncate BEFORE TRUNCATE ON public.od_ledger_head"
        " FOR EACH STATEMENT EXECUTE FUNCTION od_private.ledger_refuse()"
    )
    for table in SETTINGS_TABLES:
        op.execute(
            f"CREATE TRIGGER od_settings_guard BEFORE INSERT OR UPDATE OR DELETE ON public.{table}"
            " FOR EACH ROW EXECUTE FUNCTION od_private.settings_guard()"
        )
        op.execute(
            f"CREATE TRIGGER od_settings_no_truncate BEFORE TRUNCATE ON public.{table}"
            " FOR EACH STATEMENT EXECUTE FUNCTION od_private.settings_guard()"
        )
    # Privileges: nothing by default; the application role what the commits need.
    role = _ident(app)
    every = (*RECORD_TABLES, *SETTINGS_TABLES, "od_ledger", "od_ledger_head", "od_marks", "od_meta")
    for table in every:
        op.execute(f"REVOKE ALL ON public.{table} FROM PUBLIC")
    for table in RECORD_TABLES:
        op.execute(f"GRANT SELECT, INSERT, UPDATE ON public.{table} TO {role}")
    for table in SETTINGS_TABLES:
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON public.{table} TO {role}")
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON public.od_marks TO {role}")
    op.execute(f"GRANT SELECT, INSERT ON public.od_ledger TO {role}")
    # UPDATE only so that a commit may lock the head (SELECT ... FOR UPDATE); see the guard.
    op.execute(f"GRANT SELECT, UPDATE ON public.od_ledger_head TO {role}")
    op.execute(f"GRANT SELECT ON public.od_meta, public.alembic_version TO {role}")
    op.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}")
    for function in PUBLIC_FUNCTIONS:
        op.execute(f"REVOKE ALL ON FUNCTION public.{function} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION public.{function} TO {role}")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    app = bind.exec_driver_sql("SELECT public.od_app_role()").scalar()
    for table in SETTINGS_TABLES:
        op.execute(f"DROP TRIGGER od_settings_guard ON public.{table}")
        op.execute(f"DROP TRIGGER od_settings_no_truncate ON public.{table}")
    for trigger, table in (
        ("od_ledger_chain", "od_ledger"),
        ("od_ledger_head_moves", "od_ledger"),
        ("od_ledger_append_only", "od_ledger"),
        ("od_ledger_no_truncate", "od_ledger"),
        ("od_ledger_head_guard", "od_ledger_head"),
        ("od_ledger_head_no_truncate", "od_ledger_head"),
    ):
        op.execute(f"DROP TRIGGER {trigger} ON public.{table}")
    op.execute("SELECT od_private.ledger_rehash(false)")  # back to the file mode's chain
    for function in PUBLIC_FUNCTIONS:
        op.execute(f"DROP FUNCTION public.{function}")
    if app:
        role = _ident(app)
        op.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}")
        op.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {role}")
    op.execute("DROP SCHEMA od_private CASCADE")
