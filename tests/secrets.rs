//! The bot token never shows: not in the logs (even at RUST_LOG=trace, through start-up, commands,
//! answers, a reconnect and shutdown), not when Discord rejects it, not in errors about the
//! config file, not in `Debug` output.

use faqbot::config::Config;
use faqbot_test_support::fake_discord::*;
use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A token nothing else in the output could contain by chance.
const TOKEN: &str = "MTAwMDAwMDAwMA.Gx7QkS.secret-part-4f9c2e81d7b3a6c5e0f1-do-not-leak";
/// Pieces of it that must not show either (a log could cut or split it).
const PIECES: &[&str] = &[
    "Gx7QkS",
    "secret-part-4f9c2e81d7b3a6c5e0f1",
    "MTAwMDAwMDAwMA.",
];

fn assert_no_token(what: &str, text: &str) {
    for needle in std::iter::once(TOKEN).chain(PIECES.iter().copied()) {
        if let Some(at) = text.find(needle) {
            let from = text[..at]
                .char_indices()
                .rev()
                .nth(200)
                .map_or(0, |(i, _)| i);
            let context: String = text[from..].chars().take(400).collect();
            panic!("{what} shows the token ({needle:?}) here:\n{context}");
        }
    }
}

/// Log text without its colour codes (a token split by them would still be a leak).
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn write_config(dir: &Path, fake: &FakeDiscord, token_line: &str) -> std::path::PathBuf {
    let faq = dir.join("faq");
    std::fs::create_dir_all(&faq).expect("mkdir");
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("faq");
    for item in std::fs::read_dir(shipped).expect("faq/") {
        let item = item.expect("item");
        if item.path().is_file() {
            std::fs::copy(item.path(), faq.join(item.file_name())).expect("copy");
        }
    }
    let path = dir.join("config.toml");
    std::fs::write(
        &path,
        format!(
            "[discord]\n{token_line}\napi_base_url = \"{}\"\nguild_ids = [{GUILD_ID}]\ncooldown_seconds = 0\nmoderator_role_ids = [{MOD_ROLE_ID}]\n\n[faq]\ndir = \"{}\"\nindex_dir = \"{}\"\n",
            fake.base_url(),
            faq.display(),
            dir.join("index").display()
        ),
    )
    .expect("config written");
    path
}

/// The bot process, killed (and reaped) if the test ends early.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
        }
        let _ = self.0.wait();
    }
}

/// Starts `faqbot run` with everything logged; its output is drained in the background.
fn spawn_bot(
    config: &Path,
    env_token: Option<&str>,
    rust_log: &str,
) -> (
    Running,
    std::thread::JoinHandle<Vec<u8>>,
    std::thread::JoinHandle<Vec<u8>>,
) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_faqbot"));
    cmd.arg("--config")
        .arg(config)
        .arg("run")
        .env("RUST_LOG", rust_log)
        .env("RUST_BACKTRACE", "1")
        .env_remove("DISCORD_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(t) = env_token {
        cmd.env("DISCORD_TOKEN", t);
    }
    let mut child = cmd.spawn().expect("faqbot starts");
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            buf
        })
    };
    let out = drain(Box::new(child.stdout.take().expect("stdout")));
    let err = drain(Box::new(child.stderr.take().expect("stderr")));
    (Running(child), out, err)
}

