//! Load and faults through the fake Discord: 500 interactions in flight at once, REST errors on
//! the callback, a gateway dropped again and again during traffic, an urgent question; and, behind
//! `#[ignore]`, a 10,000-interaction soak of the release binary with its memory reported.

use faqbot::answer::DEFAULT_REFERRAL;
use faqbot::answer::URGENT_TITLE;
use faqbot_test_support::bot::*;
use faqbot_test_support::fake_discord::*;
use faqbot_test_support::schema;
use serde_json::Value;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// WARN and ERROR lines from every test of this binary (the bot runs in-process).
fn logs() -> &'static Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        #[derive(Clone)]
        struct Buf(Arc<Mutex<Vec<u8>>>);
        impl Write for Buf {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                self.0
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .extend_from_slice(b);
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let buf = Arc::new(Mutex::new(Vec::new()));
        let writer = Buf(Arc::clone(&buf));
        let _ = tracing::subscriber::set_global_default(
            tracing_subscriber::fmt()
                .with_max_level(tracing::Level::WARN)
                .with_ansi(false)
                .with_writer(move || writer.clone())
                .finish(),
        );
        buf
    })
}

/// The tests of this file take turns: 500 interactions at once must not share two cores with
/// another bot, or Discord's 3-second deadline measures the neighbours.
async fn one_at_a_time() -> tokio::sync::MutexGuard<'static, ()> {
    static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    TURN.lock().await
}

fn log_text() -> String {
    String::from_utf8_lossy(&logs().lock().unwrap_or_else(|p| p.into_inner())).into_owned()
}

const QUESTIONS: &[&str] = &[
    "How is IL-2 given?",
    "what is rhIL-2?",
    "does IL-2 activate NK cells",
    "can they inject it straight into the tumour?",
    "what's the weather in Boston tomorrow",
    "is IL-2 only used for cancer",
];

fn ask(fake: &FakeDiscord, user: &FakeUser, q: &str) -> String {
    fake.dispatch_interaction(fake.slash_command(user, "ask", vec![opt("question", q)]))
        .expect("dispatch")
}

