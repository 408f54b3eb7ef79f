//! The built-in test provider's checkout page. It looks like what it is: test mode. "Pay" and
//! "Fail" send the same signed webhook event a real provider would.

use crate::api::staffing::{load_test_checkout, CompleteTestCheckout};
use crate::components::auth::RolePage;
use crate::components::feedback::{ActionError, ErrorNote};
use crate::domain::payment::PaymentStatus;
use crate::domain::Role;
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
    view! {
        <RolePage title="Test checkout" role=Role::Patient>
            <Transition fallback=|| view! { <p class="loading">"Loading the checkout…"</p> }>
                {move || Suspend::new(async move {
                    match checkout.await {
                        Ok(c) => view! {
                            <section class="card narrow checkout" data-testid="test-checkout">
                                <p class="test-mode" role="note">"TEST MODE — no real money moves"</p>
                                <h1>"Pay for your review"</h1>
                                <dl class="facts">
                                    <dt>"Case"</dt><dd class="case-ref">{c.reference.clone()}</dd>
                                    <dt>"Amount"</dt><dd data-testid="checkout-amount">{c.amount.display()}</dd>
                                </dl>
                                {(c.status == PaymentStatus::Succeeded).then(|| view! { <p class="success">"This payment has already been made."</p> })}
                                <ActionForm action=complete attr:class="actions">
                                    <input type="hidden" name="payment_id" value=c.payment_id.clone()/>
                                    <button type="submit" name="outcome" value="pay" class="button">{format!("Pay {}", c.amount.display())}</button>
                                    <button type="submit" name="outcome" value="fail" class="button button-quiet">"Simulate a failed payment"</button>
                                </ActionForm>
                                <ActionError result=complete.value()/>
                                <p><a href=format!("/cases/{}", c.case_id)>"Back to the case"</a></p>
                            </section>
                        }.into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Transition>
        </RolePage>
    }
}
