//! Uploading documents: several files at once, one request per file, each with its own progress
//! bar. Browsers report upload progress only for XMLHttpRequest, so that is what this uses. The
//! limits are shown before choosing and checked here for instant feedback; the server enforces
//! them regardless.

use crate::domain::document::{human_size, MAX_FILES_PER_CASE, MAX_FILE_BYTES};
use crate::i18n::td_string;
use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub enum UploadState {
    Sending(u8),
    Done,
    Failed(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct UploadRow {
    pub key: u32,
    pub name: String,
    pub state: UploadState,
}

/// `on_uploaded` runs after each file the server accepted (to refresh the document list).
/// With `item`, the file answers that item of a document request (one file, its own button).
#[component]
pub fn Uploader(
    case_id: String,
    on_uploaded: Callback<()>,
    #[prop(optional)] item: Option<String>,
) -> impl IntoView {
    let rows = RwSignal::new(Vec::<UploadRow>::new());
    let locale = crate::lang::current();
    let limits = td_string!(
        locale,
        upload.limits,
        size = human_size(MAX_FILE_BYTES),
        count = MAX_FILES_PER_CASE
    );
    let input_id = item
        .as_ref()
        .map_or_else(|| "document-files".to_owned(), |i| format!("item-file-{i}"));
    let (button, multiple) = match item {
        Some(_) => (td_string!(locale, upload.upload_this), false),
        None => (td_string!(locale, upload.choose_files), true),
    };
    let url = match &item {
        Some(i) => format!("/cases/{case_id}/documents?item={i}&name="),
        None => format!("/cases/{case_id}/documents?name="),
    };
    #[cfg(feature = "hydrate")]
    let on_change = move |ev: leptos::ev::Event| browser::start(&ev, &url, rows, on_uploaded, locale);
    #[cfg(not(feature = "hydrate"))]
    let on_change = {
        let _ = (&url, on_uploaded);
        move |_: leptos::ev::Event| {}
    };
    view! {
        <div class="uploader">
            <p class="hint" id="upload-limits">{limits}</p>
            <label class="button button-quiet file-button" for=input_id.clone()>{button}</label>
            <input id=input_id class="visually-hidden" type="file" multiple=multiple
                accept=".pdf,.jpg,.jpeg,.png,.webp,.heic,.heif,application/pdf,image/jpeg,image/png,image/webp,image/heic"
                aria-describedby="upload-limits" on:change=on_change/>
            <ul class="uploads" aria-live="polite">
                <For each=move || rows.get() key=|row| (row.key, format!("{:?}", row.state)) let:row>
                    <li class="upload" data-testid="upload-row">
                        <bdi class="upload-name">{row.name.clone()}</bdi>
                        {match row.state {
                            UploadState::Sending(p) => view! {
                                <progress max="100" value=p.to_string() aria-label=td_string!(locale, upload.uploading, name = &row.name)></progress>
                                <span class="muted">{format!("{p}%")}</span>
                            }.into_any(),
                            UploadState::Done => view! { <span class="success">{td_string!(locale, upload.uploaded)}</span> }.into_any(),
                            UploadState::Failed(message) => view! { <span class="field-error">{message}</span> }.into_any(),
                        }}
                    </li>
                </For>
            </ul>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::{UploadRow, UploadState};
    use crate::domain::document::{human_size, MAX_FILE_BYTES};
    use crate::error::AppError;
    use crate::i18n::td_string;
    use crate::lang::Locale;
    use leptos::prelude::*;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use web_sys::{HtmlInputElement, ProgressEvent, XmlHttpRequest};

    /// `url` ends with `name=`; the file's name is appended.
    pub fn start(
        ev: &leptos::ev::Event,
        url: &str,
        rows: RwSignal<Vec<UploadRow>>,
        done: Callback<()>,
        locale: Locale,
    ) {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else {
            return;
        };
        let Some(files) = input.files() else { return };
        for index in 0..files.length() {
            let Some(file) = files.get(index) else { continue };
            let key = rows.with_untracked(|r| r.iter().map(|row| row.key + 1).max().unwrap_or(0));
            let name = file.name();
            let too_big = file.size() > MAX_FILE_BYTES as f64;
            let state = if too_big {
                UploadState::Failed(td_string!(
                    locale,
                    upload.too_large,
                    size = human_size(MAX_FILE_BYTES)
                ))
            } else {
                UploadState::Sending(0)
            };
            rows.update(|r| {
                r.push(UploadRow {
                    key,
                    name: name.clone(),
                    state,
                })
            });
            if !too_big {
                send(url, &file, key, rows, done, locale);
            }
        }
        // Let the same file be chosen again after a failure.
        input.set_value("");
    }

    fn set(rows: RwSignal<Vec<UploadRow>>, key: u32, state: UploadState) {
        rows.update(|r| {
            if let Some(row) = r.iter_mut().find(|row| row.key == key) {
                row.state = state;
            }
        });
    }

    fn send(
        url: &str,
        file: &web_sys::File,
        key: u32,
        rows: RwSignal<Vec<UploadRow>>,
        done: Callback<()>,
        locale: Locale,
    ) {
        let Ok(xhr) = XmlHttpRequest::new() else { return };
        let url = format!(
            "{url}{}",
            String::from(js_sys::encode_uri_component(&file.name()))
        );
        if xhr.open_with_async("POST", &url, true).is_err() {
            set(
                rows,
                key,
                UploadState::Failed(td_string!(locale, upload.could_not_start).to_owned()),
            );
            return;
        }
        let _ = xhr.set_request_header("Content-Type", "application/octet-stream");
        let _ = xhr.set_request_header("Accept", "application/json");
        let on_progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                let percent = ((e.loaded() / e.total()) * 100.0).clamp(0.0, 99.0) as u8;
                set(rows, key, UploadState::Sending(percent));
            }
        });
        if let Ok(upload) = xhr.upload() {
            upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        }
        on_progress.forget();
        let finished = xhr.clone();
        let on_end = Closure::<dyn FnMut()>::new(move || {
            let status = finished.status().unwrap_or(0);
            if status == 201 {
                set(rows, key, UploadState::Done);
                done.run(());
            } else {
                let text = finished.response_text().ok().flatten().unwrap_or_default();
                let message = serde_json::from_str::<AppError>(&text)
                    .map(|e| e.field("file").unwrap_or_else(|| e.to_string()))
                    .unwrap_or_else(|_| td_string!(locale, upload.failed).to_owned());
                set(rows, key, UploadState::Failed(message));
            }
        });
        xhr.set_onloadend(Some(on_end.as_ref().unchecked_ref()));
        on_end.forget();
        if xhr.send_with_opt_blob(Some(file)).is_err() {
            set(
                rows,
                key,
                UploadState::Failed(td_string!(locale, upload.could_not_send).to_owned()),
            );
        }
    }
}
