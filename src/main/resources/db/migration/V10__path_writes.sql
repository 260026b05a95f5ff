-- The write rate of each table the signup path writes on INSERT, other than the profile table, per target: the
-- cumulative inserts of the identity table and of that table as the statistics count them at the last check,
-- and the identity table's count when that table last grew. Signups since then that wrote no row there are the
-- finding path_write_stopped; counts that went down (a statistics reset, a restart) start the watch again.
CREATE TABLE IF NOT EXISTS path_writes (
    target                    text        NOT NULL,
    written                   text        NOT NULL,
    identity_inserts          bigint      NOT NULL,
    table_inserts             bigint      NOT NULL,
    grew_at_identity_inserts  bigint,
    grew_at                   timestamptz,
    seen_at                   timestamptz NOT NULL,
    PRIMARY KEY (target, written)
);
