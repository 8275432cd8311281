-- A migration that fails: DatabaseTest checks the failure is one line naming it.
CREATE TABLE broken (id BIGINT PRIMARY KEY);
INSERT INTO no_such_table VALUES (1);
