//! Sign-in. Passwords are argon2id; sessions are random tokens whose hash lives in the database;
//! the current user is resolved on the server for every request that needs one.

pub mod hashing;
pub mod password;
pub mod request;
pub mod token;
pub mod totp;
