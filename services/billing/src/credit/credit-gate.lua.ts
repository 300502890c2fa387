/**
 * The credit gate's state for one account, read and written only by these scripts (each one atomic in Redis):
 *   hash  {<prefix>{<account>}}      b  balance (micro-USD) of the newest snapshot taken from Postgres
 *                                   s  that snapshot's accounts.balance_seq
 *                                   r  sum of live reservations (micro-USD)
 *                                   x:<id>  one reservation's amount
 *   zset  {<prefix>{<account>}}:exp  reservation ids scored by expiry (Redis server time, ms)
 * Both keys share the account as hash tag, so a cluster keeps them on one node.
 *
 * Amounts are integer strings and change through HINCRBY (exact 64-bit integers in Redis); Lua compares them as
 * doubles, exact below 2^53 micro-USD (nine billion dollars). A reservation whose usage event never came is purged
 * at its expiry. Snapshots only move forward: one with a lower seq than the stored one is ignored.
 */
const prelude = `
local hash, exp = KEYS[1], KEYS[2]
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
-- An idle account's state is dropped after a day (longer than any reservation); the next request brings a snapshot.
local IDLE_MS = 86400000

local function int(x) return string.format('%.0f', x) end

local function release(id)
  local amount = redis.call('HGET', hash, 'x:' .. id)
  if amount then
    redis.call('HINCRBY', hash, 'r', '-' .. amount)
    redis.call('HDEL', hash, 'x:' .. id)
  end
  redis.call('ZREM', exp, id)
end

local function purge_expired()
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', exp, '-inf', now)) do release(id) end
end

local function take_snapshot(balance, seq)
  if seq == '' then return end
  local stored = redis.call('HGET', hash, 's')
  if stored == false or tonumber(seq) > tonumber(stored) then redis.call('HSET', hash, 'b', balance, 's', seq) end
end

local function available()
  return tonumber(redis.call('HGET', hash, 'b')) - tonumber(redis.call('HGET', hash, 'r') or '0')
end

local function keep()
  redis.call('PEXPIRE', hash, IDLE_MS)
  redis.call('PEXPIRE', exp, IDLE_MS)
end
`;

/**
 * ARGV reservation id, amount, ttl ms, snapshot balance, snapshot seq ('' for none).
 * Returns {1 allowed | 0 refused | -1 no balance known, available after the decision}. Authorizing an id that holds
 * a reservation already answers allowed without reserving twice (a retried call).
 */
const authorize = `${prelude}
local id, amount, ttl = ARGV[1], ARGV[2], tonumber(ARGV[3])
purge_expired()
take_snapshot(ARGV[4], ARGV[5])
if redis.call('HEXISTS', hash, 'b') == 0 then return {-1, '0'} end
local free = available()
if tonumber(amount) == 0 or redis.call('HEXISTS', hash, 'x:' .. id) == 1 then return {1, int(free)} end
if free < tonumber(amount) then return {0, int(free)} end
redis.call('HSET', hash, 'x:' .. id, amount)
redis.call('HINCRBY', hash, 'r', amount)
redis.call('ZADD', exp, now + ttl, id)
keep()
return {1, int(free - tonumber(amount))}
`;

/** ARGV reservation id, new amount ('0' releases). A reservation already gone (settled, expired) stays gone. */
const adjust = `${prelude}
local id, amount = ARGV[1], ARGV[2]
local old = redis.call('HGET', hash, 'x:' .. id)
if not old then return 0 end
if tonumber(amount) == 0 then
  release(id)
else
  redis.call('HINCRBY', hash, 'r', int(tonumber(amount) - tonumber(old)))
  redis.call('HSET', hash, 'x:' .. id, amount)
end
return 1
`;

/**
 * ARGV snapshot balance, snapshot seq, then the ids of the reservations the snapshot's ledger debits settled.
 * The debits and the release land in one step, so the gate never counts a request both ways, nor neither.
 */
const settle = `${prelude}
take_snapshot(ARGV[1], ARGV[2])
for i = 3, #ARGV do release(ARGV[i]) end
purge_expired()
if redis.call('HEXISTS', hash, 'b') == 1 then keep() end
return 1
`;

export const creditGateScripts = { authorize, adjust, settle } as const;
