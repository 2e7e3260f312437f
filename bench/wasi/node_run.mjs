// Runs a WASI command with Node's WASI: node node_run.mjs FILE.wasm HOST_DIR [ARGS...]
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';
const wasi = new WASI({ version: 'preview1', args: [process.argv[2], ...process.argv.slice(4)], preopens: { '/': process.argv[3] } });
const mod = await WebAssembly.compile(readFileSync(process.argv[2]));
const inst = await WebAssembly.instantiate(mod, wasi.getImportObject());
wasi.start(inst);
