// The harness's steps for V8 (node), printing the same JSON lines:
//   node [V8 flags] node_harness.js RUNTIME_NAME [--runs N] [--compiles N] FILE.wasm...
const fs = require('fs');
const path = require('path');
const args = process.argv.slice(2);
const name = args.shift();
let runs = 5, compiles = 5, markdownCorpus = null, callsModule = null;
const files = [];
for (let i = 0; i < args.length; ++i) {
  if (args[i] === '--runs') runs = parseInt(args[++i]);
  else if (args[i] === '--compiles') compiles = parseInt(args[++i]);
  else if (args[i] === '--markdown') markdownCorpus = args[++i];
  else if (args[i] === '--calls') callsModule = args[++i];
  else files.push(args[i]);
}
const now = () => Number(process.hrtime.bigint()) / 1e6;
if (callsModule) {
  const inst = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(callsModule)), {host: {inc: (x) => x + 1}});
  const {add, call_host} = inst.exports;
  const n = 1000000;
  let acc = 0, bestIn = Infinity, bestOut = Infinity;
  for (let rep = 0; rep < 5; ++rep) {
    let t0 = now();
    for (let i = 0; i < n; ++i) acc = add(acc, 1);
    bestIn = Math.min(bestIn, now() - t0);
    t0 = now();
    acc += call_host(n);
    bestOut = Math.min(bestOut, now() - t0);
  }
  console.log(JSON.stringify({runtime: name, module: 'calls', host_to_wasm_ns: bestIn * 1e6 / n, wasm_to_host_ns: bestOut * 1e6 / n, acc}));
  process.exit(0);
}
if (markdownCorpus) {
  const module = new WebAssembly.Module(fs.readFileSync(files[0]));
  let memory = null;
  const wasi = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    wasi[imp.name] = (...a) => {
      if (imp.name === 'random_get') { const m = new Uint8Array(memory.buffer, a[0], a[1]); for (let i = 0; i < a[1]; ++i) m[i] = (i * 131 + 7) & 255; }
      if (imp.name === 'environ_sizes_get') { const v = new DataView(memory.buffer); v.setUint32(a[0], 0, true); v.setUint32(a[1], 0, true); }
      return 0;
    };
  }
  const inst = new WebAssembly.Instance(module, {wasi_snapshot_preview1: wasi});
  memory = inst.exports.memory;
  const {alloc, dealloc, render, output_len} = inst.exports;
  const corpus = fs.readFileSync(markdownCorpus);
  let docs = 0, out = 0;
  const t0 = now();
  for (let r = 0; r < runs; ++r) {
    let pos = 0;
    while (pos < corpus.length) {
      const nl = corpus.indexOf(10, pos);
      const len = parseInt(corpus.toString('latin1', pos, nl));
      pos = nl + 1;
      const p = alloc(len);
      new Uint8Array(memory.buffer, p, len).set(corpus.subarray(pos, pos + len));
      const o = render(p, len);
      const n = output_len();
      out += n;
      dealloc(p, len);
      dealloc(o, n);
      pos += len;
      ++docs;
    }
  }
  console.log(JSON.stringify({runtime: name, module: 'markdown', docs_per_s: docs / ((now() - t0) / 1e3), docs, html_bytes: out}));
  process.exit(0);
}
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (v) => { v.sort((a, b) => a - b); const n = v.length; return n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2; };
for (const file of files) {
  const bytes = fs.readFileSync(file);
  const times = [], cpuTimes = [];
  let module;
  for (let i = 0; i < compiles; ++i) {
    // A distinct custom section per copy defeats V8's module cache.
    const tag = Buffer.from('bench' + i);
    const copy = Buffer.concat([bytes, Buffer.from([0, tag.length + 1, tag.length]), tag]);
    const t0 = process.hrtime.bigint(), c0 = process.cpuUsage();  // the process's CPU: every thread
    module = new WebAssembly.Module(copy);
    times.push(ms(t0));
    const c = process.cpuUsage(c0);
    cpuTimes.push((c.user + c.system) / 1e3);
  }
  const compile = median(times), compileCpu = median(cpuTimes);
  let t0 = process.hrtime.bigint();
  if (WebAssembly.Module.imports(module).length) {  // a WASI program: compile figures only
    console.log(JSON.stringify({runtime: name, module: path.basename(file), bytes: bytes.length, compile_ms: compile,
                                compile_cpu_ms: compileCpu, peak_rss_kb: process.resourceUsage().maxRSS}));
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
                              compile_cpu_ms: compileCpu, instantiate_ms: instantiate, run_ms: median(rt), run_best_ms: best, result}));
}
