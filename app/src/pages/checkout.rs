//! The built-in test provider's checkout page. It looks like what it is: test mode. "Pay" and
//! "Fail" send the same signed webhook event a real provider would.

use crate::api::staffing::{load_test_checkout, CompleteTestCheckout};
use crate::components::auth::RolePage;
use crate::components::feedback::{ActionError, ErrorNote};
use crate::domain::payment::PaymentStatus;
use crate::domain::Role;
use crate::i18n::{t, td_string, tu_string, use_i18n};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn TestCheckoutPage() -> impl IntoView {
    let params = use_params_map();
    let complete = ServerAction::<CompleteTestCheckout>::new();
    let checkout = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        |id| load_test_checkout(id.into()),
    );
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    view! {
        <RolePage title=tu_string!(i18n, checkout.title) role=Role::Patient>
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, checkout.loading)}</p> }>
                {move || Suspend::new(async move {
                    match checkout.await {
                        Ok(c) => {
                            let amount = crate::lang::format::money(locale, &c.amount);
                            view! {
                            <section class="card narrow checkout" data-testid="test-checkout">
                                <p class="test-mode" role="note">{t!(i18n, checkout.test_mode)}</p>
                                <h1>{t!(i18n, checkout.heading)}</h1>
                                <dl class="facts">
                                    <dt>{t!(i18n, cases.col_case)}</dt><dd class="case-ref">{c.reference.clone()}</dd>
                                    <dt>{t!(i18n, checkout.amount)}</dt><dd data-testid="checkout-amount"><bdi>{amount.clone()}</bdi></dd>
                                </dl>
                                {(c.status == PaymentStatus::Succeeded).then(|| view! { <p class="success">{t!(i18n, checkout.already_paid)}</p> })}
                                <ActionForm action=complete attr:class="actions">
                                    <input type="hidden" name="payment_id" value=c.payment_id.clone()/>
                                    <button type="submit" name="outcome" value="pay" class="button">{td_string!(locale, checkout.pay, amount = &amount)}</button>
                                    <button type="submit" name="outcome" value="fail" class="button button-quiet">{t!(i18n, checkout.simulate_failure)}</button>
                                </ActionForm>
                                <ActionError result=complete.value()/>
                                <p><a href=format!("/cases/{}", c.case_id)>{t!(i18n, checkout.back)}</a></p>
                            </section>
                        }.into_any()
                        }
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Transition>
        </RolePage>
    }
}
