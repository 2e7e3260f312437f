/* Brisk's additions to the standard C API (wasm.h): engine settings, store
 * limits, errors with messages, and a linker. Everything here has a brisk_
 * prefix; wasm.h stays exactly the standard API. */
#ifndef BRISK_C_BRISK_H
#define BRISK_C_BRISK_H

#include "wasm.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Errors: compile and link failures with their message. */
typedef struct brisk_error_t brisk_error_t;
WASM_API_EXTERN void brisk_error_delete(own brisk_error_t*);
/* The message, null-terminated, valid until the error is deleted. */
WASM_API_EXTERN const char* brisk_error_message(const brisk_error_t*);

/* Engine settings (see brisk::Config). */
WASM_API_EXTERN void brisk_config_explicit_bounds_checks_set(wasm_config_t*, bool);
WASM_API_EXTERN void brisk_config_max_wasm_stack_set(wasm_config_t*, size_t bytes);
WASM_API_EXTERN void brisk_config_compile_threads_set(wasm_config_t*, unsigned threads);
WASM_API_EXTERN void brisk_config_interruptible_set(wasm_config_t*, bool);
/* "" for every feature the CPU has, "baseline", or a list such as "sse4.1,popcnt". */
WASM_API_EXTERN void brisk_config_cpu_features_set(wasm_config_t*, const char* features);

/* Store limits (see brisk::StoreLimits); 0 leaves a limit unchanged. */
WASM_API_EXTERN void brisk_store_limits_set(wasm_store_t*, uint64_t memory_size, uint64_t memories_total,
                                            uint64_t table_elements, size_t instances, size_t memories,
                                            size_t tables);

/* Stops Wasm code running in `store` from any thread (needs
 * brisk_config_interruptible_set). The handle outlives nothing: delete it
 * before the store. */
typedef struct brisk_interrupt_handle_t brisk_interrupt_handle_t;
WASM_API_EXTERN own brisk_interrupt_handle_t* brisk_interrupt_handle_new(wasm_store_t*);
WASM_API_EXTERN void brisk_interrupt_handle_interrupt(const brisk_interrupt_handle_t*);
WASM_API_EXTERN void brisk_interrupt_handle_delete(own brisk_interrupt_handle_t*);

/* wasm_module_new with the reason for a failure. */
WASM_API_EXTERN own brisk_error_t* brisk_module_new(wasm_engine_t*, const uint8_t* bytes, size_t size,
                                                   own wasm_module_t** out);
/* wasm_module_deserialize with the reason for a refusal. */
WASM_API_EXTERN own brisk_error_t* brisk_module_deserialize(wasm_engine_t*, const uint8_t* bytes, size_t size,
                                                           own wasm_module_t** out);

/* Bytes of machine code the module was compiled to. */
WASM_API_EXTERN size_t brisk_module_code_size(const wasm_module_t*);

/* The trap's code (brisk::TrapCode: 1 unreachable, 2 out of bounds memory
 * access, ..., 11 host error); 0 for a trap made by wasm_trap_new. */
WASM_API_EXTERN uint32_t brisk_trap_code(const wasm_trap_t*);

/* A linker: definitions by (module, name). */
typedef struct brisk_linker_t brisk_linker_t;
WASM_API_EXTERN own brisk_linker_t* brisk_linker_new(wasm_engine_t*);
WASM_API_EXTERN void brisk_linker_delete(own brisk_linker_t*);
WASM_API_EXTERN void brisk_linker_allow_shadowing(brisk_linker_t*, bool);
/* Defines an item of a store (not owned: the linker keeps a handle). */
WASM_API_EXTERN own brisk_error_t* brisk_linker_define(brisk_linker_t*, const char* module, const char* name,
                                                      const wasm_extern_t* item);
/* A host function of no store, for every store that instantiates through
 * the linker. `finalizer(env)` runs when the linker and every store that
 * used it are gone. */
WASM_API_EXTERN own brisk_error_t* brisk_linker_define_func(brisk_linker_t*, const char* module, const char* name,
                                                           const wasm_functype_t* type,
                                                           wasm_func_callback_with_env_t callback, void* env,
                                                           void (*finalizer)(void*));
