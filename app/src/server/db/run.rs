//! One statement at a time: a repository function is its SQL and its arguments, bound in order
//! (`args![a, b]` binds `a` to `$1` and `b` to `$2`), run on any executor (pool, connection or
//! transaction). An argument that cannot be encoded fails the statement, as `.bind` would.

use super::{Executes, Result};
use sqlx::any::{AnyArguments, AnyQueryResult, AnyRow};
use sqlx::error::BoxDynError;
use sqlx::{FromRow, SqlSafeStr};

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

/// A row a statement answers, decoded by its column names.
pub trait Row: for<'r> FromRow<'r, AnyRow> + Send + Unpin {}

impl<T: for<'r> FromRow<'r, AnyRow> + Send + Unpin> Row for T {}

/// A single column a statement answers.
pub trait Scalar: Send + Unpin
where
    (Self,): for<'r> FromRow<'r, AnyRow>,
{
}

impl<T: Send + Unpin> Scalar for T where (T,): for<'r> FromRow<'r, AnyRow> {}

pub async fn execute<'e>(ex: impl Executes<'e>, sql: impl SqlSafeStr, args: Args) -> Result<AnyQueryResult> {
    sqlx::query_with(sql, args.map_err(sqlx::Error::Encode)?)
        .execute(ex)
        .await
}

/// The fetching runners: `name(ex, sql, args)` answers `output`, decoded as `kind`.
macro_rules! runners {
    ($($(#[$doc:meta])* $name:ident: $kind:ident via $query:ident.$fetch:ident -> $out:ty $(, where $bound:ty)?;)+) => {$(
        $(#[$doc])*
        pub async fn $name<'e, T: $kind>(ex: impl Executes<'e>, sql: impl SqlSafeStr, args: Args) -> Result<$out>
        $(where $bound: for<'r> FromRow<'r, AnyRow>)?
        {
            sqlx::$query(sql, args.map_err(sqlx::Error::Encode)?).$fetch(ex).await
        }
    )+};
}

runners! {
    fetch_one: Row via query_as_with.fetch_one -> T;
    fetch_optional: Row via query_as_with.fetch_optional -> Option<T>;
    fetch_all: Row via query_as_with.fetch_all -> Vec<T>;
    /// The one value of the one row the statement answers.
    scalar_one: Scalar via query_scalar_with.fetch_one -> T, where (T,);
    scalar_optional: Scalar via query_scalar_with.fetch_optional -> Option<T>, where (T,);
    scalar_all: Scalar via query_scalar_with.fetch_all -> Vec<T>, where (T,);
}
