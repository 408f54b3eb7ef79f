use crate::api::notifications::{load_notifications, MarkNotificationsRead};
use crate::components::auth::RequireUser;
use crate::components::cases::date_time;
use crate::components::feedback::ErrorNote;
use crate::components::layout::PageHeading;
use crate::components::live::use_live;
use crate::i18n::{t, tu_string, use_i18n};
use leptos::prelude::*;
use leptos_meta::Title;

/// The notification centre: newest first, unread ones marked; "Mark all as read".
#[component]
pub fn NotificationsPage() -> impl IntoView {
    let live = use_live();
    let mark_read = ServerAction::<MarkNotificationsRead>::new();
    let list = Resource::new(
        move || (live.tick(), mark_read.version().get()),
        |_| load_notifications(),
    );
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    view! {
        <Title text=tu_string!(i18n, nav.notifications)/>
        <RequireUser>
            <PageHeading title=tu_string!(i18n, nav.notifications)>
                <ActionForm action=mark_read attr:class="inline-form">
                    <button type="submit" class="button button-quiet">{t!(i18n, notifications.mark_all_read)}</button>
                </ActionForm>
            </PageHeading>
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, app.loading)}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(items) if items.is_empty() => view! { <p class="empty">{t!(i18n, notifications.empty)}</p> }.into_any(),
                        Ok(items) => view! {
                            <ul class="notifications" data-testid="notifications">
                                {items.into_iter().map(|n| {
                                    let heading = n.heading(locale);
                                    let body = n.body_in(locale);
                                    view! {
                                    <li class=if n.read { "read" } else { "unread" }>
                                        {match n.case_id {
                                            Some(id) => view! { <a href=format!("/cases/{id}")>{heading}</a> }.into_any(),
                                            None => view! { <span>{heading}</span> }.into_any(),
                                        }}
                                        <span class="muted">{format!(" · {}", date_time(n.created_at))}</span>
                                        {(!body.is_empty()).then(|| view! { <p class="detail" dir="auto">{body}</p> })}
                                    </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Transition>
        </RequireUser>
    }
}
