-- The SQL script of tests/real/run.sh: run by the sqlite3 shell, native and
-- wasm32-wasi under `wgi run`, on a database file given as its argument
-- (and once more on an in-memory database), with this script on stdin. The
-- two outputs, and the database files, must be the same bytes. Everything
-- here is deterministic: no random(), no dates from the clock, no file
-- names in the output.
.bail on
.headers on
.mode list
.nullvalue NULL

-- Reference data and the main table.
CREATE TABLE category(code TEXT PRIMARY KEY, label TEXT NOT NULL) WITHOUT ROWID;
INSERT INTO category VALUES
  ('c0','tools'),('c1','garden'),('c2','kitchen'),('c3','books'),
  ('c4','music'),('c5','toys'),('c6','sports');

CREATE TABLE item(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  category TEXT NOT NULL REFERENCES category(code),
  price REAL NOT NULL,
  qty INTEGER NOT NULL,
  note TEXT
);

-- 20000 rows from a recursive CTE; every column a function of the row
-- number (a linear congruential sequence stands in for randomness).
WITH RECURSIVE seq(n, r) AS (
  SELECT 1, 12345
  UNION ALL
  SELECT n + 1, (r * 1103515245 + 12345) % 2147483648 FROM seq WHERE n < 20000
)
INSERT INTO item(id, name, category, price, qty, note)
SELECT n,
       'item-' || printf('%05d', n),
       'c' || (r % 7),
       ((r / 7) % 100000) / 100.0 + 0.99,
       (r / 700000) % 97,
       CASE r % 5
         WHEN 0 THEN 'red and ' || (r % 1000)
         WHEN 1 THEN 'blue ' || hex(n)
         WHEN 2 THEN NULL
         WHEN 3 THEN 'green/' || substr('abcdefghijklmnopqrstuvwxyz', 1 + r % 26, 5)
         ELSE 'plain ' || (n * 31 % 997)
       END
FROM seq;

CREATE TABLE orders(
  id INTEGER PRIMARY KEY,
  item_id INTEGER NOT NULL REFERENCES item(id),
  amount INTEGER NOT NULL,
  day INTEGER NOT NULL
);
WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 8000)
INSERT INTO orders(item_id, amount, day)
SELECT 1 + (n * 7919) % 20000, 1 + n % 9, n % 365 FROM seq;

CREATE INDEX item_category_price ON item(category, price);
CREATE UNIQUE INDEX item_name ON item(name);
CREATE INDEX orders_item ON orders(item_id);
ANALYZE;

SELECT 'rows' AS what, (SELECT count(*) FROM item) AS items,
       (SELECT count(*) FROM orders) AS orders;

-- The planner uses the indexes.
EXPLAIN QUERY PLAN
SELECT id, price FROM item WHERE category = 'c3' AND price BETWEEN 100 AND 110;
EXPLAIN QUERY PLAN
SELECT i.name, sum(o.amount) FROM orders o JOIN item i ON i.id = o.item_id
WHERE i.name LIKE 'item-0012%' GROUP BY i.name;

-- Aggregates by group, with a join for the labels.
SELECT c.label, count(*) AS n, printf('%.2f', sum(i.price)) AS total,
       printf('%.4f', avg(i.price)) AS mean, min(i.price) AS lo, max(i.price) AS hi,
       sum(i.qty) AS qty
FROM item i JOIN category c ON c.code = i.category
GROUP BY c.label ORDER BY c.label;

-- An index range scan, ordered by the index.
SELECT id, name, price FROM item
WHERE category = 'c3' AND price BETWEEN 100 AND 110
ORDER BY price, id LIMIT 12;

-- Joins with grouping and HAVING.
SELECT i.category, count(DISTINCT o.item_id) AS items, sum(o.amount) AS amount,
       sum(o.amount * i.price) AS revenue
FROM orders o JOIN item i ON i.id = o.item_id
GROUP BY i.category HAVING sum(o.amount) > 100 ORDER BY revenue DESC;

SELECT i.name, count(*) AS orders, sum(o.amount) AS amount
FROM orders o JOIN item i ON i.id = o.item_id
WHERE i.name LIKE 'item-0012%' GROUP BY i.name ORDER BY i.name;

-- LIKE, GLOB and string functions.
SELECT count(*) AS red FROM item WHERE note LIKE 'red%';
SELECT count(*) AS blue_39x9 FROM item WHERE note LIKE '%blue%39_9%';
SELECT count(*) AS green_glob FROM item WHERE note GLOB 'green/[a-f]*';
SELECT upper(substr(note, 1, 9)) AS prefix, count(*) AS n FROM item
WHERE note IS NOT NULL GROUP BY 1 ORDER BY n DESC, prefix LIMIT 8;

-- The most expensive items per category (a window function).
SELECT category, name, price FROM (
  SELECT category, name, price,
         row_number() OVER (PARTITION BY category ORDER BY price DESC, id) AS rank
  FROM item)
WHERE rank <= 2 ORDER BY category, rank;

-- Floating point through sqlite's own formatting.
SELECT sum(price) AS sum_price, avg(qty) AS avg_qty, total(price * qty) AS stock,
       round(avg(price), 3) AS avg_price, 1.0 / 3 AS third, 2e-7 * 3 AS tiny,
       1e300 * 10 AS big
FROM item;

-- Updates and deletes.
UPDATE item SET price = round(price * 1.1, 2) WHERE category = 'c3';
SELECT changes() AS updated;
DELETE FROM item WHERE qty = 0 AND id NOT IN (SELECT item_id FROM orders);
SELECT changes() AS deleted;
UPDATE item SET note = 'sold out' WHERE qty < 3 AND note IS NULL;
SELECT changes() AS marked;

-- A transaction with a savepoint rolled back, then committed.
BEGIN;
INSERT INTO item(name, category, price, qty, note)
  SELECT 'new-' || name, category, price * 2, qty, 'copy' FROM item WHERE id % 100 = 0;
SELECT changes() AS inserted;
SAVEPOINT half;
DELETE FROM item WHERE note = 'copy' AND category IN ('c0', 'c1');
SELECT count(*) AS copies_left FROM item WHERE note = 'copy';
ROLLBACK TO half;
RELEASE half;
COMMIT;
SELECT count(*) AS copies FROM item WHERE note = 'copy';

-- A transaction rolled back leaves nothing.
BEGIN;
DELETE FROM orders;
UPDATE item SET price = 0;
ROLLBACK;
SELECT (SELECT count(*) FROM orders) AS orders_after_rollback,
       (SELECT count(*) FROM item WHERE price = 0) AS zero_prices;

-- Rebuild the file and check it.
VACUUM;
PRAGMA integrity_check;
PRAGMA foreign_key_check;
SELECT count(*) AS items, sum(qty) AS qty, printf('%.2f', sum(price)) AS price FROM item;
SELECT name, category, price, qty, note FROM item ORDER BY id DESC LIMIT 5;
