//! Moderator insight end to end, through the fake Discord: votes counted once per member per
//! answer, the gap report and its "Add as alias" button, stats, the "Talk to a volunteer"
//! button, and the quiet period after a helper posts.

use faqbot::answer::DEFAULT_REFERRAL;
use faqbot::insight::store::VoteCounts;
use faqbot_test_support::bot::*;
use faqbot_test_support::fake_discord::*;
use faqbot_test_support::schema;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// The helper role of these tests.
const HELPER_ROLE: &str = "3002";
/// A role granting Manage Messages that is not a configured moderator role.
const MANAGER_ROLE: &str = "3003";

fn assert_clean(fake: &FakeDiscord, msg: &Value) {
    assert!(schema::pings_nobody(msg), "pings someone: {msg}");
    let v = fake.schema_violations();
    assert!(v.is_empty(), "schema violations: {v:?}");
}

/// Asks with /ask; returns the interaction id and the shown answer.
async fn ask(fake: &FakeDiscord, user: &FakeUser, question: &str) -> (String, Value) {
    let i = fake.slash_command(user, "ask", vec![opt("question", question)]);
    let id = fake.dispatch_interaction(i).expect("dispatch");
    let msg = fake.shown_message(&id, T).await.expect("answered");
    (id, msg)
}

fn button(msg: &Value, prefix: &str) -> Option<String> {
    button_ids(msg).into_iter().find(|b| b.starts_with(prefix))
}

/// Presses a button and returns the interaction id.
fn press(fake: &FakeDiscord, user: &FakeUser, custom_id: &str, on: Option<Value>) -> String {
    fake.dispatch_interaction(fake.button(user, custom_id, on))
        .expect("dispatch")
}

/// Runs a deferred `/faq-admin` subcommand; returns its callback and the message shown.
async fn admin(fake: &FakeDiscord, user: &FakeUser, sub: Value) -> (Value, Value) {
    let id = fake
        .dispatch_interaction(fake.slash_command(user, "faq-admin", vec![sub]))
        .expect("dispatch");
    let cb = fake.wait_callback(&id, T).await.expect("callback");
    let msg = if cb["type"] == 5 {
        fake.wait_messages(&id, 1, T).await.expect("result")[0].clone()
    } else {
        cb["data"].clone()
    };
    (cb, msg)
}

async fn votes(bot: &faqbot::discord::client::Bot, key: i64) -> VoteCounts {
    let state = bot.state.clone();
    tokio::task::spawn_blocking(move || {
        state
            .insight()
            .expect("insight is on")
            .with_store(|s| s.votes(key))
    })
    .await
    .expect("task")
    .expect("votes")
}

