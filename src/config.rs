//! Configuration: a TOML file (every key optional) plus the `DISCORD_TOKEN` environment variable,
//! validated once at start-up.

use crate::answer::Referral;
use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// A secret string (the bot token): never shown by `Debug` or `Display`.
#[derive(Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    /// The secret itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
    /// Whether no secret is set.
    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() {
            "\"\""
        } else {
            "\"[redacted]\""
        })
    }
}

/// How many shards to run: `"auto"` (as many as Discord recommends) or a fixed total.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Shards {
    /// A fixed total.
    Count(u32),
    /// Text form; only `"auto"` is accepted.
    Named(String),
}

/// `[discord]` section.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct DiscordConfig {
    /// Bot token (`DISCORD_TOKEN` overrides).
    pub token: Secret,
    /// REST base URL for tests and proxies; empty means Discord.
    pub api_base_url: String,
    /// Guilds to register slash commands in (instant); empty registers them globally.
    pub guild_ids: Vec<u64>,
    /// Roles whose members may edit the FAQ (besides Manage Messages).
    pub moderator_role_ids: Vec<u64>,
    /// Channels where plain questions are answered (needs the Message Content intent).
    pub answer_channel_ids: Vec<u64>,
    /// Forum channels whose new posts the bot answers once (title and first message).
    pub forum_channel_ids: Vec<u64>,
    /// Read a forum post's first message too, not only its title: requests the Message
    /// Content intent (switch it on in the Developer Portal).
    pub read_forum_messages: bool,
    /// `"auto"` or a shard count.
    pub shards: Option<Shards>,
    /// `[first, last]` shard ids this process runs (inclusive), with `shards` as the total.
    pub shard_range: Option<[u32; 2]>,
    /// Seconds a member waits between questions (0 turns the cooldown off).
    pub cooldown_seconds: Option<u64>,
    /// Role pinged by the "Talk to a volunteer" button; unset hides the button.
    pub helper_role_id: Option<u64>,
    /// The private helpers' channel where "Talk to a volunteer" under a private answer asks
    /// for help (a public thread would show the question); unset hides the button there.
    pub helper_channel_id: Option<u64>,
    /// Minutes the bot leaves mentions unanswered in a channel after a moderator or helper
    /// posted there (default 30; 0 turns it off).
    pub quiet_minutes: Option<u64>,
}

/// `[state]` section: the moderator-insight store.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StateConfig {
    /// The SQLite file; unset means `faqbot-state.sqlite3` beside the config file (or in the
    /// working directory without one).
    pub path: Option<PathBuf>,
    /// Days questions and votes are kept.
    pub retention_days: u32,
    /// Salt for the voter hashes; empty means one generated once and kept in the store.
    pub salt: Secret,
}

impl Default for StateConfig {
    fn default() -> Self {
        StateConfig {
            path: None,
            retention_days: 90,
            salt: Secret::default(),
        }
    }
}

/// The store's file name when `[state] path` is unset.
pub const DEFAULT_STATE_FILE: &str = "faqbot-state.sqlite3";

/// `[faq]` section.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FaqConfig {
    /// Folder of FAQ Markdown files; unset means `faq` when it exists, else the built-in FAQ.
    pub dir: Option<PathBuf>,
    /// Folder for the on-disk index (a cache).
    pub index_dir: PathBuf,
}

impl Default for FaqConfig {
    fn default() -> Self {
        FaqConfig {
            dir: None,
            index_dir: PathBuf::from("index"),
        }
    }
}

/// `[answer]` section.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AnswerConfig {
    /// The referral to an oncologist appended to every reply; never empty.
    pub referral: String,
    /// Least coverage (0-1) of the question's terms for an answer.
    pub min_coverage: f32,
    /// Alternatives offered under an answer.
    pub alternatives: usize,
    /// What urgent notices about thoughts of self-harm tell members to do (fills
    /// `{crisis_line}` in `urgent.toml`); never empty.
    pub crisis_line: String,
}

impl Default for AnswerConfig {
    fn default() -> Self {
        AnswerConfig {
            referral: crate::answer::DEFAULT_REFERRAL.to_string(),
            min_coverage: crate::answer::policy::DEFAULT_MIN_COVERAGE,
            alternatives: 3,
            crisis_line: crate::triage::DEFAULT_CRISIS_LINE.to_string(),
        }
    }
}

