-- Desired schema of the orders database (declarative: the Atlas Operator diffs the database
-- against this file and applies the difference). Drops are never planned unless the
-- SchemaMigration sets allowDestructiveChanges.

CREATE TABLE customers (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email       text        NOT NULL,
  name        text        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT customers_email_key UNIQUE (email)
);

CREATE TABLE orders (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id  bigint      NOT NULL REFERENCES customers (id),
  status       text        NOT NULL DEFAULT 'pending',
  total_cents  bigint      NOT NULL,
  currency     char(3)     NOT NULL DEFAULT 'EUR',
  placed_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT orders_status_check CHECK (status IN ('pending', 'paid', 'shipped', 'cancelled')),
  CONSTRAINT orders_total_check CHECK (total_cents >= 0)
);

CREATE INDEX orders_customer_idx ON orders (customer_id, placed_at DESC);

CREATE TABLE order_items (
  order_id          bigint  NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  line              integer NOT NULL,
  sku               text    NOT NULL,
  quantity          integer NOT NULL,
  unit_price_cents  bigint  NOT NULL,
  PRIMARY KEY (order_id, line),
  CONSTRAINT order_items_quantity_check CHECK (quantity > 0)
);