fn wait_exit(bot: &mut Running, limit: Duration) -> Option<std::process::ExitStatus> {
    let child = &mut bot.0;
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if let Ok(Some(s)) = child.try_wait() {
            return Some(s);
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_is_not_in_trace_logs_of_a_whole_session() {
    let fake = FakeDiscord::start().await.expect("fake");
    let tmp = tempfile::tempdir().expect("tempdir");
    let config = write_config(tmp.path(), &fake, &format!("token = \"{TOKEN}\""));
    let (mut child, out, err) = spawn_bot(&config, None, "trace");
    let limit = Duration::from_secs(30);
    fake.wait_session(limit).await.expect("the bot identifies");
    fake.wait_for_request(|r| r.method == "PUT" && r.path.contains("/commands"), limit)
        .await
        .expect("commands registered");
    assert!(
        fake.identify_tokens().iter().any(|t| t.contains(TOKEN)),
        "the token was really used"
    );

    let user = FakeUser::member("6001");
    for q in [
        "How is IL-2 given?",
        "I can't breathe",
        "weather in Boston?",
    ] {
        let id = fake
            .dispatch_interaction(fake.slash_command(&user, "ask", vec![opt("question", q)]))
            .expect("dispatch");
        fake.wait_callback(&id, limit).await.expect("answered");
    }
    let id = fake
        .dispatch_interaction(fake.slash_command(&user, "faq", vec![subcommand("list", vec![])]))
        .expect("dispatch");
    fake.wait_callback(&id, limit).await.expect("listed");
    // A failed callback (logged with the request) and a dropped gateway (logged reconnect).
    fake.fail_next(2, 500, "/callback");
    let id = fake
        .dispatch_interaction(fake.slash_command(
            &user,
            "ask",
            vec![opt("question", "what is rhIL-2?")],
        ))
        .expect("dispatch");
    let _ = fake.wait_callback(&id, Duration::from_secs(5)).await;
    assert!(fake.drop_gateway());
    fake.wait_for_handshakes(2, limit)
        .await
        .expect("reconnected");
    let id = fake
        .dispatch_interaction(fake.slash_command(
            &user,
            "ask",
            vec![opt("question", "does IL-2 activate NK cells")],
        ))
        .expect("dispatch");
    fake.wait_callback(&id, limit)
        .await
        .expect("answered after the reconnect");

    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.0.id().to_string())
        .status();
    let status = wait_exit(&mut child, Duration::from_secs(15));
    let stdout = String::from_utf8_lossy(&out.join().expect("stdout")).into_owned();
    let stderr = String::from_utf8_lossy(&err.join().expect("stderr")).into_owned();
    assert!(status.is_some(), "the bot stops on SIGTERM");
    assert!(
        stderr.contains("TRACE") && stderr.lines().count() > 100,
        "trace logging was on ({} lines)",
        stderr.lines().count()
    );
    // The gateway's identify and resume, every REST request (serenity's spans), faqbot itself.
    let plain = strip_ansi(&stderr);
    for layer in [
        "send_identify",
        "send_resume",
        "request{self=Http",
        "faqbot::",
    ] {
        assert!(plain.contains(layer), "{layer} is in the trace logs");
    }
    assert_no_token("stderr (RUST_LOG=trace)", &stderr);
    assert_no_token("stderr without colours", &plain);
    assert_no_token("stdout", &stdout);
}

/// Whether `log` has a line at `level` from `target`.
fn logged(log: &str, level: &str, target: &str) -> bool {
    log.lines()
        .any(|l| l.contains(&format!(" {level} ")) && l.contains(target))
}

/// Panics when `log` holds any 8-character piece of any of `secrets`.
fn assert_no_fragment(what: &str, log: &str, secrets: &[String]) {
    const PIECE: usize = 8;
    let pieces: std::collections::HashMap<&[u8], &str> = secrets
        .iter()
        .flat_map(|s| s.as_bytes().windows(PIECE).map(move |w| (w, s.as_str())))
        .collect();
    if let Some((at, secret)) = log
        .as_bytes()
        .windows(PIECE)
        .enumerate()
        .find_map(|(at, w)| pieces.get(w).map(|s| (at, *s)))
    {
        let from = log.floor_char_boundary(at.saturating_sub(200));
        let to = log.ceil_char_boundary((at + 200).min(log.len()));
        panic!(
            "{what} holds a piece of the token {secret:?}:\n{}",
            &log[from..to]
        );
    }
}

/// An `/ask` answered in one response, a moderator's `/faq-admin reload` answered by a deferral
/// and an edit through the interaction's webhook, and a button press; then SIGTERM. Returns the
/// bot's stderr and every token of the session (the bot's and each interaction's).
async fn round_trip_logged_at(rust_log: &str) -> (String, Vec<String>) {
    let fake = FakeDiscord::start().await.expect("fake");
    let tmp = tempfile::tempdir().expect("tempdir");
    let config = write_config(tmp.path(), &fake, &format!("token = \"{TOKEN}\""));
    let (mut child, _out, err) = spawn_bot(&config, None, rust_log);
    let limit = Duration::from_secs(30);
    fake.wait_session(limit).await.expect("the bot identifies");
    fake.wait_for_request(|r| r.method == "PUT" && r.path.contains("/commands"), limit)
        .await
        .expect("commands registered");

    let member = FakeUser::member("6101");
    let asked = fake
        .dispatch_interaction(fake.slash_command(
            &member,
            "ask",
            vec![opt("question", "How is IL-2 given?")],
        ))
        .expect("dispatch");
    let answer = fake.wait_callback(&asked, limit).await.expect("answered");
    let reload = fake
        .dispatch_interaction(fake.slash_command(
            &FakeUser::moderator("6102"),
            "faq-admin",
            vec![subcommand("reload", vec![])],
        ))
        .expect("dispatch");
    fake.wait_messages(&reload, 1, limit)
        .await
        .expect("the deferred reload is edited through the webhook");
    let helpful = answer["data"]["components"][0]["components"][0]["custom_id"]
        .as_str()
        .expect("a button under the answer")
        .to_string();
    let pressed = fake
        .dispatch_interaction(fake.button(&member, &helpful, None))
        .expect("dispatch");
    fake.wait_callback(&pressed, limit)
        .await
        .expect("the press is answered");

    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.0.id().to_string())
        .status();
    assert!(
        wait_exit(&mut child, Duration::from_secs(15)).is_some(),
        "the bot stops on SIGTERM"
    );
    let stderr = String::from_utf8_lossy(&err.join().expect("stderr")).into_owned();
    let mut tokens = vec![TOKEN.to_string()];
    for id in [&asked, &reload, &pressed] {
        tokens.push(fake.interaction(id).expect("recorded").token);
    }
    (stderr, tokens)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_piece_of_an_interaction_token_is_logged_at_trace() {
    let (log, tokens) = round_trip_logged_at("trace").await;
    let plain = strip_ansi(&log);
    assert_no_fragment("the log at RUST_LOG=trace", &log, &tokens);
    assert_no_fragment("the log without colours", &plain, &tokens);
    for (level, target) in [
        ("TRACE", "serenity::"),
        ("INFO", "faqbot::"),
        ("DEBUG", "hyper"),
    ] {
        assert!(
            logged(&plain, level, target),
            "{level} {target} is in the logs"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_piece_of_an_interaction_token_is_logged_with_module_filters() {
    let (log, tokens) =
        round_trip_logged_at("serenity=trace,h2=trace,hyper=trace,reqwest=trace").await;
    let plain = strip_ansi(&log);
    assert_no_fragment("the log at RUST_LOG=serenity=trace", &log, &tokens);
    assert_no_fragment("the log without colours", &plain, &tokens);
    assert!(
        logged(&plain, "TRACE", "serenity::"),
        "serenity's trace output was on"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_token_is_reported_without_showing_it() {
    let fake = FakeDiscord::start_with(FakeConfig {
        expected_token: Some("some-other-token".into()),
        ..FakeConfig::default()
    })
    .await
    .expect("fake");
    let tmp = tempfile::tempdir().expect("tempdir");
    // Here the token comes from DISCORD_TOKEN, the config has none.
    let config = write_config(tmp.path(), &fake, "");
    let (mut child, out, err) = spawn_bot(&config, Some(TOKEN), "trace");
    let status = wait_exit(&mut child, Duration::from_secs(30));
    let stdout = String::from_utf8_lossy(&out.join().expect("stdout")).into_owned();
    let stderr = String::from_utf8_lossy(&err.join().expect("stderr")).into_owned();
    let status = status.expect("the bot stops by itself");
    assert!(!status.success());
    assert!(stderr.contains("rejected the bot token"), "{stderr}");
    assert!(
        fake.identify_tokens().iter().any(|t| t.contains(TOKEN)),
        "the token was really sent"
    );
    assert_no_token("stderr of a rejected token", &stderr);
    assert_no_token("stderr of a rejected token", &strip_ansi(&stderr));
    assert_no_token("stdout of a rejected token", &stdout);
}

#[test]
fn the_token_is_not_in_debug_output_or_config_errors() {
    let text = format!("[discord]\ntoken = \"{TOKEN}\"\nguild_ids = [1]\n");
    let cfg = Config::from_toml(&text, "config.toml").expect("valid");
    assert_eq!(cfg.discord.token.expose(), TOKEN, "the token is kept");
    assert_no_token("Debug of Config", &format!("{cfg:?}"));
    assert_no_token("pretty Debug of Config", &format!("{cfg:#?}"));
    assert_no_token("Debug of the token", &format!("{:?}", cfg.discord.token));
    assert_no_token("Debug of DiscordConfig", &format!("{:?}", cfg.discord));

    // Errors in a config file that holds the token never quote it.
    let broken = [
        format!("[discord]\ntoken = \"{TOKEN}\"\nguild_idz = [1]\n"),
        format!("[discord]\ntoken = \"{TOKEN}\nguild_ids = [1]\n"),
        format!("[discord]\ntoken = {TOKEN}\n"),
        format!("[discord]\ntoken = [\"{TOKEN}\"]\n"),
        format!("[discord]\ntoken = \"{TOKEN}\"\n[answer]\nreferral = \"\"\n"),
        format!("[discord]\ntoken = \"{TOKEN}\"\nshards = \"many\"\n"),
    ];
    for text in &broken {
        let e = Config::from_toml(text, "config.toml").expect_err("invalid");
        assert_no_token("a config error", &format!("{e:#}"));
        assert_no_token("a config error (Debug)", &format!("{e:?}"));
    }

    // The binary's own error output for a broken config.
    let tmp = tempfile::tempdir().expect("tempdir");
    for (i, text) in broken.iter().enumerate() {
        let path = tmp.path().join(format!("c{i}.toml"));
        std::fs::write(&path, text).expect("write");
        for args in [&["run"][..], &["ask", "hi"][..]] {
            let out = Command::new(env!("CARGO_BIN_EXE_faqbot"))
                .arg("--config")
                .arg(&path)
                .args(args)
                .env("RUST_LOG", "trace")
                .env_remove("DISCORD_TOKEN")
                .current_dir(tmp.path())
                .output()
                .expect("runs");
            assert!(!out.status.success());
            assert_no_token(
                "faqbot's error output",
                &String::from_utf8_lossy(&out.stderr),
            );
            assert_no_token("faqbot's output", &String::from_utf8_lossy(&out.stdout));
        }
    }
}
