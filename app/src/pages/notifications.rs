use crate::api::notifications::{load_notifications, MarkNotificationsRead};
use crate::components::auth::RequireUser;
use crate::components::cases::date_time;
use crate::components::feedback::ErrorNote;
use crate::components::layout::PageHeading;
use crate::components::live::use_live;
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
    view! {
        <Title text="Notifications"/>
        <RequireUser>
            <PageHeading title="Notifications">
                <ActionForm action=mark_read attr:class="inline-form">
                    <button type="submit" class="button button-quiet">"Mark all as read"</button>
                </ActionForm>
            </PageHeading>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(items) if items.is_empty() => view! { <p class="empty">"Nothing yet. Updates on your cases appear here."</p> }.into_any(),
                        Ok(items) => view! {
                            <ul class="notifications" data-testid="notifications">
                                {items.into_iter().map(|n| view! {
                                    <li class=if n.read { "read" } else { "unread" }>
                                        {match n.case_id {
                                            Some(id) => view! { <a href=format!("/cases/{id}")>{n.title.clone()}</a> }.into_any(),
                                            None => view! { <span>{n.title.clone()}</span> }.into_any(),
                                        }}
                                        <span class="muted">{format!(" · {}", date_time(n.created_at))}</span>
                                        {(!n.body.is_empty()).then(|| view! { <p class="detail">{n.body}</p> })}
                                    </li>
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
