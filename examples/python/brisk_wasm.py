"""A small Python binding for Brisk through the standard C API (wasm.h) of
libbrisk.so, with ctypes and nothing else.

    engine = Engine()
    store = Store(engine)
    module = Module(store, open("m.wasm", "rb").read())
    add = Func(store, FuncType([I32, I32], [I32]), lambda a, b: a + b)
    instance = Instance(store, module, [add])
    instance.exports["run"](1, 2)
"""
import ctypes
import os

I32, I64, F32, F64, EXTERNREF, FUNCREF = 0, 1, 2, 3, 128, 129
EXTERN_FUNC, EXTERN_GLOBAL, EXTERN_TABLE, EXTERN_MEMORY = 0, 1, 2, 3


def _load():
    path = os.environ.get("BRISK_LIB", "libbrisk.so")
    return ctypes.CDLL(path)


lib = _load()
P = ctypes.c_void_p


class wasm_byte_vec_t(ctypes.Structure):
    _fields_ = [("size", ctypes.c_size_t), ("data", ctypes.POINTER(ctypes.c_char))]


class _Of(ctypes.Union):
    _fields_ = [("i32", ctypes.c_int32), ("i64", ctypes.c_int64), ("f32", ctypes.c_float),
                ("f64", ctypes.c_double), ("ref", P)]


class wasm_val_t(ctypes.Structure):
    _fields_ = [("kind", ctypes.c_uint8), ("of", _Of)]


class wasm_val_vec_t(ctypes.Structure):
    _fields_ = [("size", ctypes.c_size_t), ("data", ctypes.POINTER(wasm_val_t))]


class wasm_ptr_vec_t(ctypes.Structure):  # every vector of pointers has this layout
    _fields_ = [("size", ctypes.c_size_t), ("data", ctypes.POINTER(P))]


CALLBACK = ctypes.CFUNCTYPE(P, P, ctypes.POINTER(wasm_val_vec_t), ctypes.POINTER(wasm_val_vec_t))
FINALIZER = ctypes.CFUNCTYPE(None, P)


def _sig(name, res, *args):
    f = getattr(lib, name)
    f.restype = res
    f.argtypes = list(args)
    return f


_sig("wasm_engine_new", P)
_sig("wasm_engine_delete", None, P)
_sig("wasm_store_new", P, P)
_sig("wasm_store_delete", None, P)
_sig("wasm_byte_vec_new", None, ctypes.POINTER(wasm_byte_vec_t), ctypes.c_size_t, ctypes.c_char_p)
_sig("wasm_byte_vec_delete", None, ctypes.POINTER(wasm_byte_vec_t))
_sig("wasm_module_new", P, P, ctypes.POINTER(wasm_byte_vec_t))
_sig("wasm_module_delete", None, P)
_sig("wasm_module_serialize", None, P, ctypes.POINTER(wasm_byte_vec_t))
_sig("wasm_module_deserialize", P, P, ctypes.POINTER(wasm_byte_vec_t))
_sig("wasm_module_imports", None, P, ctypes.POINTER(wasm_ptr_vec_t))
_sig("wasm_importtype_vec_delete", None, ctypes.POINTER(wasm_ptr_vec_t))
_sig("wasm_importtype_module", ctypes.POINTER(wasm_byte_vec_t), P)
_sig("wasm_importtype_name", ctypes.POINTER(wasm_byte_vec_t), P)
_sig("wasm_valtype_new", P, ctypes.c_uint8)
_sig("wasm_valtype_vec_new", None, ctypes.POINTER(wasm_ptr_vec_t), ctypes.c_size_t, ctypes.POINTER(P))
_sig("wasm_functype_new", P, ctypes.POINTER(wasm_ptr_vec_t), ctypes.POINTER(wasm_ptr_vec_t))
_sig("wasm_functype_delete", None, P)
_sig("wasm_func_new_with_env", P, P, P, CALLBACK, P, P)
_sig("wasm_func_delete", None, P)
_sig("wasm_func_as_extern", P, P)
_sig("wasm_func_result_arity", ctypes.c_size_t, P)
_sig("wasm_func_call", P, P, ctypes.POINTER(wasm_val_vec_t), ctypes.POINTER(wasm_val_vec_t))
_sig("wasm_instance_new", P, P, P, ctypes.POINTER(wasm_ptr_vec_t), ctypes.POINTER(P))
_sig("wasm_instance_delete", None, P)
_sig("wasm_instance_exports", None, P, ctypes.POINTER(wasm_ptr_vec_t))
_sig("wasm_extern_vec_delete", None, ctypes.POINTER(wasm_ptr_vec_t))
_sig("wasm_module_exports", None, P, ctypes.POINTER(wasm_ptr_vec_t))
_sig("wasm_exporttype_vec_delete", None, ctypes.POINTER(wasm_ptr_vec_t))
_sig("wasm_exporttype_name", ctypes.POINTER(wasm_byte_vec_t), P)
_sig("wasm_extern_kind", ctypes.c_uint8, P)
_sig("wasm_extern_copy", P, P)
_sig("wasm_extern_delete", None, P)
_sig("wasm_extern_as_func", P, P)
_sig("wasm_extern_as_memory", P, P)
_sig("wasm_memory_data", ctypes.POINTER(ctypes.c_ubyte), P)
_sig("wasm_memory_data_size", ctypes.c_size_t, P)
_sig("wasm_trap_new", P, P, ctypes.POINTER(wasm_byte_vec_t))
_sig("wasm_trap_message", None, P, ctypes.POINTER(wasm_byte_vec_t))
_sig("wasm_trap_delete", None, P)


