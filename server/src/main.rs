//! The Consilium server: configuration, database, migrations, demo data, then the router.

use app::server::{config::Config, db::Db, demo, AppState};
use leptos::config::get_configuration;
use std::net::SocketAddr;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    let mut config = Config::from_env().map_err(|e| format!("not starting: {e}"))?;
    let leptos = get_configuration(None)?.leptos_options;
    let db = Db::connect(&config.database_url)
        .await
        .map_err(|e| format!("cannot open the database: {e}"))?;
    db.migrate()
        .await
        .map_err(|e| format!("database migration failed, not starting: {e}"))?;
    app::server::secrets::resolve(&db, &mut config)
        .await
        .map_err(|e| format!("cannot read the deployment's secrets, not starting: {e}"))?;
    if config.test_payments() {
        tracing::warn!(
            "payments run on the built-in TEST provider: no money moves and every page says so. \
             Set CONSILIUM_PAYMENT_PROVIDER=stripe with STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET to take payments."
        );
    }
    let fresh_demo = config.demo_data && demo::load_if_empty(&db).await?;
    let address = leptos.site_addr;
    let state = AppState::new(db, config)?;
    tracing::info!(storage = ?state.storage, "documents and reports are stored here");
    if fresh_demo {
        app::server::demo_cases::load(&state).await?;
        tracing::info!("loaded demo data (the demo accounts' password is in the README)");
    }
    server::worker::spawn(state.clone());
    if state.db.backend() == app::server::db::Backend::Postgres {
        state
            .live
            .spawn_postgres_listener(state.config.database_url.clone());
    }
    server::assets::precompress_in_background(
        std::path::PathBuf::from(leptos.site_root.as_ref()).join(leptos.site_pkg_dir.as_ref()),
    );
    let app = server::router::build(state, leptos);
    let listener = tokio::net::TcpListener::bind(address).await?;
    tracing::info!("listening on http://{address}");
    // Without TCP_NODELAY, streamed pages stall on Nagle's algorithm plus delayed ACKs.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    Ok(())
}

async fn shutdown_signal() {
    let _ = tokio::signal::ctrl_c().await;
}
