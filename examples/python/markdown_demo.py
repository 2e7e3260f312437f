"""The seed's markdown demo in Python over Brisk's wasm.h: the Rust
renderer compiled to WebAssembly gets fd_write and random_get (and the other
WASI imports it names) as host functions; the text goes into the module's
memory through the module's own allocator; render; the HTML comes back;
both buffers are freed.

    BRISK_LIB=bazel-bin/api/c/libbrisk.so python3 examples/python/markdown_demo.py [FILE.md]
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from brisk_wasm import I32, Engine, Func, FuncType, Instance, Module, Store  # noqa: E402

SAMPLE = "# Hello, `.NET`! Welcome to **WebAssembly** with [Wasmtime](https://wasmtime.dev)!"
WASM = os.environ.get("MARKDOWN_WASM", "examples/markdown/markdown_renderer.wasm")
ESUCCESS, EBADF, EFAULT = 0, 8, 21


def main():
    text = open(sys.argv[1], encoding="utf-8").read() if len(sys.argv) > 1 else SAMPLE
    engine = Engine()
    store = Store(engine)
    module = Module(store, open(WASM, "rb").read())
    memory = []  # filled once the instance exists, as the seed's host did

    def mem():
        return memory[0]

    def fd_write(fd, iovs, n, nwritten):
        out = {1: sys.stdout, 2: sys.stderr}.get(fd)
        if out is None:
            return EBADF
        total = 0
        for i in range(n):
            buf, length = struct.unpack("<II", mem().read(iovs + 8 * i, 8))
            out.write(mem().read(buf, length).decode("utf-8", "replace"))
            total += length
        mem().write(nwritten, struct.pack("<I", total))
        return ESUCCESS

    def random_get(buf, length):
        mem().write(buf, os.urandom(length))
        return ESUCCESS

    def environ_sizes_get(count, size):
        mem().write(count, b"\0\0\0\0")
        mem().write(size, b"\0\0\0\0")
        return ESUCCESS

    def proc_exit(code):
        raise RuntimeError("proc_exit(%d)" % code)

    hosts = {
        "fd_write": Func(store, FuncType([I32] * 4, [I32]), fd_write),
        "random_get": Func(store, FuncType([I32] * 2, [I32]), random_get),
        "environ_sizes_get": Func(store, FuncType([I32] * 2, [I32]), environ_sizes_get),
        "environ_get": Func(store, FuncType([I32] * 2, [I32]), lambda a, b: ESUCCESS),
        "proc_exit": Func(store, FuncType([I32], []), proc_exit),
    }
    imports = [hosts[name] for (_, name) in module.imports()]
    instance = Instance(store, module, imports)
    memory.append(instance.exports["memory"])
    ex = instance.exports

    data = text.encode("utf-8")
    in_ptr = ex["alloc"](len(data))
    mem().write(in_ptr & 0xffffffff, data)
    out_ptr = ex["render"](in_ptr, len(data))
    n = ex["output_len"]()
    html = mem().read(out_ptr & 0xffffffff, n).decode("utf-8")
    ex["dealloc"](in_ptr, len(data))
    ex["dealloc"](out_ptr, n)
    sys.stdout.write(html)


if __name__ == "__main__":
    main()
