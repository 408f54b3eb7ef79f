//! The peer `scripts/bench.sh` measures Consilium against, built with the same release profile
//! and dependencies: a minimal Leptos 0.8 page, rendered on the server like ours (async SSR),
//! that reads two rows from SQLite, and a bare axum route that returns fixed HTML.
//!
//! `peer <address> <sqlite file>`.

use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use leptos_router::components::{Route, Router as LeptosRouter, Routes};
use leptos_router::{path, SsrMode};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::SqlitePool;
use std::str::FromStr;

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
struct Row {
    id: i64,
    name: String,
}

async fn two_rows() -> Vec<Row> {
    let Some(pool) = use_context::<SqlitePool>() else {
        return Vec::new();
    };
    sqlx::query_as::<_, (i64, String)>("SELECT id, name FROM items ORDER BY id LIMIT 2")
        .fetch_all(&pool)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|(id, name)| Row { id, name })
        .collect()
}

#[component]
fn Page() -> impl IntoView {
    let rows = Resource::new(|| (), |_| two_rows());
    view! {
        <h1>"Items"</h1>
        <Suspense fallback=|| "Loading…">
            <ul>
                {move || Suspend::new(async move {
                    rows.await.into_iter().map(|r| view! { <li>{r.id}" "{r.name}</li> }).collect_view()
                })}
            </ul>
        </Suspense>
    }
}

#[component]
fn App() -> impl IntoView {
    view! {
        <LeptosRouter>
            <Routes fallback=|| "Not found">
                <Route path=path!("/") view=Page ssr=SsrMode::Async/>
            </Routes>
        </LeptosRouter>
    }
}

fn shell(_: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head><meta charset="utf-8"/><title>"Peer"</title></head>
            <body><App/></body>
        </html>
    }
}

const BARE: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Bare</title></head><body><h1>Items</h1><ul><li>1 first</li><li>2 second</li></ul></body></html>";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let address = args.next().unwrap_or_else(|| "127.0.0.1:3201".to_owned());
    let file = args.next().unwrap_or_else(|| "peer.db".to_owned());
    let options = SqliteConnectOptions::from_str(&format!("sqlite://{file}"))?.create_if_missing(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await?;
    sqlx::query("CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
        .execute(&pool)
        .await?;
    sqlx::query("INSERT OR IGNORE INTO items (id, name) VALUES (1, 'first'), (2, 'second'), (3, 'third')")
        .execute(&pool)
        .await?;
    let leptos = LeptosOptions::builder().output_name("peer").build();
    let routes = generate_route_list(App);
    let context_pool = pool.clone();
    let app = Router::new()
        .route("/bare", get(|| async { axum::response::Html(BARE) }))
        .leptos_routes_with_context(&leptos, routes, move || provide_context(context_pool.clone()), {
            let leptos = leptos.clone();
            move || shell(leptos.clone())
        })
        .with_state(leptos);
    let listener = tokio::net::TcpListener::bind(&address).await?;
    // As in our server: without TCP_NODELAY streamed responses stall on Nagle + delayed ACK.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    println!("peer listening on http://{address}");
    axum::serve(listener, app).await?;
    Ok(())
}
