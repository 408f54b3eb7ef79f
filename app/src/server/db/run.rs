//! One statement at a time: a repository function is its SQL and its arguments, bound in order
//! (`args![a, b]` binds `a` to `$1` and `b` to `$2`), run on any executor (pool, connection or
//! transaction). An argument that cannot be encoded fails the statement, as `.bind` would.

use sqlx::any::{AnyArguments, AnyQueryResult, AnyRow};
use sqlx::error::BoxDynError;
use sqlx::{Any, Executor, FromRow, SqlSafeStr};

/// A statement's arguments, or why one of them could not be encoded.
pub type Args = Result<AnyArguments, BoxDynError>;

/// The arguments of one statement, in placeholder order.
macro_rules! args {
    ($($value:expr),* $(,)?) => {
        Ok::<_, ::sqlx::error::BoxDynError>(::sqlx::any::AnyArguments::default())
            $(.and_then(|mut arguments| ::sqlx::Arguments::add(&mut arguments, $value).map(|()| arguments)))*
    };
}
pub(crate) use args;

pub async fn execute<'e>(
    ex: impl Executor<'e, Database = Any>,
    sql: impl SqlSafeStr,
    args: Args,
) -> Result<AnyQueryResult, sqlx::Error> {
    sqlx::query_with(sql, args.map_err(sqlx::Error::Encode)?)
        .execute(ex)
        .await
}

pub async fn fetch_one<'e, T>(
    ex: impl Executor<'e, Database = Any>,
    sql: impl SqlSafeStr,
    args: Args,
) -> Result<T, sqlx::Error>
where
    T: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
{
    sqlx::query_as_with(sql, args.map_err(sqlx::Error::Encode)?)
        .fetch_one(ex)
        .await
}

pub async fn fetch_optional<'e, T>(
    ex: impl Executor<'e, Database = Any>,
    sql: impl SqlSafeStr,
    args: Args,
) -> Result<Option<T>, sqlx::Error>
where
    T: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
{
    sqlx::query_as_with(sql, args.map_err(sqlx::Error::Encode)?)
        .fetch_optional(ex)
        .await
}

pub async fn fetch_all<'e, T>(
    ex: impl Executor<'e, Database = Any>,
    sql: impl SqlSafeStr,
    args: Args,
) -> Result<Vec<T>, sqlx::Error>
where
    T: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
{
    sqlx::query_as_with(sql, args.map_err(sqlx::Error::Encode)?)
        .fetch_all(ex)
        .await
}

/// The one value of the one row the statement answers.
pub async fn scalar_one<'e, T>(
    ex: impl Executor<'e, Database = Any>,
    sql: impl SqlSafeStr,
    args: Args,
) -> Result<T, sqlx::Error>
where
    (T,): for<'r> FromRow<'r, AnyRow>,
    T: Send + Unpin,
{
    sqlx::query_scalar_with(sql, args.map_err(sqlx::Error::Encode)?)
        .fetch_one(ex)
        .await
}

pub async fn scalar_optional<'e, T>(
    ex: impl Executor<'e, Database = Any>,
    sql: impl SqlSafeStr,
    args: Args,
) -> Result<Option<T>, sqlx::Error>
where
    (T,): for<'r> FromRow<'r, AnyRow>,
    T: Send + Unpin,
{
    sqlx::query_scalar_with(sql, args.map_err(sqlx::Error::Encode)?)
        .fetch_optional(ex)
        .await
}

pub async fn scalar_all<'e, T>(
    ex: impl Executor<'e, Database = Any>,
    sql: impl SqlSafeStr,
    args: Args,
) -> Result<Vec<T>, sqlx::Error>
where
    (T,): for<'r> FromRow<'r, AnyRow>,
    T: Send + Unpin,
{
    sqlx::query_scalar_with(sql, args.map_err(sqlx::Error::Encode)?)
        .fetch_all(ex)
        .await
}
