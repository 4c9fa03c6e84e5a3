-- Every attempt of a request that needed more than one (retries, fallbacks) or whose only one
-- failed: a JSON array of {target, key, status, error, ms}, in order. NULL when the first
-- attempt served the request, which is nearly always: the row's own provider and status say it.
-- Same rule as V1: only types and syntax both H2 (PostgreSQL mode) and PostgreSQL accept.
ALTER TABLE requests ADD COLUMN attempts VARCHAR(4000);
