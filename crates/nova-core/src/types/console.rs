//! Remote consoles and console auth tokens.
