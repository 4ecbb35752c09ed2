-- Registry schema version 2: the model-registry tables of the embedded SQLite store (see JdbcRegistryStore).
-- Text keys use the "C" collation so ordering is by code point, as in SQLite. Times are epoch milliseconds.
CREATE TABLE meta (
    key   TEXT COLLATE "C" PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE models (
    name        TEXT COLLATE "C" PRIMARY KEY,
    description TEXT NOT NULL,
    created     BIGINT NOT NULL
);
CREATE TABLE versions (
    model         TEXT COLLATE "C" NOT NULL REFERENCES models(name),
    version       INTEGER NOT NULL,
    run_id        TEXT NOT NULL,
    artifact_path TEXT NOT NULL,
    flavor        TEXT NOT NULL,
    signature     TEXT,
    input_example TEXT NOT NULL,
    description   TEXT NOT NULL,
    created       BIGINT NOT NULL,
    archived      INTEGER NOT NULL DEFAULT 0,
    files         TEXT NOT NULL,
    PRIMARY KEY (model, version)
);
-- numbers of deleted versions: never given again
CREATE TABLE deleted_versions (
    model   TEXT COLLATE "C" NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (model, version)
);
-- version 0: the model's own tags
CREATE TABLE model_tags (
    model   TEXT COLLATE "C" NOT NULL,
    version INTEGER NOT NULL,
    key     TEXT COLLATE "C" NOT NULL,
    value   TEXT NOT NULL,
    PRIMARY KEY (model, version, key)
);
CREATE TABLE aliases (
    model   TEXT COLLATE "C" NOT NULL,
    alias   TEXT COLLATE "C" NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (model, alias)
);
CREATE TABLE alias_history (
    id           BIGSERIAL PRIMARY KEY,
    model        TEXT COLLATE "C" NOT NULL,
    alias        TEXT COLLATE "C" NOT NULL,
    from_version INTEGER,
    to_version   INTEGER,
    at           BIGINT NOT NULL,
    principal    TEXT NOT NULL,
    reason       TEXT NOT NULL
);
CREATE INDEX alias_history_ma ON alias_history(model, alias, id);
CREATE TABLE audit (
    seq       BIGINT PRIMARY KEY,
    at        BIGINT NOT NULL,
    principal TEXT NOT NULL,
    action    TEXT NOT NULL,
    target    TEXT NOT NULL,
    details   TEXT NOT NULL,
    reason    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE FUNCTION mlops_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END
$$;
CREATE TRIGGER audit_no_update_or_delete BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION mlops_audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION mlops_audit_append_only();