fn db_bytes(ws: &Workspace) -> Vec<u8> {
    let mut bytes = std::fs::read(ws.state_path()).expect("store file");
    let mut wal = ws.state_path().into_os_string();
    wal.push("-wal");
    bytes.extend(std::fs::read(wal).unwrap_or_default());
    bytes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn votes_count_once_and_the_gap_report_adds_an_alias() {
    let fake = FakeDiscord::start().await.expect("fake");
    let ws = Workspace::new();
    let bot = start_bot(&fake, ws.config(&fake)).await;
    let alice = FakeUser::member("881234567890123401");
    let bob = FakeUser::member("881234567890123402");
    let moderator = FakeUser::moderator("5101");

    // Feedback: two presses by one member are one vote; another member's is a second.
    let (_, answer) = ask(&fake, &alice, "How is IL-2 given?").await;
    assert!(
        button(&answer, "volunteer:").is_none(),
        "no volunteer button without a helper role"
    );
    let helpful = button(&answer, "fb:y:").expect("Helpful button");
    let key: i64 = helpful["fb:y:".len()..].parse().expect("row id");
    for user in [&alice, &alice, &bob] {
        let id = press(&fake, user, &helpful, None);
        let ack = fake.shown_message(&id, T).await.expect("acknowledged");
        assert!(is_ephemeral(&ack) && visible_text(&ack).contains(DEFAULT_REFERRAL));
    }
    assert_eq!(votes(&bot, key).await.helpful, 2);
    let not_helpful = button(&answer, "fb:n:").expect("Not helpful button");
    fake.shown_message(&press(&fake, &bob, &not_helpful, None), T)
        .await
        .expect("ack");
    let v = votes(&bot, key).await;
    assert_eq!(
        (v.helpful, v.not_helpful),
        (1, 1),
        "bob changed his vote: still one"
    );
    let bytes = db_bytes(&ws);
    for user in [&alice, &bob] {
        let id = user.id.as_bytes();
        assert!(
            !bytes.windows(id.len()).any(|w| w == id),
            "no raw member id in the store"
        );
    }

    // Unanswered near-duplicates make one gap.
    let cost = "how much does il2 cost";
    for (user, q) in [
        (&alice, cost),
        (&bob, "How much does IL2 cost?"),
        (&moderator, cost),
    ] {
        let (_, msg) = ask(&fake, user, q).await;
        assert!(
            visible_text(&msg).contains("does not cover"),
            "unanswered: {msg}"
        );
    }

    let (cb, _) = admin(&fake, &alice, subcommand("gaps", vec![])).await;
    assert!(
        visible_text(&cb["data"]).contains("Only moderators"),
        "{cb}"
    );

    let (cb, report) = admin(&fake, &moderator, subcommand("gaps", vec![opt("days", 7)])).await;
    assert_eq!(cb["data"]["flags"], 64, "ephemeral");
    let text = visible_text(&report);
    assert!(text.contains("FAQ gaps, last 7 days"), "{text}");
    assert!(text.contains("**3×** how much does il2 cost"), "{text}");
    assert!(text.contains("unanswered 3 · 2 phrasings"), "{text}");
    assert!(text.contains(DEFAULT_REFERRAL));
    assert_clean(&fake, &report);
    let alias = button(&report, "gap-alias:").expect("an alias button");
    let label = report["components"][0]["components"][0]["label"]
        .as_str()
        .unwrap_or("");
    assert!(label.starts_with("Add 1 as alias of"), "{label}");

    let refused = press(&fake, &alice, &alias, None);
    let msg = fake.shown_message(&refused, T).await.expect("refused");
    assert!(visible_text(&msg).contains("Only moderators"));

    let before = bot.state.engine().answer(cost);
    assert!(before.best.is_none());
    let target = before.alternatives[0].entry_id.clone();
    let id = press(&fake, &moderator, &alias, None);
    let done = fake.wait_messages(&id, 1, T).await.expect("added")[0].clone();
    let text = visible_text(&done);
    assert!(
        text.contains("Added \"how much does il2 cost\" as another way to ask"),
        "{text}"
    );
    assert!(text.contains(DEFAULT_REFERRAL));
    let after = bot.state.engine().answer(cost);
    assert_eq!(
        after.best.map(|b| b.entry_id),
        Some(target.clone()),
        "the same question is now answered by the entry"
    );
    let faq = faqbot::faq::load_faq(&faqbot::faq::FaqSource::Dir(ws.faq.clone()))
        .expect("the files stay valid");
    let entry = faq.faq.entry(&target).expect("entry");
    assert!(
        entry.meta.aliases.iter().any(|a| a == cost),
        "alias written"
    );
    let (_, msg) = ask(&fake, &bob, cost).await;
    assert!(!visible_text(&msg).contains("does not cover"), "{msg}");

    // Pressing again changes nothing; the report now says the gap is answered.
    let again = press(&fake, &moderator, &alias, None);
    let msg = fake.wait_messages(&again, 1, T).await.expect("again")[0].clone();
    assert!(visible_text(&msg).contains("already"), "{msg}");
    let (_, report) = admin(&fake, &moderator, subcommand("gaps", vec![])).await;
    assert!(
        visible_text(&report).contains("now answered by"),
        "{report}"
    );
    assert!(button(&report, "gap-alias:").is_none());

    let (_, stats) = admin(&fake, &moderator, subcommand("stats", vec![])).await;
    let text = visible_text(&stats);
    assert!(
        text.contains("Last 7 days") && text.contains("Last 30 days"),
        "{text}"
    );
    assert!(text.contains("5 questions"), "{text}");
    assert!(text.contains("answered 40%"), "{text}");
    assert!(text.contains("helpful 50% of 2 votes"), "{text}");
    assert!(text.contains(DEFAULT_REFERRAL));
    assert_clean(&fake, &stats);
    bot.shutdown().await.expect("shutdown");
}

fn helper_config(ws: &Workspace, fake: &FakeDiscord) -> faqbot::Config {
    let mut cfg = ws.config(fake);
    cfg.discord.helper_role_id = Some(HELPER_ROLE.parse().expect("role"));
    cfg
}

/// Allowed mentions that permit exactly the helper role.
fn pings_only_the_helpers(body: &Value) {
    let am = &body["allowed_mentions"];
    assert_eq!(am["roles"], json!([HELPER_ROLE]), "{am}");
    assert!(
        am["parse"].as_array().is_some_and(Vec::is_empty),
        "no parse: {am}"
    );
    assert!(am["users"].as_array().is_none_or(Vec::is_empty), "{am}");
    assert_ne!(am["replied_user"], json!(true), "{am}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_volunteer_button_opens_a_thread_pinging_only_the_helpers() {
    let fake = FakeDiscord::start().await.expect("fake");
    let ws = Workspace::new();
    let bot = start_bot(&fake, helper_config(&ws, &fake)).await;
    let member = FakeUser::member("5201");

    let (_, nothing) = ask(&fake, &member, "what's the weather in Boston").await;
    assert!(
        button(&nothing, "volunteer:").is_some(),
        "offered under a no-answer too"
    );
    let (ask_id, answer) = ask(&fake, &member, "Can @everyone get IL-2 at home?").await;
    let volunteer = button(&answer, "volunteer:").expect("volunteer button");
    let original = fake.original_message(&ask_id).expect("answer message");
    let answer_id = original["id"].as_str().expect("id").to_string();

    let from = fake.requests().len();
    let id = press(&fake, &member, &volunteer, Some(original.clone()));
    let thread = fake
        .wait_for_request_from(
            from,
            |r| r.is("POST", "/channels/") && r.route().ends_with("/threads"),
            T,
        )
        .await
        .expect("thread opened");
    assert_eq!(
        thread.route(),
        format!("/channels/{CHANNEL_ID}/messages/{answer_id}/threads")
    );
    assert_eq!(thread.body_or_null()["name"], "Talk to a volunteer");
    let thread_id = thread.response.as_ref().expect("thread")["id"]
        .as_str()
        .expect("id")
        .to_string();
    let posted = fake
        .wait_for_request_from(
            from,
            |r| r.is("POST", &format!("/channels/{thread_id}/messages")),
            T,
        )
        .await
        .expect("helpers asked in the thread");
    let body = posted.body_or_null();
    let text = visible_text(&body);
    assert!(text.starts_with(&format!("<@&{HELPER_ROLE}>")), "{text}");
    assert!(
        text.contains("> Can @everyone get IL-2 at home?"),
        "question quoted: {text}"
    );
    assert!(text.contains(DEFAULT_REFERRAL), "{text}");
    pings_only_the_helpers(&body);
    let ack = fake.wait_messages(&id, 1, T).await.expect("acknowledged")[0].clone();
    assert!(visible_text(&ack).contains("opened a thread"), "{ack}");
    let cb = fake.wait_callback(&id, T).await.expect("deferred");
    assert_eq!(cb["data"]["flags"], 64, "only the member sees it");

    // A second press does not ping the helpers again.
    let again = press(&fake, &member, &volunteer, Some(original));
    let msg = fake.shown_message(&again, T).await.expect("answered");
    assert!(visible_text(&msg).contains("already been asked"), "{msg}");
    assert_eq!(
        fake.requests()
            .iter()
            .filter(|r| r.route().ends_with("/threads"))
            .count(),
        1
    );

    // When no thread can be made, the helpers are asked in the channel, replying to the answer.
    let (ask_id, answer) = ask(&fake, &member, "How is IL-2 given?").await;
    let original = fake.original_message(&ask_id).expect("answer message");
    fake.inject_fault(1, 403, |m, p| m == "POST" && p.ends_with("/threads"));
    let from = fake.requests().len();
    let id = press(
        &fake,
        &member,
        &button(&answer, "volunteer:").expect("button"),
        Some(original.clone()),
    );
    let posted = fake
        .wait_for_request_from(
            from,
            |r| r.method == "POST" && r.route() == format!("/channels/{CHANNEL_ID}/messages"),
            T,
        )
        .await
        .expect("asked in the channel");
    let body = posted.body_or_null();
    assert!(
        visible_text(&body).contains(&format!("<@&{HELPER_ROLE}>")),
        "{body}"
    );
    assert_eq!(body["message_reference"]["message_id"], original["id"]);
    pings_only_the_helpers(&body);
    let ack = fake.wait_messages(&id, 1, T).await.expect("acknowledged")[0].clone();
    assert!(visible_text(&ack).contains("here in the channel"), "{ack}");
    let v = fake.schema_violations();
    assert!(v.is_empty(), "{v:?}");
    bot.shutdown().await.expect("shutdown");
}

/// A MESSAGE_CREATE by `author` in `channel`.
fn message_in(fake: &FakeDiscord, author: &FakeUser, channel: &str, content: &str) -> Value {
    let mut m = fake.message_create(author, content);
    m["channel_id"] = json!(channel);
    m
}

async fn wait_quiet(bot: &faqbot::discord::client::Bot, channel: u64) {
    let deadline = Instant::now() + T;
    while !bot.state.is_quiet(channel) {
        assert!(
            Instant::now() < deadline,
            "channel {channel} never went quiet"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mentions_stay_unanswered_for_a_while_after_a_helper_posts() {
    let mut roles = FakeConfig::default().roles;
    roles.push(RoleSpec {
        id: MANAGER_ROLE.into(),
        name: "Manager".into(),
        permissions: PERMS_MODERATOR,
    });
    let fake = FakeDiscord::start_with(FakeConfig {
        roles,
        ..FakeConfig::default()
    })
    .await
    .expect("fake");
    let ws = Workspace::new();
    let bot = start_bot(&fake, helper_config(&ws, &fake)).await;
    let member = FakeUser::member("5301");
    let helper = FakeUser::member("5302").with_roles(&[HELPER_ROLE]);
    let manager = FakeUser::member("5303").with_roles(&[MANAGER_ROLE]);
    let (busy, other, managed) = (CHANNEL_ID, "4001", "4002");

    fake.send_dispatch(
        "MESSAGE_CREATE",
        message_in(&fake, &helper, busy, "I can help with that"),
    )
    .expect("dispatch");
    wait_quiet(&bot, busy.parse().expect("id")).await;
    fake.send_dispatch(
        "MESSAGE_CREATE",
        message_in(&fake, &manager, managed, "hello all"),
    )
    .expect("dispatch");
    wait_quiet(&bot, managed.parse().expect("id")).await;
    assert!(!bot.state.is_quiet(other.parse().expect("id")));

    let from = fake.requests().len();
    fake.send_dispatch(
        "MESSAGE_CREATE",
        message_in(&fake, &member, busy, "<@1000> how is IL-2 given?"),
    )
    .expect("dispatch");
    fake.send_dispatch(
        "MESSAGE_CREATE",
        message_in(&fake, &member, other, "<@1000> how is IL-2 given?"),
    )
    .expect("dispatch");
    let reply = fake
        .wait_for_request_from(from, |r| r.is("POST", "/channels/4001/messages"), T)
        .await
        .expect("answered where no helper spoke");
    assert!(visible_text(&reply.body_or_null()).contains("most common way"));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let busy_posts = |from: usize| {
        fake.requests()[from..]
            .iter()
            .filter(|r| r.is("POST", &format!("/channels/{busy}/messages")))
            .count()
    };
    assert_eq!(busy_posts(from), 0, "quiet where the helper is talking");

    // The helper can still ask the bot there.
    fake.send_dispatch(
        "MESSAGE_CREATE",
        message_in(&fake, &helper, busy, "<@1000> how is IL-2 given?"),
    )
    .expect("dispatch");
    fake.wait_for_request_from(
        from,
        |r| r.is("POST", &format!("/channels/{busy}/messages")),
        T,
    )
    .await
    .expect("a helper's own mention is answered");

    let channel: u64 = busy.parse().expect("id");
    let now = Instant::now();
    assert!(bot
        .state
        .is_quiet_at(channel, now + Duration::from_secs(29 * 60)));
    assert!(
        !bot.state
            .is_quiet_at(channel, now + Duration::from_secs(31 * 60)),
        "quiet_minutes (30) later the bot answers again"
    );
    bot.shutdown().await.expect("shutdown");
}
