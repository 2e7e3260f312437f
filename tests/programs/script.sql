CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c REAL);
WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 5000)
INSERT INTO t SELECT x, printf('row%05d', x), x * 0.5 FROM n;
CREATE INDEX tb ON t(b);
SELECT count(*), sum(a), total(c), min(b), max(b) FROM t;
SELECT a, b FROM t WHERE b LIKE 'row0012%' ORDER BY a DESC;
SELECT group_concat(a, '-') FROM (SELECT a FROM t WHERE a % 997 = 0);
UPDATE t SET c = c * 2 WHERE a <= 10;
DELETE FROM t WHERE a > 4990;
SELECT count(*), total(c) FROM t;
SELECT json_object('a', 1, 'b', json_array(1, 2, 'x'));
SELECT upper(substr('hello world', 7)), length(zeroblob(100)), hex('AB');
