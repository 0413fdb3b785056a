//! Entry point of the page: installs the panic panel and mounts the app.

fn main() {
    #[cfg(target_arch = "wasm32")]
    orbit_web::start();
}
