-- The todo demo's table; runs unchanged on PostgreSQL and on H2 in PostgreSQL mode.
CREATE TABLE todos (
    id BIGSERIAL PRIMARY KEY,
    title VARCHAR(200) NOT NULL,
    done BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX todos_done ON todos (done, id);
