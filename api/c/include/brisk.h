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

#ifdef __cplusplus
}  /* extern "C" */
#endif

#endif /* BRISK_C_BRISK_H */
