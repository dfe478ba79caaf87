//! Starting the real faqbot (its real serenity client) against the fake Discord.

use crate::fake_discord::{FakeDiscord, MOD_ROLE_ID};
use faqbot::config::{Config, Secret};
use faqbot::discord::client::{start, Bot};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long any single wait in these tests may take.
pub const T: Duration = Duration::from_secs(10);

/// The test token.
pub const TOKEN: &str = "MTAwMA.fake-token-for-tests.do-not-log";

/// The faqbot project folder: this crate lives in its `tests/support/`.
pub fn project_root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// A temporary copy of the shipped FAQ plus an index folder.
pub struct Workspace {
    /// Keeps the folder alive.
    pub tmp: tempfile::TempDir,
    /// The FAQ folder.
    pub faq: PathBuf,
}

impl Default for Workspace {
    fn default() -> Self {
        Self::new()
    }
}

impl Workspace {
    /// Copies the shipped `faq/`.
    pub fn new() -> Self {
        let tmp = tempfile::tempdir().expect("tempdir");
        let faq = tmp.path().join("faq");
        std::fs::create_dir_all(&faq).expect("mkdir");
        let shipped = project_root().join("faq");
        for item in std::fs::read_dir(shipped).expect("faq/") {
            let item = item.expect("item");
            if item.path().is_file() {
                std::fs::copy(item.path(), faq.join(item.file_name())).expect("copy");
            }
        }
        Workspace { tmp, faq }
    }

    /// A config pointing at the fake and this workspace.
    pub fn config(&self, fake: &FakeDiscord) -> Config {
        let mut cfg = Config::default();
        cfg.discord.token = Secret::new(TOKEN);
        cfg.discord.api_base_url = fake.base_url();
        cfg.discord.guild_ids = vec![fake.config().guild_id.parse().expect("guild id")];
        cfg.discord.moderator_role_ids = vec![MOD_ROLE_ID.parse().expect("role")];
        cfg.discord.cooldown_seconds = Some(0);
        cfg.faq.dir = Some(self.faq.clone());
        cfg.faq.index_dir = self.tmp.path().join("index");
        cfg.state.path = Some(self.state_path());
        cfg
    }

    /// The insight store of bots started with [`Workspace::config`].
    pub fn state_path(&self) -> PathBuf {
        self.tmp.path().join("faqbot-state.sqlite3")
    }
}

/// Starts the bot and waits until it has identified and registered its commands.
pub async fn start_bot(fake: &FakeDiscord, cfg: Config) -> Bot {
    let bot = start(cfg).await.expect("bot starts");
    fake.wait_session(T).await.expect("bot identifies");
    fake.wait_for_request(|r| r.method == "PUT" && r.path.contains("/commands"), T)
        .await
        .expect("commands registered");
    bot
}

/// The text a user sees in a shown message: content, embed titles, descriptions, fields, footers.
pub fn visible_text(msg: &Value) -> String {
    let mut out = msg["content"].as_str().unwrap_or("").to_string();
    for e in msg["embeds"].as_array().into_iter().flatten() {
        for k in ["title", "description"] {
            if let Some(s) = e[k].as_str() {
                out.push('\n');
                out.push_str(s);
            }
        }
        for f in e["fields"].as_array().into_iter().flatten() {
            out.push('\n');
            out.push_str(f["name"].as_str().unwrap_or(""));
            out.push('\n');
            out.push_str(f["value"].as_str().unwrap_or(""));
        }
        if let Some(s) = e["footer"]["text"].as_str() {
            out.push('\n');
            out.push_str(s);
        }
    }
    out
}

/// Whether a shown message is ephemeral.
pub fn is_ephemeral(msg: &Value) -> bool {
    msg["flags"].as_u64().is_some_and(|f| f & 64 != 0)
}

/// Custom ids of every button in a shown message.
pub fn button_ids(msg: &Value) -> Vec<String> {
    msg["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|c| c["custom_id"].as_str().map(str::to_string))
        .collect()
}
