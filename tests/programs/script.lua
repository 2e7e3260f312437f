-- Exercises the interpreter and file I/O through a preopen: tables, strings,
-- closures, string.format, io.open/io.lines, os.time. (No coroutine yields
-- and no errors: both longjmp, which this WASI build turns into abort.)
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
local t = {}
for i = 1, 20 do t[#t + 1] = fib(i) end
print(table.concat(t, " "))
local words = {}
for w in ("the quick brown fox jumps over the lazy dog"):gmatch("%a+") do words[#words + 1] = w:upper() end
table.sort(words)
print(table.concat(words, ","))
local function counter() local c = 0 return function() c = c + 10 return c end end
local next_count = counter()
print(next_count(), next_count(), next_count())
local f = assert(io.open("data.txt", "w"))
for i = 1, 50 do f:write(string.format("%d\t%.4f\t%s\n", i, math.sin(i), string.rep("x", i % 7))) end
f:close()
local n, sum = 0, 0
for line in io.lines("data.txt") do
  local a, b = line:match("^(%d+)\t(%S+)")
  n, sum = n + 1, sum + tonumber(a) + tonumber(b)
end
print(n, string.format("%.6f", sum))
print(#arg, arg[1], arg[2])
print(type(os.time()), math.maxinteger, 7 // 2, 7 % -3, 2^10)
