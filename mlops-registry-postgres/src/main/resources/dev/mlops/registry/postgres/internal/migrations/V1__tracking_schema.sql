-- Tracking schema version 1: the same tables as the embedded SQLite store. Text columns use the "C" collation
-- so comparisons and ordering are by code point, as in SQLite. NaN metric values are stored as NULL.
CREATE TABLE experiments (
    id      BIGSERIAL PRIMARY KEY,
    name    TEXT COLLATE "C" NOT NULL UNIQUE,
    created BIGINT NOT NULL
);
CREATE TABLE runs (
    rid           BIGSERIAL PRIMARY KEY,
    uuid          TEXT COLLATE "C" NOT NULL UNIQUE,
    experiment_id BIGINT NOT NULL REFERENCES experiments(id),
    name          TEXT COLLATE "C" NOT NULL,
    parent_uuid   TEXT COLLATE "C",
    status        TEXT COLLATE "C" NOT NULL,
    start_time    BIGINT NOT NULL,
    end_time      BIGINT
);
CREATE INDEX runs_exp ON runs(experiment_id, start_time);
CREATE INDEX runs_start ON runs(start_time);
CREATE TABLE params (
    rid   BIGINT NOT NULL REFERENCES runs(rid),
    key   TEXT COLLATE "C" NOT NULL,
    value TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (rid, key)
);
CREATE INDEX params_kv ON params(key, value);
CREATE TABLE tags (
    rid   BIGINT NOT NULL REFERENCES runs(rid),
    key   TEXT COLLATE "C" NOT NULL,
    value TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (rid, key)
);
CREATE INDEX tags_kv ON tags(key, value);
CREATE TABLE datasets (
    rid   BIGINT NOT NULL REFERENCES runs(rid),
    key   TEXT COLLATE "C" NOT NULL,
    value TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (rid, key)
);
CREATE INDEX datasets_kv ON datasets(key, value);
-- one row per (write, key): n points packed big-endian as (double value, long step, long epoch millis)
CREATE TABLE metric_history (
    id     BIGSERIAL PRIMARY KEY,
    rid    BIGINT NOT NULL REFERENCES runs(rid),
    key    TEXT COLLATE "C" NOT NULL,
    n      INTEGER NOT NULL,
    points BYTEA NOT NULL
);
CREATE INDEX metric_history_rk ON metric_history(rid, key, id);
CREATE TABLE latest_metrics (
    rid   BIGINT NOT NULL REFERENCES runs(rid),
    key   TEXT COLLATE "C" NOT NULL,
    value DOUBLE PRECISION,
    step  BIGINT NOT NULL,
    ts    BIGINT NOT NULL,
    PRIMARY KEY (rid, key)
);
CREATE INDEX latest_metrics_kv ON latest_metrics(key, value);
CREATE TABLE artifacts (
    rid    BIGINT NOT NULL REFERENCES runs(rid),
    path   TEXT COLLATE "C" NOT NULL,
    sha256 TEXT NOT NULL,
    size   BIGINT NOT NULL,
    PRIMARY KEY (rid, path)
);
