PRAGMA temp_store = MEMORY;  -- the WASI build's VFS (SQLite's demo VFS) has no temporary files
CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c REAL);
WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 200000)
INSERT INTO t SELECT x, printf('row%06d', (x * 7919) % 200003), x * 0.5 FROM n;
CREATE INDEX tb ON t(b);
SELECT count(*), sum(a), total(c), min(b), max(b) FROM t;
SELECT count(*) FROM t WHERE b LIKE 'row01%';
SELECT substr(b, 4, 2) AS k, count(*), avg(c) FROM t GROUP BY k ORDER BY k LIMIT 5;
