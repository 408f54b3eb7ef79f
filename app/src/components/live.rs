//! Live updates: one EventSource per page on `/events`. Each "notifications" event bumps
//! [`Live`], and every resource that includes it in its source refetches, so lists, counters and
//! case pages change without a reload.

use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Live {
    changes: RwSignal<u32>,
    /// The signed-in user's unread notifications, as last reported by the stream. `None` until
    /// the first report (and always during server rendering).
    pub unread: RwSignal<Option<u32>>,
}

impl Live {
    pub fn provide() -> Live {
        let live = Live {
            changes: RwSignal::new(0),
            unread: RwSignal::new(None),
        };
        provide_context(live);
        live
    }

    /// Opens the event stream (once per page load). Called where a signed-in user is shown:
    /// a signed-out page has nothing to listen to.
    pub fn start(self) {
        #[cfg(feature = "hydrate")]
        Effect::new(move |_| {
            thread_local!(static STARTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
            if !STARTED.with(|s| s.replace(true)) {
                listen(self);
            }
        });
    }

    /// Read this inside a resource's source to refetch on every change.
    pub fn tick(self) -> u32 {
        self.changes.get()
    }
}

pub fn use_live() -> Live {
    use_context::<Live>().unwrap_or_else(|| Live {
        changes: RwSignal::new(0),
        unread: RwSignal::new(None),
    })
}

#[cfg(feature = "hydrate")]
fn listen(live: Live) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let Ok(source) = web_sys::EventSource::new("/events") else {
        return;
    };
    let on_change = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        let count = event.data().as_string().and_then(|d| d.parse::<u32>().ok());
        // The first report only says where we start; later ones mean something changed.
        if live.unread.get_untracked().is_some() {
            live.changes.update(|n| *n += 1);
        }
        live.unread.set(count.or(Some(0)));
    });
    let _ = source.add_event_listener_with_callback("notifications", on_change.as_ref().unchecked_ref());
    // The page lives as long as the app; the listener and the source live with it.
    on_change.forget();
    std::mem::forget(source);
}
