// The harness's steps for V8 (node), printing the same JSON lines:
//   node [V8 flags] node_harness.js RUNTIME_NAME [--runs N] [--compiles N] FILE.wasm...
const fs = require('fs');
const path = require('path');
const args = process.argv.slice(2);
const name = args.shift();
let runs = 5, compiles = 5;
const files = [];
for (let i = 0; i < args.length; ++i) {
  if (args[i] === '--runs') runs = parseInt(args[++i]);
  else if (args[i] === '--compiles') compiles = parseInt(args[++i]);
  else files.push(args[i]);
}
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (v) => { v.sort((a, b) => a - b); const n = v.length; return n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2; };
for (const file of files) {
  const bytes = fs.readFileSync(file);
  const times = [];
  let module;
  for (let i = 0; i < compiles; ++i) {
    // A distinct custom section per copy defeats V8's module cache.
    const tag = Buffer.from('bench' + i);
    const copy = Buffer.concat([bytes, Buffer.from([0, tag.length + 1, tag.length]), tag]);
    const t0 = process.hrtime.bigint();
    module = new WebAssembly.Module(copy);
    times.push(ms(t0));
  }
  const compile = median(times);
  let t0 = process.hrtime.bigint();
  if (WebAssembly.Module.imports(module).length) {  // a WASI program: compile figures only
    console.log(JSON.stringify({runtime: name, module: path.basename(file), bytes: bytes.length, compile_ms: compile}));
    continue;
  }
  const instance = new WebAssembly.Instance(module, {});
  const instantiate = ms(t0);
  const run = instance.exports.run;
  const rt = [];
  let result = 0, best = Infinity;
  for (let i = 0; i < runs + 1; ++i) {
    t0 = process.hrtime.bigint();
    result = run();
    const e = ms(t0);
    if (i > 0) { rt.push(e); best = Math.min(best, e); }
  }
  console.log(JSON.stringify({runtime: name, module: path.basename(file), bytes: bytes.length, compile_ms: compile,
                              instantiate_ms: instantiate, run_ms: median(rt), run_best_ms: best, result}));
}
