// Orbit's training worker. The page sends, first, the address of a module script and, for the
// page's own module, its compiled WebAssembly (so nothing is downloaded or compiled twice); the
// module with every backend (orbit-backends.js) is fetched from its script's address instead.
// This instantiates the module here and hands every later message to its Rust side
// (`worker_main`), including those that arrived while it loaded. A module that fails to load is
// reported as an uncaught error, which the page's `onerror` receives.
const queue = [];
let loading = false;
self.onmessage = async (event) => {
  if (loading) {
    queue.push(event.data);
    return;
  }
  loading = true;
  const { script, module } = event.data;
  try {
    const bindings = await import(script);
    const wasm = await bindings.default({ module_or_path: module });
    // The instance's exports (its memory among them), for the soak test's memory readings.
    self.__wasm = wasm;
    bindings.worker_main(queue);
  } catch (e) {
    setTimeout(() => {
      throw new Error(`could not load ${script}: ${e}`);
    });
  }
};
