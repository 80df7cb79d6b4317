CREATE TABLE majors (
    code text PRIMARY KEY,
    name text NOT NULL
);
