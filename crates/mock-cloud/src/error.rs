//! The crate's error type.

/// What can go wrong while configuring or starting the mock cloud.
///
/// None of these involve a request to a server: the mock reports them before
/// or while it starts.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The configuration file could not be read. No request was made.
    #[error("cannot read config file {path}")]
    ConfigRead {
        /// The file.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The configuration file is not a valid `MockConfig`. No request was made.
    #[error("invalid config file {path}: {message}")]
    ConfigParse {
        /// The file.
        path: String,
        /// What the parser said.
        message: String,
    },
    /// The configuration file nests deeper than the mock accepts (real files are a few
    /// levels deep). No request was made.
    #[error("invalid config file {path}: it nests deeper than {limit} levels")]
    ConfigTooDeep {
        /// The file.
        path: String,
        /// The nesting limit.
        limit: usize,
    },
    /// The configuration file is larger than the mock reads. No request was made.
    #[error("config file {path} is {size} bytes or more, more than the {limit} accepted")]
    ConfigTooLarge {
        /// The file.
        path: String,
        /// Its size (or the bytes read before stopping).
        size: u64,
        /// The size limit.
        limit: u64,
    },
    /// A microversion string does not follow Nova's `X.Y` grammar. No request was made.
    #[error("invalid microversion {input:?}: expected MajorNum.MinorNum such as 2.60")]
    InvalidVersion {
        /// The rejected text.
        input: String,
    },
}