class WasmError(Exception):
    pass


class Trap(WasmError):
    pass


def _trap_text(trap):
    msg = wasm_byte_vec_t()
    lib.wasm_trap_message(trap, ctypes.byref(msg))
    text = ctypes.string_at(msg.data, msg.size).rstrip(b"\0").decode()
    lib.wasm_byte_vec_delete(ctypes.byref(msg))
    lib.wasm_trap_delete(trap)
    return text


def _name(vec_ptr):
    v = vec_ptr.contents
    return ctypes.string_at(v.data, v.size).decode()


def _to_c(kind, value, out):
    out.kind = kind
    if kind == I32:
        out.of.i32 = ctypes.c_int32(int(value)).value
    elif kind == I64:
        out.of.i64 = ctypes.c_int64(int(value)).value
    elif kind == F32:
        out.of.f32 = float(value)
    elif kind == F64:
        out.of.f64 = float(value)
    else:
        raise WasmError("references are not supported by this binding")


def _from_c(v):
    return {I32: lambda: v.of.i32, I64: lambda: v.of.i64, F32: lambda: v.of.f32, F64: lambda: v.of.f64}.get(
        v.kind, lambda: None)()


class Engine:
    def __init__(self):
        self._ptr = lib.wasm_engine_new()

    def __del__(self):
        if getattr(self, "_ptr", None):
            lib.wasm_engine_delete(self._ptr)


class Store:
    def __init__(self, engine):
        self.engine = engine  # keeps the engine alive
        self._ptr = lib.wasm_store_new(engine._ptr)
        self._keep = []       # callbacks that must outlive the store's functions

    def __del__(self):
        if getattr(self, "_ptr", None):
            lib.wasm_store_delete(self._ptr)


class Module:
    def __init__(self, store, data, serialized=False):
        vec = wasm_byte_vec_t()
        lib.wasm_byte_vec_new(ctypes.byref(vec), len(data), data)
        make = lib.wasm_module_deserialize if serialized else lib.wasm_module_new
        self._ptr = make(store._ptr, ctypes.byref(vec))
        lib.wasm_byte_vec_delete(ctypes.byref(vec))
        if not self._ptr:
            raise WasmError("the module does not compile" if not serialized else "cannot load the module")
        self.store = store

    def imports(self):
        v = wasm_ptr_vec_t()
        lib.wasm_module_imports(self._ptr, ctypes.byref(v))
        out = [(_name(lib.wasm_importtype_module(v.data[i])), _name(lib.wasm_importtype_name(v.data[i])))
               for i in range(v.size)]
        lib.wasm_importtype_vec_delete(ctypes.byref(v))
        return out

    def serialize(self):
        vec = wasm_byte_vec_t()
        lib.wasm_module_serialize(self._ptr, ctypes.byref(vec))
        data = ctypes.string_at(vec.data, vec.size)
        lib.wasm_byte_vec_delete(ctypes.byref(vec))
        return data

    def __del__(self):
        if getattr(self, "_ptr", None):
            lib.wasm_module_delete(self._ptr)


class FuncType:
    def __init__(self, params, results):
        self.params, self.results = list(params), list(results)

    def _make(self):
        def vec(kinds):
            arr = (P * max(1, len(kinds)))(*[lib.wasm_valtype_new(k) for k in kinds])
            v = wasm_ptr_vec_t()
            lib.wasm_valtype_vec_new(ctypes.byref(v), len(kinds), arr)
            return v
        p, r = vec(self.params), vec(self.results)
        return lib.wasm_functype_new(ctypes.byref(p), ctypes.byref(r))