WASM_API_EXTERN own brisk_error_t* brisk_linker_define_instance(brisk_linker_t*, wasm_store_t*, const char* module,
                                                               const wasm_instance_t*);
/* Instantiates. A link error comes back as the error; a trap in the start
 * function as *trap (both null on success). */
WASM_API_EXTERN own brisk_error_t* brisk_linker_instantiate(const brisk_linker_t*, wasm_store_t*,
                                                           const wasm_module_t*, own wasm_instance_t** out,
                                                           own wasm_trap_t** trap);

/* WASI preview1 (and wasi_unstable) for C programs. A configuration
 * collects args, environment, preopened directories and stdio; defining it
 * on a linker makes the context the WASI functions use. Standard streams
 * are inherited unless set otherwise. */
typedef struct brisk_wasi_config_t brisk_wasi_config_t;
typedef struct brisk_wasi_t brisk_wasi_t;

WASM_API_EXTERN own brisk_wasi_config_t* brisk_wasi_config_new(void);
WASM_API_EXTERN void brisk_wasi_config_delete(own brisk_wasi_config_t*);
/* argv, argv[0] included. */
WASM_API_EXTERN void brisk_wasi_config_set_argv(brisk_wasi_config_t*, size_t argc, const char* const argv[]);
WASM_API_EXTERN void brisk_wasi_config_inherit_env(brisk_wasi_config_t*);
WASM_API_EXTERN void brisk_wasi_config_set_env(brisk_wasi_config_t*, size_t n, const char* const names[],
                                               const char* const values[]);
/* HOST_PATH is seen by the guest as GUEST_PATH ("/" mounts it as the root). */
WASM_API_EXTERN void brisk_wasi_config_preopen_dir(brisk_wasi_config_t*, const char* host_path,
                                                   const char* guest_path, bool read_only);
WASM_API_EXTERN void brisk_wasi_config_set_stdin_file(brisk_wasi_config_t*, const char* path);
WASM_API_EXTERN void brisk_wasi_config_set_stdin_bytes(brisk_wasi_config_t*, const uint8_t* bytes, size_t size);
WASM_API_EXTERN void brisk_wasi_config_set_stdout_file(brisk_wasi_config_t*, const char* path);
WASM_API_EXTERN void brisk_wasi_config_set_stderr_file(brisk_wasi_config_t*, const char* path);
/* Captured output is read with brisk_wasi_stdout / brisk_wasi_stderr. */
WASM_API_EXTERN void brisk_wasi_config_capture_stdout(brisk_wasi_config_t*);
WASM_API_EXTERN void brisk_wasi_config_capture_stderr(brisk_wasi_config_t*);

/* Opens what the configuration names (an error says what failed) and
 * defines wasi_snapshot_preview1 and wasi_unstable on the linker. The
 * configuration is consumed. */
WASM_API_EXTERN own brisk_error_t* brisk_linker_define_wasi(brisk_linker_t*, own brisk_wasi_config_t*,
                                                           own brisk_wasi_t** out);
WASM_API_EXTERN void brisk_wasi_delete(own brisk_wasi_t*);
/* Runs a command's _start (or a reactor's _initialize, then `invoke` if not
 * NULL); returns the exit code: proc_exit's, 0, or 134 after a trap (then
 * in *trap if trap is not NULL). */
WASM_API_EXTERN int brisk_wasi_run(const brisk_wasi_t*, wasm_store_t*, const wasm_instance_t*, const char* invoke,
                                   own wasm_trap_t** trap);
/* Captured output: valid until the context is deleted or runs again. */
WASM_API_EXTERN const char* brisk_wasi_stdout(const brisk_wasi_t*, size_t* size);
WASM_API_EXTERN const char* brisk_wasi_stderr(const brisk_wasi_t*, size_t* size);

#ifdef __cplusplus
}  /* extern "C" */
#endif

#endif /* BRISK_C_BRISK_H */
