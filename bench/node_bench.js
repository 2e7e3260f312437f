// The same measurement as bench.cc, for V8 (run by compare.sh with Liftoff-only
// or TurboFan-only flags). Output lines match bench.cc's.
const fs = require('fs');
const path = require('path');
let runs = 5;
const files = [];
for (const a of process.argv.slice(2)) {
  if (a.startsWith('--runs=')) runs = parseInt(a.slice(7));
  else files.push(a);
}
for (const file of files) {
  const bytes = fs.readFileSync(file);
  let bestCompile = Infinity;
  let module;
  const budget = process.hrtime.bigint() + 3000000000n;  // at most ~3 s of compiling
  for (let i = 0; i < 200 && (i < 3 || process.hrtime.bigint() < budget); ++i) {
    // A distinct custom section per copy defeats V8's native module cache.
    const tag = Buffer.from('bench' + i);
    const copy = Buffer.concat([bytes, Buffer.from([0, tag.length + 1, tag.length]), tag]);
    const t0 = process.hrtime.bigint();
    module = new WebAssembly.Module(copy);
    const t1 = process.hrtime.bigint();
    bestCompile = Math.min(bestCompile, Number(t1 - t0) / 1e6);
  }
  const instance = new WebAssembly.Instance(module, {});
  const run = instance.exports.run;
  let best = Infinity;
  let result = 0;
  for (let i = 0; i < runs + 1; ++i) {
    const t0 = process.hrtime.bigint();
    result = run();
    const t1 = process.hrtime.bigint();
    if (i > 0) best = Math.min(best, Number(t1 - t0) / 1e6);
  }
  console.log(`${path.basename(file)} run_ms=${best.toFixed(3)} compile_ms=${bestCompile.toFixed(4)} bytes=${bytes.length} result=${result}`);
}
