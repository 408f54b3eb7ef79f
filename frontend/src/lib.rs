//! The browser entry point: hydrates the server-rendered page.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Lazy: a page whose code is a part of its own (see `app::pages::lazy`) is hydrated once that
    // part has arrived.
    leptos::mount::hydrate_lazy(app::App);
}
