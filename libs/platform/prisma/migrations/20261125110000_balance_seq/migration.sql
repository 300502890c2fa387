-- A counter that moves with every change of an account's balance, so that copies of the balance held elsewhere
-- (the credit gate's reservations in Redis) can tell a newer snapshot from an older one.
ALTER TABLE "accounts" ADD COLUMN "balance_seq" BIGINT NOT NULL DEFAULT 0;

-- Bumped by the database itself, under the row lock of the update: no writer can forget it, and two concurrent
-- writers get distinct, ordered values. The body is a U& literal with \003B for each semicolon, because Prisma's
-- migration runner splits a script at every semicolon, dollar quotes or not.
CREATE FUNCTION "bump_balance_seq"() RETURNS trigger LANGUAGE plpgsql
  AS U&'BEGIN NEW.balance_seq := OLD.balance_seq + 1\003B RETURN NEW\003B END';

CREATE TRIGGER "accounts_balance_seq"
  BEFORE UPDATE OF "balance_micros" ON "accounts"
  FOR EACH ROW WHEN (OLD.balance_micros IS DISTINCT FROM NEW.balance_micros)
  EXECUTE FUNCTION "bump_balance_seq"();