/// The whole configuration.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Discord settings.
    pub discord: DiscordConfig,
    /// FAQ folders.
    pub faq: FaqConfig,
    /// Answer settings.
    pub answer: AnswerConfig,
    /// The moderator-insight store.
    pub state: StateConfig,
    /// The file this configuration was read from, if any.
    #[serde(skip)]
    pub origin: Option<PathBuf>,
}

impl Config {
    /// Parses and validates configuration text; `origin` names it in errors.
    pub fn from_toml(text: &str, origin: &str) -> Result<Config> {
        let mut cfg: Config = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| crate::text::line_of(text, s.start))
                .unwrap_or(1);
            anyhow::anyhow!("{origin}:{line}: {}", e.message().trim())
        })?;
        // `helper_role_id = 0` and `helper_channel_id = 0` mean "not set", as the config
        // conventions write them.
        for id in [
            &mut cfg.discord.helper_role_id,
            &mut cfg.discord.helper_channel_id,
        ] {
            *id = id.filter(|v| *v != 0);
        }
        cfg.validate(origin)?;
        Ok(cfg)
    }

    /// Loads `path`, or `config.toml` when present, else the defaults. `DISCORD_TOKEN` overrides.
    pub fn load(path: Option<&Path>) -> Result<Config> {
        let mut cfg = match path {
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .with_context(|| format!("cannot read config file {}", p.display()))?;
                let mut cfg = Config::from_toml(&text, &p.display().to_string())?;
                cfg.origin = Some(p.to_path_buf());
                cfg
            }
            None if Path::new("config.toml").is_file() => {
                let text =
                    std::fs::read_to_string("config.toml").context("cannot read config.toml")?;
                let mut cfg = Config::from_toml(&text, "config.toml")?;
                cfg.origin = Some(PathBuf::from("config.toml"));
                cfg
            }
            None => Config::default(),
        };
        if let Ok(t) = std::env::var("DISCORD_TOKEN") {
            if !t.trim().is_empty() {
                cfg.discord.token = Secret::new(t.trim());
            }
        }
        Ok(cfg)
    }

    fn validate(&self, origin: &str) -> Result<()> {
        if self.answer.referral.trim().is_empty() {
            bail!("{origin}: [answer] referral must not be empty: every reply ends with a referral to an oncologist");
        }
        if self.answer.referral.chars().count() > 1_000 {
            bail!("{origin}: [answer] referral is longer than 1,000 characters: Discord could not show it whole");
        }
        if self.answer.crisis_line.trim().is_empty() {
            bail!("{origin}: [answer] crisis_line must not be empty: urgent notices about self-harm point to it");
        }
        if self.answer.crisis_line.chars().count() > 300 {
            bail!("{origin}: [answer] crisis_line is longer than 300 characters: keep it to what to call");
        }
        if !(0.0..=1.0).contains(&self.answer.min_coverage) {
            bail!("{origin}: [answer] min_coverage must be between 0 and 1");
        }
        if !(1..=36_500).contains(&self.state.retention_days) {
            bail!("{origin}: [state] retention_days must be between 1 and 36500");
        }
        if let Some(p) = &self.state.path {
            if p.as_os_str().is_empty() {
                bail!("{origin}: [state] path must not be empty (leave it out for the default)");
            }
            let plain = |p: &Path| -> PathBuf {
                p.components()
                    .filter(|c| !matches!(c, std::path::Component::CurDir))
                    .collect()
            };
            if plain(p).starts_with(plain(&self.faq.index_dir)) {
                bail!(
                    "{origin}: [state] path must not be inside the index folder {}: the index is \
                     a cache that may be deleted",
                    self.faq.index_dir.display()
                );
            }
        }
        if let Some(Shards::Named(s)) = &self.discord.shards {
            if s != "auto" {
                bail!("{origin}: [discord] shards must be \"auto\" or a number, not {s:?}");
            }
        }
        if let Some([a, b]) = self.discord.shard_range {
            if a > b {
                bail!("{origin}: [discord] shard_range must be [first, last] with first <= last");
            }
            match &self.discord.shards {
                Some(Shards::Count(total)) if b < *total => {}
                _ => bail!("{origin}: [discord] shard_range needs shards = <total> greater than its last shard"),
            }
        }
        Ok(())
    }

    /// Where the FAQ comes from: the configured folder, else `./faq` when it exists, else the
    /// FAQ built into the binary.
    pub fn faq_source(&self) -> crate::faq::FaqSource {
        use crate::faq::FaqSource;
        match &self.faq.dir {
            Some(d) => FaqSource::Dir(d.clone()),
            None if Path::new("faq").is_dir() => FaqSource::Dir(PathBuf::from("faq")),
            None => FaqSource::Embedded,
        }
    }

    /// The validated referral.
    pub fn referral(&self) -> Referral {
        Referral::new(&self.answer.referral).unwrap_or_default()
    }

    /// The insight store's file: `[state] path`, else `faqbot-state.sqlite3` in the config
    /// file's folder, else in the working directory.
    pub fn state_path(&self) -> PathBuf {
        if let Some(p) = &self.state.path {
            return p.clone();
        }
        match self.origin.as_deref().and_then(Path::parent) {
            Some(dir) if !dir.as_os_str().is_empty() => dir.join(DEFAULT_STATE_FILE),
            _ => PathBuf::from(DEFAULT_STATE_FILE),
        }
    }

    /// The insight store's settings.
    pub fn store_settings(&self) -> crate::insight::recorder::StoreSettings {
        crate::insight::recorder::StoreSettings {
            path: self.state_path(),
            retention_days: self.state.retention_days,
            salt: (!self.state.salt.is_empty()).then(|| self.state.salt.expose().to_string()),
        }
    }

    /// Minutes of quiet after a helper posts (default 30).
    pub fn quiet_minutes(&self) -> u64 {
        self.discord.quiet_minutes.unwrap_or(30)
    }

    /// Where the index goes for a FAQ source: the configured folder, or memory for the FAQ built
    /// into the binary.
    pub fn index_location(&self, source: &crate::faq::FaqSource) -> crate::answer::IndexLocation {
        match source {
            crate::faq::FaqSource::Embedded => crate::answer::IndexLocation::Memory,
            crate::faq::FaqSource::Dir(_) => {
                crate::answer::IndexLocation::Dir(self.faq.index_dir.clone())
            }
        }
    }

    /// The answer settings for the engine.
    pub fn answer_settings(&self) -> crate::answer::AnswerSettings {
        crate::answer::AnswerSettings {
            min_coverage: self.answer.min_coverage,
            alternatives: self.answer.alternatives,
            crisis_line: self.answer.crisis_line.trim().to_string(),
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_referral_is_an_error() {
        let e = Config::from_toml("[answer]\nreferral = \"  \"\n", "c.toml").unwrap_err();
        assert!(e.to_string().contains("referral"), "{e}");
    }

    #[test]
    fn token_is_redacted() {
        let c = Config::from_toml("[discord]\ntoken = \"abc.def\"\n", "c").expect("valid");
        assert!(!format!("{c:?}").contains("abc.def"));
    }

    #[test]
    fn state_defaults_and_checks() {
        let c = Config::from_toml("", "c").expect("valid");
        assert_eq!(c.state.retention_days, 90);
        assert_eq!(c.quiet_minutes(), 30);
        assert_eq!(c.state_path(), PathBuf::from(DEFAULT_STATE_FILE));
        let mut beside = c.clone();
        beside.origin = Some(PathBuf::from("/etc/faqbot/config.toml"));
        assert_eq!(
            beside.state_path(),
            PathBuf::from("/etc/faqbot/faqbot-state.sqlite3")
        );
        let e = Config::from_toml("[state]\npath = \"./index/s.db\"\n", "c").unwrap_err();
        assert!(e.to_string().contains("index folder"), "{e}");
        let e = Config::from_toml("[state]\nretention_days = 0\n", "c").unwrap_err();
        assert!(e.to_string().contains("retention_days"), "{e}");
        let c = Config::from_toml("[state]\nsalt = \"pepper\"\n", "c").expect("valid");
        assert!(!format!("{c:?}").contains("pepper"), "the salt is redacted");
    }

    #[test]
    fn unknown_key_names_line() {
        let e = Config::from_toml("[faq]\n\ndirr = \"x\"\n", "c.toml").unwrap_err();
        assert!(e.to_string().starts_with("c.toml:3:"), "{e}");
    }

    #[test]
    fn a_zero_helper_role_or_channel_means_unset() {
        let c = Config::from_toml(
            "[discord]\nhelper_role_id = 0\nhelper_channel_id = 0\n",
            "config.toml",
        )
        .expect("valid");
        assert_eq!(c.discord.helper_role_id, None);
        assert_eq!(c.discord.helper_channel_id, None);
        let c =
            Config::from_toml("[discord]\nhelper_channel_id = 7\n", "config.toml").expect("valid");
        assert_eq!(c.discord.helper_channel_id, Some(7));
    }
}