/// Waits for every interaction's callback; returns dispatch-to-callback latencies.
async fn all_answered(fake: &FakeDiscord, ids: &[String], limit: Duration) -> Vec<Duration> {
    let mut latencies = Vec::new();
    for id in ids {
        let cb = fake
            .wait_callback(id, limit)
            .await
            .unwrap_or_else(|e| panic!("interaction {id} was never answered: {e:#}"));
        let shown = cb["data"].clone();
        assert!(
            visible_text(&shown).contains(DEFAULT_REFERRAL),
            "{id}: {cb}"
        );
        assert!(schema::pings_nobody(&shown), "{id}: {cb}");
        let rec = fake.interaction(id).expect("recorded");
        assert!(rec.refused.is_empty(), "{id}: refused {:?}", rec.refused);
        if let Some((_, at)) = rec.callback {
            latencies.push(at.duration_since(rec.dispatched_at));
        }
    }
    latencies.sort();
    latencies
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_interactions_in_flight_are_all_answered() {
    logs();
    let _turn = one_at_a_time().await;
    let fake = FakeDiscord::start().await.expect("fake");
    let ws = Workspace::new();
    let bot = start_bot(&fake, ws.config(&fake)).await;
    let started = Instant::now();
    let ids: Vec<String> = (0..500)
        .map(|i| {
            let user = FakeUser::member(&format!("{}", 20_000 + i));
            ask(&fake, &user, QUESTIONS[i % QUESTIONS.len()])
        })
        .collect();
    let latencies = all_answered(&fake, &ids, Duration::from_secs(30)).await;
    let wall = started.elapsed();
    assert_eq!(latencies.len(), 500);
    eprintln!(
        "500 in flight: all answered in {:.2} s; dispatch to callback p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        wall.as_secs_f64(),
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
    assert!(wall < Duration::from_secs(30), "500 answers took {wall:?}");
    let v = fake.schema_violations();
    assert!(v.is_empty(), "{v:?}");
    bot.shutdown().await.expect("clean shutdown");
}

/// The requests that answered interaction `id` (its callback, then edits of its response), in
/// order of arrival.
fn requests_for(fake: &FakeDiscord, id: &str, token: &str) -> Vec<Recorded> {
    fake.requests()
        .into_iter()
        .filter(|r| r.path.contains(&format!("/interactions/{id}/")) || r.path.contains(token))
        .collect()
}

fn token_of(fake: &FakeDiscord, id: &str) -> String {
    fake.interaction(id).expect("recorded").token
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_callback_is_retried_a_few_times_then_logged_never_a_crash() {
    logs();
    let _turn = one_at_a_time().await;
    let fake = FakeDiscord::start().await.expect("fake");
    let ws = Workspace::new();
    let bot = start_bot(&fake, ws.config(&fake)).await;
    let user = FakeUser::member("21001");
    let callbacks = |id: &str| requests_for(&fake, id, &token_of(&fake, id)).len();

    // One 500: the retry gets through.
    fake.fail_next(1, 500, "/callback");
    let id = ask(&fake, &user, "How is IL-2 given?");
    let cb = fake.wait_callback(&id, T).await.expect("the retry lands");
    assert!(visible_text(&cb["data"]).contains(DEFAULT_REFERRAL));
    assert_eq!(callbacks(&id), 2, "one failure, one retry");

    // Discord failing every time: four tries within the deadline, then logged; the bot carries on.
    fake.fail_next(4, 500, "/callback");
    let id = ask(&fake, &user, "what is rhIL-2?");
    let deadline = Instant::now() + T;
    while !log_text().contains("Discord failed 4 times") && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        log_text().contains("Discord failed 4 times"),
        "{}",
        log_text()
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(callbacks(&id), 4, "four tries, no more");
    assert!(fake.interaction(&id).expect("recorded").callback.is_none());
    // 503 and 502 too.
    for status in [503, 502] {
        fake.fail_next(1, status, "/callback");
        let id = ask(&fake, &user, "does IL-2 activate NK cells");
        fake.wait_callback(&id, T)
            .await
            .unwrap_or_else(|e| panic!("after a {status}: {e:#}"));
    }
    let id = ask(&fake, &user, "is IL-2 only used for cancer");
    fake.wait_callback(&id, T).await.expect("still answering");
    assert!(!bot.task.is_finished(), "the client is still running");
    bot.shutdown().await.expect("clean shutdown");
}

/// The gaps between consecutive requests.
fn gaps(requests: &[Recorded]) -> Vec<Duration> {
    requests
        .windows(2)
        .map(|w| w[1].at.duration_since(w[0].at))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limited_response_is_retried_only_after_retry_after() {
    logs();
    let _turn = one_at_a_time().await;
    let fake = FakeDiscord::start().await.expect("fake");
    let ws = Workspace::new();
    let bot = start_bot(&fake, ws.config(&fake)).await;
    let wait = Duration::from_millis(750);
    let limit = RateLimit {
        retry_after: wait,
        global: false,
    };

    // The callback: two 429s, then the answer.
    fake.rate_limit_next(2, "/callback", limit);
    let id = ask(&fake, &FakeUser::member("21101"), "How is IL-2 given?");
    let cb = fake.wait_callback(&id, T).await.expect("the reply lands");
    assert_eq!(cb["type"], 4, "answered in the first response: {cb}");
    assert!(visible_text(&cb["data"]).contains(DEFAULT_REFERRAL));
    let sent = requests_for(&fake, &id, &token_of(&fake, &id));
    assert_eq!(
        sent.iter().map(|r| r.status).collect::<Vec<_>>(),
        [429, 429, 204]
    );
    for gap in gaps(&sent) {
        assert!(
            gap >= wait,
            "retried {gap:?} after a 429 asking for {wait:?}"
        );
    }

    // The edit of a deferred response (a moderator's reload) waits the same way.
    fake.rate_limit_next(2, "/messages/@original", limit);
    let id = fake
        .dispatch_interaction(fake.slash_command(
            &FakeUser::moderator("21102"),
            "faq-admin",
            vec![subcommand("reload", vec![])],
        ))
        .expect("dispatch");
    let shown = fake.wait_messages(&id, 1, T).await.expect("the edit lands");
    assert!(visible_text(&shown[0]).contains(DEFAULT_REFERRAL));
    let edits: Vec<Recorded> = requests_for(&fake, &id, &token_of(&fake, &id))
        .into_iter()
        .filter(|r| r.method == "PATCH")
        .collect();
    assert_eq!(
        edits.iter().map(|r| r.status).collect::<Vec<_>>(),
        [429, 429, 200]
    );
    for gap in gaps(&edits) {
        assert!(
            gap >= wait,
            "edit retried {gap:?} after a 429 asking for {wait:?}"
        );
    }
    let v = fake.schema_violations();
    assert!(v.is_empty(), "{v:?}");
    bot.shutdown().await.expect("clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_global_rate_limit_holds_every_send_and_a_reply_it_would_make_late_is_deferred() {
    logs();
    let _turn = one_at_a_time().await;
    let fake = FakeDiscord::start().await.expect("fake");
    let ws = Workspace::new();
    let bot = start_bot(&fake, ws.config(&fake)).await;

    // A short global pause: another member's answer waits for it too.
    let pause = Duration::from_millis(1000);
    let global_limits = || log_text().matches("global=true").count();
    let seen = global_limits();
    fake.rate_limit_next(
        1,
        "/callback",
        RateLimit {
            retry_after: pause,
            global: true,
        },
    );
    let first = ask(&fake, &FakeUser::member("21201"), "How is IL-2 given?");
    let limited = fake
        .wait_for_request(|r| r.status == 429, T)
        .await
        .expect("the 429");
    // Once the bot has read the 429 (it logs it), a new question waits for the pause too; one
    // sent before the 429 reached the bot could not know of it.
    let deadline = Instant::now() + T;
    while global_limits() == seen && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert!(
        global_limits() > seen,
        "the global 429 is logged: {}",
        log_text()
    );
    let second = ask(&fake, &FakeUser::member("21202"), "what is rhIL-2?");
    for id in [&first, &second] {
        let cb = fake.wait_callback(id, T).await.expect("answered");
        assert_eq!(cb["type"], 4, "{cb}");
        let (_, at) = fake
            .interaction(id)
            .expect("recorded")
            .callback
            .expect("callback");
        assert!(
            at.duration_since(limited.at) >= pause,
            "{id} answered {:?} into a {pause:?} global pause",
            at.duration_since(limited.at)
        );
    }

    // A global pause longer than Discord's 3 seconds: the question is deferred at once (Discord
    // does not hold interaction callbacks to the global limit), then answered when it ends.
    let pause = Duration::from_millis(4000);
    fake.rate_limit_next(
        1,
        "/callback",
        RateLimit {
            retry_after: pause,
            global: true,
        },
    );
    let id = ask(&fake, &FakeUser::member("21203"), "How is IL-2 given?");
    let cb = fake.wait_callback(&id, T).await.expect("deferred in time");
    assert_eq!(cb["type"], 5, "deferred: {cb}");
    let rec = fake.interaction(&id).expect("recorded");
    assert!(rec.refused.is_empty(), "{:?}", rec.refused);
    let limited = requests_for(&fake, &id, &rec.token)[0].clone();
    assert_eq!(limited.status, 429);
    let shown = fake
        .wait_messages(&id, 1, T)
        .await
        .expect("the answer follows");
    assert!(visible_text(&shown[0]).contains("IL-2"), "{}", shown[0]);
    assert!(visible_text(&shown[0]).contains(DEFAULT_REFERRAL));
    let edit = requests_for(&fake, &id, &rec.token)
        .into_iter()
        .find(|r| r.method == "PATCH")
        .expect("an edit");
    assert!(
        edit.at.duration_since(limited.at) >= pause,
        "the edit came {:?} into a {pause:?} global pause",
        edit.at.duration_since(limited.at)
    );
    let v = fake.schema_violations();
    assert!(v.is_empty(), "{v:?}");
    bot.shutdown().await.expect("clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gateway_dropped_ten_times_during_traffic_loses_no_interaction() {
    logs();
    let _turn = one_at_a_time().await;
    let fake = FakeDiscord::start().await.expect("fake");
    let ws = Workspace::new();
    let bot = start_bot(&fake, ws.config(&fake)).await;
    let mut ids = Vec::new();
    let mut n = 0;
    let mut next = |fake: &FakeDiscord| {
        n += 1;
        let user = FakeUser::member(&format!("{}", 22_000 + n));
        ask(fake, &user, QUESTIONS[n % QUESTIONS.len()])
    };
    let handshakes = fake.identify_count() + fake.resume_count();
    for drop in 0..10 {
        for _ in 0..5 {
            ids.push(next(&fake));
        }
        assert!(fake.drop_gateway(), "drop {drop}: a connection was open");
        // Traffic while the bot is away: Discord keeps it and replays it on RESUME.
        for _ in 0..5 {
            ids.push(next(&fake));
        }
        fake.wait_for_handshakes(handshakes + drop + 1, Duration::from_secs(20))
            .await
            .unwrap_or_else(|e| panic!("no reconnect after drop {drop}: {e:#}"));
        fake.wait_session(Duration::from_secs(20))
            .await
            .expect("session live again");
    }
    let latencies = all_answered(&fake, &ids, Duration::from_secs(20)).await;
    assert_eq!(latencies.len(), 100);
    assert!(
        fake.resume_count() >= 10,
        "the bot resumed its session ({} resumes, {} identifies)",
        fake.resume_count(),
        fake.identify_count()
    );
    eprintln!(
        "10 drops: {} resumes, {} identifies; 100 interactions answered, max {:.0} ms",
        fake.resume_count(),
        fake.identify_count(),
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3
    );
    bot.shutdown().await.expect("clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_urgent_question_shows_the_notice_first() {
    logs();
    let _turn = one_at_a_time().await;
    let fake = FakeDiscord::start().await.expect("fake");
    let ws = Workspace::new();
    let bot = start_bot(&fake, ws.config(&fake)).await;
    let id = ask(
        &fake,
        &FakeUser::member("23001"),
        "I have a fever of 40 and shaking chills after my IL-2 infusion @everyone",
    );
    let msg = fake.shown_message(&id, T).await.expect("answered");
    let embed = &msg["embeds"][0];
    assert_eq!(embed["title"], URGENT_TITLE, "{msg}");
    let description = embed["description"].as_str().unwrap_or("");
    assert!(
        description.starts_with("During cancer treatment, a temperature of 38"),
        "{description}"
    );
    let fields = embed["fields"].as_array().cloned().unwrap_or_default();
    assert_eq!(
        fields.last().and_then(|f| f["value"].as_str()),
        Some(DEFAULT_REFERRAL)
    );
    assert!(schema::pings_nobody(&msg));
    assert!(schema::check_discord_limits(&msg).is_ok());
    let v = fake.schema_violations();
    assert!(v.is_empty(), "{v:?}");
    bot.shutdown().await.expect("clean shutdown");
}

/// Asks `question` every 100 ms (a bounded number of times) until the answer's first embed is
/// (or, with `urgent` false, is not) the urgent notice; returns that answer's first embed text.
async fn ask_until_urgent(
    fake: &FakeDiscord,
    user: &FakeUser,
    question: &str,
    urgent: bool,
) -> Option<String> {
    for _ in 0..60 {
        let id = ask(fake, user, question);
        let msg = fake.shown_message(&id, T).await.expect("answered");
        let embed = &msg["embeds"][0];
        if (embed["title"] == URGENT_TITLE) == urgent {
            return Some(embed["description"].as_str().unwrap_or("").to_string());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_red_flag_added_to_urgent_toml_is_picked_up_while_running_and_a_broken_one_keeps_the_rules(
) {
    logs();
    let _turn = one_at_a_time().await;
    let fake = FakeDiscord::start().await.expect("fake");
    let ws = Workspace::new();
    let bot = start_bot(&fake, ws.config(&fake)).await;
    let user = FakeUser::member("24001");
    let question = "my skin is blistering all over my arms since this morning";
    assert!(
        ask_until_urgent(&fake, &user, question, false)
            .await
            .is_some(),
        "not a red flag before the clinicians add it"
    );

    let urgent = ws.faq.join("urgent.toml");
    let shipped = std::fs::read_to_string(&urgent).expect("urgent.toml");
    let notice = "Blistering skin during treatment needs a doctor today: call your care team now.";
    let added = format!(
        "{shipped}\n[[group]]\nid = \"blisters\"\nname = \"Blistering skin\"\nnotice = \"{notice}\"\npatterns = [\"skin * blister*\"]\n"
    );
    std::fs::write(&urgent, &added).expect("write urgent.toml");
    let shown = ask_until_urgent(&fake, &user, question, true)
        .await
        .expect("the new red flag is picked up without a restart");
    assert_eq!(shown, notice);

    // A broken edit: the rules just added keep serving, and the log says where it broke.
    let broken_line = added.lines().count() + 3;
    std::fs::write(&urgent, format!("{added}\n[[group]]\nid = \n")).expect("break urgent.toml");
    let deadline = Instant::now() + T;
    let wanted = format!("{}:{broken_line}:", urgent.display());
    while !log_text().contains(&wanted) && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(log_text().contains(&wanted), "{}", log_text());
    // Reading the files to reload them is not a change: the broken file is reported once.
    tokio::time::sleep(faqbot::discord::reload::DEBOUNCE * 4).await;
    assert_eq!(log_text().matches(&wanted).count(), 1, "{}", log_text());
    let id = ask(&fake, &user, question);
    let msg = fake.shown_message(&id, T).await.expect("answered");
    assert_eq!(msg["embeds"][0]["title"], URGENT_TITLE, "{msg}");
    assert_eq!(msg["embeds"][0]["description"], notice);
    bot.shutdown().await.expect("clean shutdown");
}

// --- soak ------------------------------------------------------------------------------------

/// The bot process, killed (and reaped) if the test ends early.
struct Bot(std::process::Child);

impl Drop for Bot {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
        }
        let _ = self.0.wait();
    }
}

fn proc_kb(pid: u32, key: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))?
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()
        })
        .unwrap_or(0)
}

/// 10,000 `/ask` interactions, 50 in flight at a time (`FAQBOT_SOAK` and `FAQBOT_SOAK_IN_FLIGHT`
/// change both), into the release `faqbot run` (build it
/// first: `cargo build --release`; without it the debug binary is used), with its memory at the
/// start, every 2,000 and at the end. Adds a row to BENCHMARKS.md.
///
/// `cargo build --release && cargo test --test discord_faults soak -- --ignored --nocapture`
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a soak of several minutes; run by hand (see the doc comment)"]
async fn soak_ten_thousand_interactions() {
    let total: usize = std::env::var("FAQBOT_SOAK")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let in_flight: usize = std::env::var("FAQBOT_SOAK_IN_FLIGHT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(50)
        .max(1);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let release = root.join("target/release/faqbot");
    let binary = if release.exists() {
        release
    } else {
        std::path::PathBuf::from(env!("CARGO_BIN_EXE_faqbot"))
    };
    let questions: Vec<String> = std::fs::read_to_string(root.join("tests/fixtures/dev.jsonl"))
        .expect("dev set")
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|v| v["q"].as_str().map(str::to_string))
        .filter(|q| !q.is_empty())
        .collect();
    let fake = FakeDiscord::start().await.expect("fake");
    let ws = Workspace::new();
    let cfg = ws.tmp.path().join("config.toml");
    std::fs::write(
        &cfg,
        format!(
            "[discord]\ntoken = \"soak-token\"\napi_base_url = \"{}\"\nguild_ids = [{GUILD_ID}]\ncooldown_seconds = 0\n\n[faq]\ndir = \"{}\"\nindex_dir = \"{}\"\n",
            fake.base_url(),
            ws.faq.display(),
            ws.tmp.path().join("index").display()
        ),
    )
    .expect("config");
    let mut child = Bot(std::process::Command::new(&binary)
        .arg("--config")
        .arg(&cfg)
        .arg("run")
        .env("RUST_LOG", "warn")
        .env_remove("DISCORD_TOKEN")
        .spawn()
        .expect("bot starts"));
    let pid = child.0.id();
    let limit = Duration::from_secs(30);
    fake.wait_session(limit).await.expect("identifies");
    fake.wait_for_request(|r| r.method == "PUT" && r.path.contains("/commands"), limit)
        .await
        .expect("registers");
    let rss_start = proc_kb(pid, "VmRSS:");
    let mut samples = vec![rss_start];
    let started = Instant::now();
    let mut latencies = Vec::with_capacity(total);
    let mut done = 0;
    while done < total {
        let batch: Vec<String> = (done..(done + in_flight).min(total))
            .map(|i| {
                let user = FakeUser::member(&format!("{}", 30_000 + i % 500));
                ask(&fake, &user, &questions[i % questions.len()])
            })
            .collect();
        done += batch.len();
        latencies.extend(all_answered(&fake, &batch, limit).await);
        if done % 2_000 < in_flight {
            samples.push(proc_kb(pid, "VmRSS:"));
        }
    }
    let wall = started.elapsed();
    let rss_end = proc_kb(pid, "VmRSS:");
    let peak = proc_kb(pid, "VmHWM:");
    latencies.sort();
    let violations = fake.schema_violations().len();
    let _ = std::process::Command::new("kill")
        .arg(pid.to_string())
        .status();
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut clean = false;
    while Instant::now() < deadline {
        if let Ok(Some(s)) = child.0.try_wait() {
            clean = s.success();
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    drop(child);
    let mb = |kb: u64| kb as f64 / 1024.0;
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let curve = samples
        .iter()
        .map(|kb| format!("{:.1}", mb(*kb)))
        .collect::<Vec<_>>()
        .join(" → ");
    let line = format!(
        "| {} | {} | {in_flight} | {} | {:.0}/s | {:.2} ms | {:.2} ms | {:.2} ms | {:.1} / {:.1} / {:.1} MB | {curve} | {violations} | {} |",
        today(),
        total,
        latencies.len(),
        latencies.len() as f64 / wall.as_secs_f64(),
        ms(percentile(&latencies, 0.5)),
        ms(percentile(&latencies, 0.99)),
        ms(latencies.last().copied().unwrap_or_default()),
        mb(rss_start),
        mb(rss_end),
        mb(peak),
        if clean { "yes" } else { "no" },
    );
    println!("{line}");
    assert_eq!(latencies.len(), total, "every interaction answered");
    assert_eq!(violations, 0);
    record_soak(&root.join("BENCHMARKS.md"), &line);
}

/// Adds a result row to the soak table of BENCHMARKS.md (the table under "## Soak").
fn record_soak(path: &std::path::Path, row: &str) {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut lines: Vec<&str> = text.lines().collect();
    let Some(section) = lines.iter().position(|l| l.starts_with("## Soak")) else {
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .expect("BENCHMARKS.md");
        let _ = writeln!(f, "\n{row}");
        return;
    };
    let mut at = section + 1;
    let mut in_table = false;
    for (i, l) in lines.iter().enumerate().skip(section + 1) {
        if l.starts_with("## ") {
            break;
        }
        if l.starts_with('|') {
            in_table = true;
            at = i + 1;
        } else if in_table {
            break;
        }
    }
    lines.insert(at, row);
    let _ = std::fs::write(path, lines.join("\n") + "\n");
}

fn today() -> String {
    std::process::Command::new("date")
        .arg("+%Y-%m-%d")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}
