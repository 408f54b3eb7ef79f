use crate::error::AppError;
use leptos::prelude::*;

/// Sets the page's status when it is rendered on the server (a notice there is a real 403 or
/// 404); in the browser the status went out with the page long before.
pub fn set_page_status(status: http::StatusCode) {
    #[cfg(feature = "ssr")]
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

/// A whole-form or page-level error. Field errors of a validation failure are shown beside
/// their fields by [`FieldError`]; this shows the summary line.
///
/// Rendered on the server, it also gives the page the error's HTTP status: a case that is not
/// there (or not the reader's) answers 404, a page for another role 403.
#[component]
pub fn ErrorNote(error: AppError) -> impl IntoView {
    set_page_status(error.status());
    let text = crate::lang::labels::error(crate::lang::current(), &error);
    view! { <p class="error-note" role="alert">{text}</p> }
}

/// Shows `loading` until the resource has its value, then what `ready` makes of it, or the
/// error as an [`ErrorNote`]. The resource is created by the page (outside any guard), so that
/// server and browser number resources alike during hydration.
#[component]
pub fn Loaded<T, V, F>(
    resource: Resource<Result<T, AppError>>,
    loading: &'static str,
    ready: F,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Transition fallback=move || view! { <p class="loading">{loading}</p> }>
            {move || {
                let ready = ready.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(value) => ready(value).into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}

/// The last error of an action, if any, as an [`ErrorNote`].
#[component]
pub fn ActionError<T: Clone + Send + Sync + 'static>(
    #[prop(into)] result: Signal<Option<Result<T, AppError>>>,
) -> impl IntoView {
    move || match result.get() {
        Some(Err(error)) => Some(view! { <ErrorNote error/> }),
        _ => None,
    }
}

/// The message for one field from the last result of an action, shown under the field.
#[component]
pub fn FieldError<T: Clone + Send + Sync + 'static>(
    #[prop(into)] result: Signal<Option<Result<T, AppError>>>,
    field: &'static str,
) -> impl IntoView {
    let message = move || result.get().and_then(|r| r.err()).and_then(|e| e.field(field));
    view! {
        <Show when=move || message().is_some()>
            <p class="field-error" id=format!("{field}-error")>{message}</p>
        </Show>
    }
}
