// Orbit's training worker. The page sends, first, the address of its own module script and its
// compiled WebAssembly module (so nothing is downloaded or compiled twice); this instantiates
// the module here and hands every later message to its Rust side (`worker_main`), including
// those that arrived while it loaded.
const queue = [];
let loading = false;
self.onmessage = async (event) => {
  if (loading) {
    queue.push(event.data);
    return;
  }
  loading = true;
  const { script, module } = event.data;
  const bindings = await import(script);
  const wasm = await bindings.default({ module_or_path: module });
  // The instance's exports (its memory among them), for the soak test's memory readings.
  self.__wasm = wasm;
  bindings.worker_main(queue);
};