class Func:
    """A host function: `fn(*args)` returns None, a value or a tuple; an
    exception traps with its message."""

    def __init__(self, store, ftype, fn):
        self.store, self.type = store, ftype
        store_ptr = store._ptr

        def trampoline(env, args, results):
            try:
                vals = [_from_c(args.contents.data[i]) for i in range(args.contents.size)]
                out = fn(*vals)
                if out is None:
                    out = ()
                elif not isinstance(out, tuple):
                    out = (out,)
                if len(out) != len(ftype.results):
                    raise WasmError("host function returned %d values, expected %d" % (len(out), len(ftype.results)))
                for i, kind in enumerate(ftype.results):
                    _to_c(kind, out[i], results.contents.data[i])
                return None
            except Exception as e:  # becomes a Wasm trap, never a crash
                text = str(e).encode() + b"\0"
                msg = wasm_byte_vec_t()
                lib.wasm_byte_vec_new(ctypes.byref(msg), len(text), text)
                trap = lib.wasm_trap_new(store_ptr, ctypes.byref(msg))
                lib.wasm_byte_vec_delete(ctypes.byref(msg))
                return trap

        self._cb = CALLBACK(trampoline)
        store._keep.append(self._cb)
        t = ftype._make()
        self._ptr = lib.wasm_func_new_with_env(store._ptr, t, self._cb, None, None)
        lib.wasm_functype_delete(t)
        if not self._ptr:
            raise WasmError("cannot create the function")
        self._extern = lib.wasm_func_as_extern(self._ptr)


class ExportedFunc:
    def __init__(self, instance, ext):
        self._instance = instance  # keeps the objects alive
        self._ptr = lib.wasm_extern_as_func(ext)
        self._nres = lib.wasm_func_result_arity(self._ptr)

    def __call__(self, *args, kinds=None):
        kinds = kinds or [I32] * len(args)
        a = (wasm_val_t * max(1, len(args)))()
        for i, v in enumerate(args):
            _to_c(kinds[i], v, a[i])
        r = (wasm_val_t * max(1, self._nres))()
        av = wasm_val_vec_t(len(args), a)
        rv = wasm_val_vec_t(self._nres, r)
        trap = lib.wasm_func_call(self._ptr, ctypes.byref(av), ctypes.byref(rv))
        if trap:
            raise Trap(_trap_text(trap))
        out = [_from_c(r[i]) for i in range(self._nres)]
        return None if not out else out[0] if len(out) == 1 else tuple(out)


class ExportedMemory:
    def __init__(self, instance, ext):
        self._instance = instance
        self._ptr = lib.wasm_extern_as_memory(ext)

    def size(self):
        return lib.wasm_memory_data_size(self._ptr)

    def _check(self, addr, n):
        if addr < 0 or n < 0 or addr + n > self.size():
            raise WasmError("memory access [%d, +%d) is outside the memory" % (addr, n))

    def read(self, addr, n):
        self._check(addr, n)
        return ctypes.string_at(ctypes.addressof(lib.wasm_memory_data(self._ptr).contents) + addr, n)

    def write(self, addr, data):
        self._check(addr, len(data))
        ctypes.memmove(ctypes.addressof(lib.wasm_memory_data(self._ptr).contents) + addr, data, len(data))


class Instance:
    def __init__(self, store, module, imports):
        self.store, self.module = store, module
        arr = (P * max(1, len(imports)))(*[f._extern for f in imports])
        vec = wasm_ptr_vec_t(len(imports), arr)
        trap = P()
        self._ptr = lib.wasm_instance_new(store._ptr, module._ptr, ctypes.byref(vec), ctypes.byref(trap))
        if not self._ptr:
            raise WasmError(_trap_text(trap) if trap else "cannot instantiate")
        ev = wasm_ptr_vec_t()
        lib.wasm_module_exports(module._ptr, ctypes.byref(ev))
        names = [_name(lib.wasm_exporttype_name(ev.data[i])) for i in range(ev.size)]
        lib.wasm_exporttype_vec_delete(ctypes.byref(ev))
        xv = wasm_ptr_vec_t()
        lib.wasm_instance_exports(self._ptr, ctypes.byref(xv))
        self._externs = [lib.wasm_extern_copy(xv.data[i]) for i in range(xv.size)]
        lib.wasm_extern_vec_delete(ctypes.byref(xv))
        self.exports = {}
        for name, ext in zip(names, self._externs):
            kind = lib.wasm_extern_kind(ext)
            if kind == EXTERN_FUNC:
                self.exports[name] = ExportedFunc(self, ext)
            elif kind == EXTERN_MEMORY:
                self.exports[name] = ExportedMemory(self, ext)

    def __del__(self):
        for e in getattr(self, "_externs", []):
            lib.wasm_extern_delete(e)
        if getattr(self, "_ptr", None):
            lib.wasm_instance_delete(self._ptr)
