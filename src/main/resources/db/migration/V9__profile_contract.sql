-- The profile contract as the signup path last defined it, per target: which identities must have a profile,
-- in the path's own words (re-read through PredicateReader against the identity table's columns, never run as
-- SQL), the column a missing profile is aged from, whether an UPDATE trigger makes it, and which triggers did.
-- When the path stops writing the profile (the trigger or its function dropped), ghosts are still counted
-- against this contract, not against every identity.
CREATE TABLE IF NOT EXISTS profile_contract (
    target          text PRIMARY KEY,
    selects         text        NOT NULL,
    aged_from       text,
    made_on_update  boolean     NOT NULL,
    written_by      text[]      NOT NULL,
    seen_at         timestamptz NOT NULL
);
