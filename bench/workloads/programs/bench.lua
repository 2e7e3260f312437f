-- A CPU-bound Lua workload: recursion, tables, strings, closures.
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
local t = {}
for i = 1, 200000 do t[i] = (i * 7919) % 100003 end
table.sort(t)
local parts = {}
for i = 1, 20000 do parts[#parts + 1] = string.format("%05d", t[i * 10] % 100000) end
local s = table.concat(parts, ",")
local count = 0
for _ in s:gmatch("0%d%d") do count = count + 1 end
print(fib(27), t[1], t[#t], #s, count)
