//! The log: what `RUST_LOG` asks for, on stderr, with every Discord token taken out.
//!
//! An interaction token lets anyone post as the bot in that channel for 15 minutes, and the bot
//! token is the bot. serenity writes both into what it logs at debug and trace (request routes in
//! its spans, gateway events), so the filter alone cannot keep them out: every line is redacted
//! before it is written, whatever `RUST_LOG` says. The transport crates' trace output (raw bytes,
//! where a token could be cut in two and escape a whole-token match) is capped at debug.

use std::borrow::Cow;
use std::io::Write;
use std::sync::{PoisonError, RwLock};
use tracing::Level;
use tracing_subscriber::filter::{filter_fn, EnvFilter, FilterExt};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::Layer;

/// What a token is replaced with.
pub const REDACTED: &str = "[redacted]";

/// Crates whose trace output is raw network bytes; they log at debug at most.
const TRANSPORT: &[&str] = &[
    "h2",
    "hyper",
    "hyper_util",
    "reqwest",
    "rustls",
    "tungstenite",
    "tokio_tungstenite",
    "want",
    "mio",
];

/// The shortest run of token characters that can be a token. Discord's tokens are far longer
/// (a webhook token is 68 characters, an interaction token well over 100).
const SHORTEST_TOKEN: usize = 24;

/// A run this long with both letter cases is a token even without a digit.
const LONG_MIXED_CASE: usize = 40;

/// Secrets known by value (the bot token from the configuration), redacted wherever they
/// appear even when they do not look like a token.
static SECRETS: RwLock<Vec<String>> = RwLock::new(Vec::new());

/// Starts logging to stderr at `RUST_LOG`, or at `default_level` when it is unset or invalid.
pub fn init(default_level: &str) {
    let wanted =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_level));
    let transport_capped = filter_fn(|meta| {
        *meta.level() <= Level::DEBUG || !TRANSPORT.iter().any(|c| is_crate(meta.target(), c))
    });
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(RedactedStderr)
        .with_filter(wanted.and(transport_capped));
    // A second initialisation (a test harness that set its own) keeps the first.
    let _ = tracing_subscriber::registry().with(layer).try_init();
}

/// Whether `target` is the crate `name` or one of its modules.
fn is_crate(target: &str, name: &str) -> bool {
    target
        .strip_prefix(name)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
}

/// Redacts `secret` from every line logged from now on (secrets under 8 characters are too
/// short to find safely and are not kept).
pub fn keep_secret(secret: &str) {
    let secret = secret.trim();
    if secret.len() < 8 {
        return;
    }
    let mut secrets = SECRETS.write().unwrap_or_else(PoisonError::into_inner);
    if !secrets.iter().any(|s| s == secret) {
        secrets.push(secret.to_string());
    }
}

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

/// Whether a run of token characters is token-shaped: long, with both letter cases and a digit
/// (or very long with both cases). File names, hex digests, snowflakes, type names and words
/// are not.
fn looks_like_token(run: &[u8]) -> bool {
    if run.len() < SHORTEST_TOKEN {
        return false;
    }
    let upper = run.iter().any(u8::is_ascii_uppercase);
    let lower = run.iter().any(u8::is_ascii_lowercase);
    let digit = run.iter().any(u8::is_ascii_digit);
    upper && lower && (digit || run.len() >= LONG_MIXED_CASE)
}

/// `text` with every known secret and every token-shaped run replaced by [`REDACTED`].
pub fn redact(text: &[u8]) -> Cow<'_, [u8]> {
    let mut out: Cow<'_, [u8]> = Cow::Borrowed(text);
    for secret in SECRETS
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
    {
        if let Some(replaced) = replace_all(&out, secret.as_bytes()) {
            out = Cow::Owned(replaced);
        }
    }
    match redact_tokens(&out) {
        Some(replaced) => Cow::Owned(replaced),
        None => out,
    }
}

/// `text` with `needle` replaced, or `None` when it does not occur.
fn replace_all(text: &[u8], needle: &[u8]) -> Option<Vec<u8>> {
    let at = |from: usize| {
        text.get(from..)?
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|p| p + from)
    };
    let mut next = at(0)?;
    let mut out = Vec::with_capacity(text.len());
    let mut from = 0;
    loop {
        out.extend_from_slice(&text[from..next]);
        out.extend_from_slice(REDACTED.as_bytes());
        from = next + needle.len();
        match at(from) {
            Some(n) => next = n,
            None => break,
        }
    }
    out.extend_from_slice(&text[from..]);
    Some(out)
}

