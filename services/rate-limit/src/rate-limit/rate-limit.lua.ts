/**
 * The rate-limit state of one API key is one Redis hash holding two continuous-refill token buckets:
 *   r, rt  request bucket: level (requests, fractional) and when it was stored (Redis server time, microseconds)
 *   t, tt  token bucket:   level (tokens, fractional) and when it was stored
 * A missing level means a full bucket. A bucket of capacity L (the per-minute limit) refills at L/60 per second, and
 * the hash expires when every bucket in it would be full again, so idle keys vanish.
 *
 * Time is Redis's own (TIME), never the caller's, so every replica decides on the same clock. Scripts that call TIME
 * and then write are replicated by effects (the default since Redis 5, the only mode since 7).
 *
 * Levels are written with %.17g (exact double round trip) and timestamps with %.0f: Lua 5.1's default number format
 * (%.14g) would round a 16-digit microsecond timestamp.
 */
const prelude = `
local MINUTE_US = 60000000
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local stamp = string.format('%.0f', now)

-- A bucket's level now: its stored level plus limit/60 per second since it was stored, capped at the limit.
local function refill(level, at, limit)
  level = tonumber(level)
  at = tonumber(at)
  if level == nil or at == nil then return limit end
  local elapsed = now - at
  if elapsed < 0 then elapsed = 0 end
  level = level + elapsed * limit / MINUTE_US
  if level > limit then return limit end
  return level
end

-- Microseconds until a bucket of capacity limit, now at level, holds need.
local function wait_us(need, level, limit)
  if level >= need then return 0 end
  return math.ceil((need - level) * MINUTE_US / limit)
end

local function num(value) return string.format('%.17g', value) end
`;

/**
 * KEYS[1] the key's hash; ARGV requests per minute, tokens per minute, estimated tokens (a limit of 0 = unlimited).
 * Returns {allowed (1|0), request level, token level, wait in microseconds (0 when allowed)}.
 * Both buckets are checked before either is touched: a denied request consumes nothing and writes nothing.
 */
const admit = `${prelude}
local rpm = tonumber(ARGV[1])
local tpm = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'r', 'rt', 't', 'tt')

local requests, tokens, wait = 0, 0, 0
if rpm > 0 then
  requests = refill(state[1], state[2], rpm)
  wait = math.max(wait, wait_us(1, requests, rpm))
end
if tpm > 0 then
  tokens = refill(state[3], state[4], tpm)
  if cost > tpm then
    -- Can never fit: the documented answer is "retry in a minute" (the caller must lower max tokens).
    wait = math.max(wait, MINUTE_US)
  else
    wait = math.max(wait, wait_us(cost, tokens, tpm))
  end
end
if wait > 0 then
  return {0, num(requests), num(tokens), wait}
end

-- Store every limited bucket at the same instant (refilling is composable, so rewriting an untouched one is exact).
local fields = {}
local full_in = 0
if rpm > 0 then
  requests = requests - 1
  table.insert(fields, 'r'); table.insert(fields, num(requests))
  table.insert(fields, 'rt'); table.insert(fields, stamp)
  full_in = math.max(full_in, wait_us(rpm, requests, rpm))
end
if tpm > 0 then
  tokens = tokens - cost
  table.insert(fields, 't'); table.insert(fields, num(tokens))
  table.insert(fields, 'tt'); table.insert(fields, stamp)
  full_in = math.max(full_in, wait_us(tpm, tokens, tpm))
end
local ttl_ms = math.ceil(full_in / 1000)
if ttl_ms > 0 then
  redis.call('HSET', KEYS[1], unpack(fields))
  redis.call('PEXPIRE', KEYS[1], ttl_ms)
else
  -- Every limited bucket is full (nothing was taken): a full bucket is an absent one.
  redis.call('DEL', KEYS[1])
end
return {1, num(requests), num(tokens), 0}
`;

/**
 * KEYS[1] the key's hash; ARGV tokens per minute (> 0), token delta (real minus estimated).
 * The token level moves by -delta and is clamped to [0, limit]: usage beyond an empty bucket is not carried as debt,
 * and tokens given back never exceed the capacity. Returns the token level after.
 */
const settle = `${prelude}
local tpm = tonumber(ARGV[1])
local delta = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 't', 'tt')

local tokens = refill(state[1], state[2], tpm) - delta
if tokens < 0 then tokens = 0 end
if tokens > tpm then tokens = tpm end

-- The key lives until its slowest bucket is full: keep the request bucket's existing expiry if it is longer.
local existing = redis.call('PTTL', KEYS[1])
local ttl_ms = math.max(existing, math.ceil(wait_us(tpm, tokens, tpm) / 1000), 1)
redis.call('HSET', KEYS[1], 't', num(tokens), 'tt', stamp)
redis.call('PEXPIRE', KEYS[1], ttl_ms)
return num(tokens)
`;

export const rateLimitScripts = { admit, settle } as const;
