//! Runs the module's static constructors exactly once.
//!
//! CubeCL registers its IR dialects with `inventory`, i.e. through static constructors. When
//! nothing in a wasm module calls the linker's `__wasm_call_ctors`, wasm-ld treats the module
//! as a "command" and re-runs every constructor at the start of *every* exported function:
//! every call from JavaScript into the page (each event, each timer, each promise callback) then
//! cost milliseconds, and the page stuttered while training. Calling it once, explicitly, from
//! code reachable from an export turns that wrapping off.

use std::sync::Once;

// An extern block is unsafe by nature; this one declares a single linker-provided function.
#[allow(unsafe_code)]
unsafe extern "C" {
    /// Synthesised by wasm-ld: runs every static constructor of the module.
    fn __wasm_call_ctors();
}

static CONSTRUCTORS: Once = Once::new();

/// Runs the static constructors if they have not run yet.
pub fn run_constructors_once() {
    CONSTRUCTORS.call_once(|| {
        // SAFETY: `__wasm_call_ctors` only runs the module's static constructors (idempotent
        // `inventory` registrations); `Once` makes sure it runs a single time, before the
        // WebGPU runtime or anything else that reads those registrations.
        #[allow(unsafe_code)]
        unsafe {
            __wasm_call_ctors();
        }
    });
}