/// `text` with its token-shaped runs replaced, or `None` when it has none.
fn redact_tokens(text: &[u8]) -> Option<Vec<u8>> {
    let mut out: Option<Vec<u8>> = None;
    let mut kept = 0;
    let mut i = 0;
    while i < text.len() {
        if !is_token_byte(text[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < text.len() && is_token_byte(text[i]) {
            i += 1;
        }
        if looks_like_token(&text[start..i]) {
            let o = out.get_or_insert_with(|| Vec::with_capacity(text.len()));
            o.extend_from_slice(&text[kept..start]);
            o.extend_from_slice(REDACTED.as_bytes());
            kept = i;
        }
    }
    let mut o = out?;
    o.extend_from_slice(&text[kept..]);
    Some(o)
}

/// Stderr, every write redacted. The formatter writes each event in one call, so a token is
/// never split across two writes.
struct RedactedStderr;

impl<'a> MakeWriter<'a> for RedactedStderr {
    type Writer = RedactedStderr;

    fn make_writer(&'a self) -> Self::Writer {
        RedactedStderr
    }
}

impl Write for RedactedStderr {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        std::io::stderr().lock().write_all(&redact(buf))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redacted(text: &str) -> String {
        String::from_utf8_lossy(&redact(text.as_bytes())).into_owned()
    }

    const INTERACTION_TOKEN: &str =
        "aW50ZXJhY3Rpb246MTMxMjM0NTY3ODkwMTIzNDU2Nzg6dGhpcy1pcy1hLXRva2Vu";

    #[test]
    fn interaction_tokens_are_taken_out_of_urls_debug_output_and_json() {
        for line in [
            format!("POST https://discord.com/api/v10/interactions/1312/{INTERACTION_TOKEN}/callback"),
            format!("route: InteractionResponse {{ interaction_id: InteractionId(1312), token: \"{INTERACTION_TOKEN}\" }}"),
            format!("{{\"token\":\"{INTERACTION_TOKEN}\",\"type\":2}}"),
            format!("/webhooks/99/{INTERACTION_TOKEN}/messages/@original"),
        ] {
            let out = redacted(&line);
            assert!(!out.contains(&INTERACTION_TOKEN[..16]), "{out}");
            assert!(out.contains(REDACTED), "{out}");
        }
    }

    #[test]
    fn a_bot_token_is_taken_out_whole() {
        let token = "MTAwMDAwMDAwMA.Gx7QkS.secret-part-4f9c2e81d7b3a6c5e0f1-do-not-leak";
        let out = redacted(&format!("authorization: Bot {token}"));
        assert_eq!(out, format!("authorization: Bot {REDACTED}"));
    }

    #[test]
    fn a_kept_secret_is_taken_out_even_when_it_does_not_look_like_a_token() {
        keep_secret("plain-lowercase-secret-value");
        let out = redacted("token=plain-lowercase-secret-value; done");
        assert_eq!(out, format!("token={REDACTED}; done"));
    }

    #[test]
    fn ordinary_log_text_is_left_alone() {
        for line in [
            "/tmp/faq/what-is-il-2-therapy-and-how-does-it-work.md:4: unknown key `colour`",
            "fingerprint=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "CreateInteractionResponseMessage built for interaction 131234567890123456",
            "FAQ reloaded entries=42 passages=187 faq=faq/",
            "gateway-us-east1-b.discord.gg resumed session 5b6f2a1c9d0e4f7a8b3c2d1e0f9a8b7c",
        ] {
            assert_eq!(redacted(line), line);
        }
    }

    #[test]
    fn transport_crates_are_matched_by_crate_not_by_prefix() {
        assert!(is_crate("hyper", "hyper"));
        assert!(is_crate("hyper::proto::h1::io", "hyper"));
        assert!(!is_crate("hyper_util::client", "hyper"));
        assert!(!is_crate("h2o", "h2"));
    }
}
