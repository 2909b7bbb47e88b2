/**
 * Lua scripts for the operations that must be atomic across every detector
 * process sharing one Redis. Each runs in one round trip.
 */

/**
 * The window add as a Lua function `windowAdd(key, at, member, cutoff, ttl)`:
 * old members are dropped before the add, so a member seen again after it
 * left the window counts again instead of being mistaken for a replay. A
 * member seen again within the window moves to its latest sighting (GT: a
 * late one never moves it back), so one in constant use never leaves it.
 *
 * The count is that of the fullest window of this length holding `at`. In
 * order, that is (at - windowMs, at]. A late event (members already lie
 * after it, as when one partition is handled behind the others) also counts
 * with them, so the event completing an incident raises it whichever order
 * the incident's events were handled in.
 */
const WINDOW_ADD_FUNCTION = `
local function windowAdd(key, at, member, cutoff, ttl)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', cutoff)
  local added = redis.call('ZADD', key, 'GT', at, member)
  local count = redis.call('ZCOUNT', key, '(' .. cutoff, at)
  local t = tonumber(at)
  local width = t - tonumber(cutoff)
  if redis.call('ZCOUNT', key, '(' .. at, '(' .. (t + width)) > 0 then
    local flat = redis.call('ZRANGEBYSCORE', key, '(' .. cutoff, '(' .. (t + width), 'WITHSCORES')
    local times = {}
    for i = 2, #flat, 2 do times[#times + 1] = tonumber(flat[i]) end
    local first = 1
    for last = 1, #times do
      while times[first] <= times[last] - width do first = first + 1 end
      if times[last] >= t and (last == #times or times[last + 1] ~= times[last]) and last - first + 1 > count then
        count = last - first + 1
      end
    end
  end
  redis.call('PEXPIRE', key, ttl)
  return {count, added}
end
`;

/** KEYS[1] window; ARGV: at, member, cutoff (at - windowMs), ttlMs. */
export const WINDOW_ADD = `${WINDOW_ADD_FUNCTION}
return windowAdd(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4])
`;

/** KEYS[1] value; ARGV: expectAbsent ('1' or '0'), expected, next, ttlMs. */
export const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if current then return 0 end
elseif current ~= ARGV[2] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
return 1
`;

/**
 * KEYS[1] counter; ARGV: by, ttlMs. The expiry is set only when the counter is
 * created: a new value equal to the increment means it started from nothing
 * (or from zero, which only negative increments can bring back: none do).
 */
export const INCREMENT = `
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if value == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return value
`;

export interface StateScripts {
  windowAdd(key: string, at: number, member: string, cutoff: number, ttlMs: number): Promise<[number, number]>;
  compareAndSet(key: string, expectAbsent: '1' | '0', expected: string, next: string, ttlMs: number): Promise<number>;
  increment(key: string, by: number, ttlMs: number): Promise<number>;
}

export const SCRIPT_DEFINITIONS: Record<keyof StateScripts, string> = {
  windowAdd: WINDOW_ADD,
  compareAndSet: COMPARE_AND_SET,
  increment: INCREMENT,
};

/**
 * StateStore.execute: many operations in one round trip. KEYS holds one key
 * per operation; ARGV holds, per operation, its code then its arguments (a
 * fixed number per code). Each operation runs under pcall, so a failing one
 * (a key of the wrong type) answers an error in its place and the rest run.
 * Lua returns false for "no value", which Redis sends as nil.
 */
export const EXECUTE_BATCH = `${WINDOW_ADD_FUNCTION}
local function windowRecord(key, at, member, cutoff, ttl)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', cutoff)
  local added = redis.call('ZADD', key, 'GT', at, member)
  redis.call('PEXPIRE', key, ttl)
  return added
end
local function windowRange(key, from, to, limit)
  if limit == '' then return redis.call('ZRANGEBYSCORE', key, from, to, 'WITHSCORES') end
  return redis.call('ZRANGEBYSCORE', key, from, to, 'WITHSCORES', 'LIMIT', 0, limit)
end
local function increment(key, by, ttl)
  local value = redis.call('INCRBY', key, by)
  if value == tonumber(by) then redis.call('PEXPIRE', key, ttl) end
  return value
end
local function keepFirst(key, value, ttl)
  if redis.call('SET', key, value, 'PX', ttl, 'NX') then return false end
  return redis.call('GET', key)
end
local function call(...)
  return redis.call(...)
end
local results = {}
local a = 1
for i = 1, #KEYS do
  local key = KEYS[i]
  local code = ARGV[a]
  local ok, value
  if code == 'A' then
    ok, value = pcall(windowAdd, key, ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4]); a = a + 5
  elseif code == 'P' then
    ok, value = pcall(windowRecord, key, ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4]); a = a + 5
  elseif code == 'R' then
    ok, value = pcall(windowRange, key, ARGV[a + 1], ARGV[a + 2], ARGV[a + 3]); a = a + 4
  elseif code == 'G' then
    ok, value = pcall(call, 'GET', key); a = a + 1
  elseif code == 'S' then
    ok, value = pcall(call, 'SET', key, ARGV[a + 1], 'PX', ARGV[a + 2]); a = a + 3
    if ok then value = false end
  elseif code == 'D' then
    ok, value = pcall(call, 'DEL', key); a = a + 1
    if ok then value = false end
  elseif code == 'I' then
    ok, value = pcall(increment, key, ARGV[a + 1], ARGV[a + 2]); a = a + 3
  elseif code == 'K' then
    ok, value = pcall(keepFirst, key, ARGV[a + 1], ARGV[a + 2]); a = a + 3
  elseif code == 'W' then
    ok, value = pcall(call, 'SET', key, ARGV[a + 1], 'PX', ARGV[a + 2], 'GET'); a = a + 3
  else
    return redis.error_reply('unknown state operation code ' .. tostring(code))
  end
  if ok then
    results[i] = value
  else
    results[i] = redis.error_reply(type(value) == 'table' and value.err or tostring(value))
  end
end
return results
`;
