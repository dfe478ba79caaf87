//! The bot end to end: its real serenity client against the loopback fake Discord.

use faqbot::answer::DEFAULT_REFERRAL;
use faqbot_test_support::bot::*;
use faqbot_test_support::fake_discord::*;
use faqbot_test_support::schema;
use serde_json::Value;

fn assert_clean(fake: &FakeDiscord, msg: &Value) {
    assert!(schema::pings_nobody(msg), "pings someone: {msg}");
    if let Err(e) = schema::check_discord_limits(msg) {
        panic!("over Discord's limits: {e:?}");
    }
    let v = fake.schema_violations();
    assert!(v.is_empty(), "schema violations: {v:?}");
}

async fn ask(fake: &FakeDiscord, user: &FakeUser, question: &str) -> Value {
    let i = fake.slash_command(user, "ask", vec![opt("question", question)]);
    let id = fake.dispatch_interaction(i).expect("dispatch");
    fake.shown_message(&id, T).await.expect("answered")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registers_commands_and_answers_ask() {
    let fake = FakeDiscord::start().await.expect("fake");
    let ws = Workspace::new();
    let bot = start_bot(&fake, ws.config(&fake)).await;

    let registered = fake.registered_commands();
    assert!(
        registered
            .iter()
            .all(|(g, _)| g.as_deref() == Some(GUILD_ID)),
        "guild_ids registers per guild"
    );
    let cmds: Vec<Value> = registered.into_iter().map(|(_, c)| c).collect();
    let names: Vec<&str> = cmds.iter().filter_map(|c| c["name"].as_str()).collect();
    assert_eq!(names, ["ask", "faq", "faq-admin", "Answer from FAQ"]);
    let ask_cmd = &cmds[0];
    assert_eq!(ask_cmd["options"][0]["name"], "question");
    assert_eq!(ask_cmd["options"][0]["required"], true);
    assert_eq!(ask_cmd["options"][0]["max_length"], 1000);
    let admin = &cmds[2];
    assert_eq!(
        admin["default_member_permissions"].as_str(),
        Some("8192"),
        "Manage Messages"
    );
    let subs: Vec<&str> = admin["options"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| o["name"].as_str())
        .collect();
    assert_eq!(subs, ["add", "edit", "remove", "reload", "gaps", "stats"]);
    assert_eq!(cmds[3]["type"], 3, "message context menu");

    let msg = ask(&fake, &FakeUser::member("5001"), "How is IL-2 given?").await;
    let text = visible_text(&msg);
    assert!(
        text.contains("most common way to administer RHIL-2"),
        "{text}"
    );
    assert!(text.contains(DEFAULT_REFERRAL), "{text}");
    assert!(!is_ephemeral(&msg));
    let ids = button_ids(&msg);
    assert!(
        ids.iter().any(|i| i.starts_with("fb:y:")) && ids.iter().any(|i| i.starts_with("more:")),
        "{ids:?}"
    );
    assert_clean(&fake, &msg);
    bot.shutdown().await.expect("clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn off_topic_and_hostile_questions() {
    let fake = FakeDiscord::start().await.expect("fake");
    let ws = Workspace::new();
    let bot = start_bot(&fake, ws.config(&fake)).await;
    let user = FakeUser::member("5002");

    let msg = ask(&fake, &user, "what's the weather in Boston tomorrow").await;
    let text = visible_text(&msg);
    assert!(text.contains("does not cover"), "{text}");
    assert!(!text.contains("most common way"), "no passage: {text}");
    assert!(text.contains(DEFAULT_REFERRAL));
    assert_clean(&fake, &msg);

    let long = format!("@everyone <@&3001> {}", "is IL-2 safe? ".repeat(430));
    assert!(long.chars().count() > 6000);
    for q in [
        "@everyone check this out",
        "title:(a AND \"b",
        "<@1001> 🎗️🎗️",
        long.as_str(),
        "",
    ] {
        let msg = ask(&fake, &user, q).await;
        assert!(visible_text(&msg).contains(DEFAULT_REFERRAL), "{q}");
        assert_clean(&fake, &msg);
    }
    bot.shutdown().await.expect("shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autocomplete_list_show_and_buttons() {
    let fake = FakeDiscord::start().await.expect("fake");
    let ws = Workspace::new();
    let bot = start_bot(&fake, ws.config(&fake)).await;
    let user = FakeUser::member("5003");

    let empty = fake.autocomplete(
        &user,
        "faq",
        vec![subcommand("show", vec![opt_focused("topic", "")])],
    );
    let id = fake.dispatch_interaction(empty).expect("dispatch");
    let cb = fake
        .wait_callback(&id, T)
        .await
        .expect("autocomplete answered");
    assert_eq!(cb["type"], 8);
    let choices = cb["data"]["choices"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(choices.len(), 6, "empty input lists the entries");
    assert!(choices.iter().all(|c| {
        let n = c["name"].as_str().unwrap_or("").chars().count();
        (1..=100).contains(&n)
    }));

    let typed = fake.autocomplete(
        &user,
        "faq",
        vec![subcommand("show", vec![opt_focused("topic", "other uses")])],
    );
    let id = fake.dispatch_interaction(typed).expect("dispatch");
    let cb = fake.wait_callback(&id, T).await.expect("answered");
    assert_eq!(
        cb["data"]["choices"][0]["value"],
        "are-there-any-other-uses-for-recombinant-human-interleukin-2",
        "best match first: {cb}"
    );

    let show = fake.slash_command(
        &user,
        "faq",
        vec![subcommand(
            "show",
            vec![opt("topic", "what-is-recombinant-human-interleukin-2")],
        )],
    );
    let id = fake.dispatch_interaction(show).expect("dispatch");
    let msg = fake.shown_message(&id, T).await.expect("shown");
    assert!(visible_text(&msg).contains("derived from Escherichia coli"));
    assert_clean(&fake, &msg);

    let list = fake.slash_command(&user, "faq", vec![subcommand("list", vec![])]);
    let id = fake.dispatch_interaction(list).expect("dispatch");
    let msg = fake.shown_message(&id, T).await.expect("listed");
    let text = visible_text(&msg);
    assert!(
        text.contains("How Effective Is Recombinant Human Interleukin-2")
            && text.contains(DEFAULT_REFERRAL)
    );
    assert_clean(&fake, &msg);

    let i = fake.slash_command(&user, "ask", vec![opt("question", "can IL-2 treat TB")]);
    let ask_id = fake.dispatch_interaction(i).expect("dispatch");
    let answer = fake.shown_message(&ask_id, T).await.expect("answered");
    let original = fake.original_message(&ask_id);
    for prefix in ["fb:y:", "more:"] {
        let custom = button_ids(&answer)
            .into_iter()
            .find(|b| b.starts_with(prefix))
            .expect("button");
        let id = fake
            .dispatch_interaction(fake.button(&user, &custom, original.clone()))
            .expect("dispatch");
        let msg = fake.shown_message(&id, T).await.expect("acknowledged");
        assert!(is_ephemeral(&msg), "{prefix} is ephemeral");
        assert!(visible_text(&msg).contains(DEFAULT_REFERRAL));
        assert_clean(&fake, &msg);
    }
    bot.shutdown().await.expect("shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_are_refused_moderator_commands() {
    let fake = FakeDiscord::start().await.expect("fake");
    let ws = Workspace::new();
    let bot = start_bot(&fake, ws.config(&fake)).await;
    let member = FakeUser::member("5004");
    for sub in ["reload", "add"] {
        let i = fake.slash_command(&member, "faq-admin", vec![subcommand(sub, vec![])]);
        let id = fake.dispatch_interaction(i).expect("dispatch");
        let cb = fake.wait_callback(&id, T).await.expect("answered");
        assert_eq!(cb["type"], 4, "{sub}: a message, not a form");
        let msg = &cb["data"];
        assert!(is_ephemeral(msg));
        assert!(visible_text(msg).contains("Only moderators"), "{msg}");
        assert!(visible_text(msg).contains(DEFAULT_REFERRAL));
    }
    let files = std::fs::read_dir(&ws.faq).expect("faq").count();
    assert_eq!(files, std::fs::read_dir(&ws.faq).expect("faq").count());
    bot.shutdown().await.expect("shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moderator_adds_an_entry_through_the_form() {
    let fake = FakeDiscord::start().await.expect("fake");
    let ws = Workspace::new();
    let bot = start_bot(&fake, ws.config(&fake)).await;
    let moderator = FakeUser::member("5005").with_roles(&[MOD_ROLE_ID]);

    let i = fake.slash_command(&moderator, "faq-admin", vec![subcommand("add", vec![])]);
    let id = fake.dispatch_interaction(i).expect("dispatch");
    let cb = fake.wait_callback(&id, T).await.expect("form opened");
    assert_eq!(cb["type"], 9, "a modal: {cb}");
    let form_id = cb["data"]["custom_id"]
        .as_str()
        .expect("custom id")
        .to_string();

    let submit = fake.modal_submit(
        &moderator,
        &form_id,
        &[
            ("question", "Where do visitors park at the cancer centre?"),
            ("aliases", "car park for visitors\nparking at the hospital"),
            ("answer", "Visitors park in the multi-storey car park on level two.\n\nBlue badge spaces are by the main door."),
        ],
    );
    let sid = fake.dispatch_interaction(submit).expect("dispatch");
    let msg = fake.shown_message(&sid, T).await.expect("saved");
    let deferral = fake.wait_callback(&sid, T).await.expect("deferred");
    assert_eq!(
        deferral["type"], 5,
        "deferred: writing and re-indexing may take a while"
    );
    assert!(is_ephemeral(&deferral["data"]));
    assert!(visible_text(&msg).contains("Saved"), "{msg}");
    assert_clean(&fake, &msg);

    let checked = faqbot::faq::load_faq(&faqbot::faq::FaqSource::Dir(ws.faq.clone()))
        .expect("faqbot check accepts the new file");
    let entry = checked
        .faq
        .entry("where-do-visitors-park-at-the-cancer-centre")
        .expect("new entry");
    assert_eq!(entry.passages.len(), 2);
    assert_eq!(
        entry.meta.aliases,
        ["car park for visitors", "parking at the hospital"]
    );

    let msg = ask(&fake, &FakeUser::member("5006"), "where can visitors park?").await;
    assert!(
        visible_text(&msg).contains("multi-storey car park"),
        "{msg}"
    );
    bot.shutdown().await.expect("shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conflicting_edit_is_refused_and_nothing_is_lost() {
    let fake = FakeDiscord::start().await.expect("fake");
    let ws = Workspace::new();
    let bot = start_bot(&fake, ws.config(&fake)).await;
    let moderator = FakeUser::moderator("5007");

    let topic = "what-is-recombinant-human-interleukin-2";
    let i = fake.slash_command(
        &moderator,
        "faq-admin",
        vec![subcommand("edit", vec![opt("topic", topic)])],
    );
    let id = fake.dispatch_interaction(i).expect("dispatch");
    let cb = fake.wait_callback(&id, T).await.expect("form");
    assert_eq!(cb["type"], 9);
    let prefilled = cb.to_string();
    assert!(
        prefilled.contains("derived from Escherichia coli"),
        "form pre-filled"
    );
    let form_id = cb["data"]["custom_id"].as_str().expect("id").to_string();

    let file = ws.faq.join("01-what-is-recombinant-human-interleukin-2.md");
    let mut other = std::fs::read_to_string(&file).expect("read");
    other.push_str("\nA paragraph another moderator added in git.\n");
    std::fs::write(&file, &other).expect("concurrent edit");

    let submit = fake.modal_submit(
        &moderator,
        &form_id,
        &[
            ("question", "What is rhIL-2?"),
            ("aliases", ""),
            ("answer", "My rewrite of the answer."),
        ],
    );
    let sid = fake.dispatch_interaction(submit).expect("dispatch");
    let msg = fake.shown_message(&sid, T).await.expect("answered");
    let deferral = fake.wait_callback(&sid, T).await.expect("deferred");
    let text = visible_text(&msg);
    assert!(
        text.contains("Not saved") && text.contains("changed by someone else"),
        "{text}"
    );
    assert!(
        text.contains("My rewrite of the answer."),
        "the moderator's text is handed back"
    );
    assert!(is_ephemeral(&deferral["data"]));
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        other,
        "the other edit survives"
    );
    bot.shutdown().await.expect("shutdown");
}

/// The value a form field was pre-filled with.
fn prefilled(form: &Value, field: &str) -> String {
    form["data"]["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().into_iter().flatten())
        .find(|c| c["custom_id"] == field)
        .and_then(|c| c["value"].as_str())
        .unwrap_or_default()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edit_form_keeps_passage_questions() {
    let fake = FakeDiscord::start().await.expect("fake");
    let ws = Workspace::new();
    // An entry whose passages have their own alternate questions.
    let file = ws.faq.join("90-parking.md");
    std::fs::write(
        &file,
        "+++\nid = \"parking\"\nquestion = \"Where do visitors park?\"\n+++\n\n\
         Visitors park in the multi-storey car park on level two.\n\n\
         <!-- questions:\n- Is there a car park for visitors?\n-->\n\n\
         ### Blue badge\n\nBlue badge spaces are by the main door.\n\n\
         <!-- questions:\n- Where are the disabled spaces?\n- Can I park near the entrance?\n-->\n",
    )
    .expect("write");
    let bot = start_bot(&fake, ws.config(&fake)).await;
    let moderator = FakeUser::moderator("5010");

    let i = fake.slash_command(
        &moderator,
        "faq-admin",
        vec![subcommand("edit", vec![opt("topic", "parking")])],
    );
    let id = fake.dispatch_interaction(i).expect("dispatch");
    let form = fake.wait_callback(&id, T).await.expect("form");
    assert_eq!(form["type"], 9, "{form}");
    let answer = prefilled(&form, "answer");
    assert!(answer.contains("Blue badge spaces"), "{form}");
    assert!(
        !answer.contains("<!--"),
        "the form shows the answer only: {answer}"
    );
    let form_id = form["data"]["custom_id"].as_str().expect("id").to_string();

    // The moderator changes the question and aliases and fixes one paragraph's wording.
    let answer = answer.replace("by the main door", "next to the main door");
    let submit = fake.modal_submit(
        &moderator,
        &form_id,
        &[
            ("question", "Where can visitors park?"),
            ("aliases", "visitor parking"),
            ("answer", &answer),
        ],
    );
    let sid = fake.dispatch_interaction(submit).expect("dispatch");
    let msg = fake.shown_message(&sid, T).await.expect("saved");
    assert!(visible_text(&msg).contains("Saved"), "{msg}");

    let faq = faqbot::faq::load_faq(&faqbot::faq::FaqSource::Dir(ws.faq.clone()))
        .expect("valid")
        .faq;
    let entry = faq.entry("parking").expect("entry");
    assert_eq!(entry.meta.question, "Where can visitors park?");
    let questions: Vec<Vec<String>> = entry.passages.iter().map(|p| p.questions.clone()).collect();
    assert_eq!(
        questions,
        [
            vec!["Is there a car park for visitors?".to_string()],
            vec![
                "Where are the disabled spaces?".to_string(),
                "Can I park near the entrance?".to_string()
            ],
        ]
    );
    assert!(entry.passages[1].text.contains("next to the main door"));

    // Still found by a passage question after the reload, and never quoted.
    let msg = ask(
        &fake,
        &FakeUser::member("5011"),
        "where are the disabled spaces?",
    )
    .await;
    let text = visible_text(&msg);
    assert!(text.contains("Blue badge spaces"), "{text}");
    assert!(
        !text.contains("<!--") && !text.contains("disabled spaces"),
        "{text}"
    );
    bot.shutdown().await.expect("shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_file_keeps_the_old_answers() {
    let fake = FakeDiscord::start().await.expect("fake");
    let ws = Workspace::new();
    let bot = start_bot(&fake, ws.config(&fake)).await;
    let moderator = FakeUser::moderator("5008");

    std::fs::write(
        ws.faq.join("99-broken.md"),
        "+++\nid = \"broken\"\nquestion = \"Oops?\"\ncolour = \"red\"\n+++\n\nText.\n",
    )
    .expect("write");
    tokio::time::sleep(faqbot::discord::reload::DEBOUNCE * 3).await;
    let msg = ask(
        &fake,
        &FakeUser::member("5009"),
        "can they inject it straight into the tumour?",
    )
    .await;
    assert!(
        visible_text(&msg).contains("directly into the tumor tissue"),
        "old FAQ still serves"
    );

    let i = fake.slash_command(&moderator, "faq-admin", vec![subcommand("reload", vec![])]);
    let id = fake.dispatch_interaction(i).expect("dispatch");
    let cb = fake.wait_callback(&id, T).await.expect("deferred");
    assert_eq!(cb["type"], 5);
    let msgs = fake.wait_messages(&id, 1, T).await.expect("result");
    let text = visible_text(&msgs[0]);
    assert!(text.contains("99-broken.md:4:"), "FILE:LINE shown: {text}");
    assert!(text.contains(DEFAULT_REFERRAL));
    assert!(
        schema::pings_nobody(&msgs[0]),
        "the edit after a deferral sets allowed_mentions"
    );

    std::fs::remove_file(ws.faq.join("99-broken.md")).expect("fix");
    std::fs::write(
        ws.faq.join("10-wigs.md"),
        "+++\nid = \"wigs\"\nquestion = \"Where can I get a wig?\"\n+++\n\nThe hospital's cancer support centre lends wigs for free.\n",
    )
    .expect("write");
    let mut found = false;
    for _ in 0..40 {
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        if visible_text(&ask(&fake, &FakeUser::member("5010"), "where can I get a wig").await)
            .contains("lends wigs")
        {
            found = true;
            break;
        }
    }
    assert!(
        found,
        "the watcher picked up the new file without a restart"
    );
    bot.shutdown().await.expect("shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn context_menu_mentions_and_reconnect() {
    let fake = FakeDiscord::start().await.expect("fake");
    let ws = Workspace::new();
    let bot = start_bot(&fake, ws.config(&fake)).await;
    let asker = FakeUser::member("5011");
    let helper = FakeUser::member("5012");

    let target = fake.user_message(&asker, "what's intralesional IL2");
    let target_id = target["id"].as_str().expect("id").to_string();
    let i = fake.message_command(&helper, "Answer from FAQ", target);
    let id = fake.dispatch_interaction(i).expect("dispatch");
    let posted = fake
        .wait_for_request(
            |r| {
                r.method == "POST"
                    && r.path
                        .ends_with(&format!("/channels/{CHANNEL_ID}/messages"))
            },
            T,
        )
        .await
        .expect("reply posted");
    let body = posted.body_or_null();
    assert_eq!(
        body["message_reference"]["message_id"].as_str(),
        Some(target_id.as_str())
    );
    assert!(visible_text(&body).contains("directly into the tumor tissue"));
    assert!(schema::pings_nobody(&body));
    let ack = fake.shown_message(&id, T).await.expect("ack");
    assert!(is_ephemeral(&ack));

    let before = fake
        .requests_to("POST", &format!("/channels/{CHANNEL_ID}/messages"))
        .len();
    let mention = fake.message_create(&asker, "<@1000> does IL-2 activate NK cells");
    fake.send_dispatch("MESSAGE_CREATE", mention)
        .expect("dispatch");
    let reply = fake
        .wait_for_request_from(
            0,
            |r| r.method == "POST" && r.path.ends_with("/messages") && r.index > posted.index,
            T,
        )
        .await
        .expect("mention answered");
    assert!(visible_text(&reply.body_or_null()).contains("activation of NK cells"));
    assert!(schema::pings_nobody(&reply.body_or_null()));
    assert_eq!(
        fake.requests_to("POST", &format!("/channels/{CHANNEL_ID}/messages"))
            .len(),
        before + 1
    );

    assert!(fake.drop_gateway());
    fake.wait_for_handshakes(2, T).await.expect("reconnected");
    let msg = ask(&fake, &asker, "is IL-2 only used for cancer").await;
    assert!(visible_text(&msg).contains(DEFAULT_REFERRAL));
    assert!(fake.resume_count() + fake.identify_count() >= 2);
    assert!(
        fake.schema_violations().is_empty(),
        "{:?}",
        fake.schema_violations()
    );
    bot.shutdown().await.expect("shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remove_needs_confirmation_and_keeps_the_file() {
    let fake = FakeDiscord::start().await.expect("fake");
    let ws = Workspace::new();
    let bot = start_bot(&fake, ws.config(&fake)).await;
    let moderator = FakeUser::moderator("5013");
    let topic = "are-there-any-other-uses-for-recombinant-human-interleukin-2";
    let i = fake.slash_command(
        &moderator,
        "faq-admin",
        vec![subcommand("remove", vec![opt("topic", topic)])],
    );
    let id = fake.dispatch_interaction(i).expect("dispatch");
    let msg = fake.shown_message(&id, T).await.expect("asked");
    assert!(is_ephemeral(&msg));
    let yes = button_ids(&msg)
        .into_iter()
        .find(|b| b.starts_with("faq-rm:"))
        .expect("confirm button");
    let file = ws
        .faq
        .join("05-are-there-any-other-uses-for-recombinant-human-interleukin-2.md");
    assert!(file.exists(), "nothing removed before the press");

    let press = fake.button(&moderator, &yes, None);
    let pid = fake.dispatch_interaction(press).expect("dispatch");
    let cb = fake.wait_callback(&pid, T).await.expect("acknowledged");
    assert_eq!(cb["type"], 6, "acknowledged at once, edited when done");
    let shown = fake.wait_messages(&pid, 1, T).await.expect("updated");
    assert!(visible_text(&shown[0]).contains("Removed"), "{shown:?}");
    assert!(schema::pings_nobody(&shown[0]));
    assert!(!file.exists());
    let kept = std::fs::read_dir(ws.faq.join(".removed"))
        .expect("kept")
        .count();
    assert_eq!(kept, 1);
    let msg = ask(&fake, &FakeUser::member("5014"), "interleukin 2 for HIV??").await;
    assert!(
        !visible_text(&msg).contains("HIV/AIDS and tuberculosis"),
        "removed entry no longer answers"
    );
    bot.shutdown().await.expect("shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_mentions_gets_one_quiet_slow_down() {
    let fake = FakeDiscord::start().await.expect("fake");
    let ws = Workspace::new();
    let mut cfg = ws.config(&fake);
    cfg.discord.cooldown_seconds = Some(60);
    let bot = start_bot(&fake, cfg).await;
    let user = FakeUser::member("5015");
    let replies = || fake.requests_to("POST", &format!("/channels/{CHANNEL_ID}/messages"));
    // A mention cannot be answered privately, so within the cooldown it gets one notice.
    for n in 1..=2 {
        let from = fake.requests().len();
        let mention = fake.message_create(&user, "<@1000> what is rhIL-2?");
        fake.send_dispatch("MESSAGE_CREATE", mention)
            .expect("dispatch");
        fake.wait_for_request_from(
            from,
            |r| r.is("POST", &format!("/channels/{CHANNEL_ID}/messages")),
            T,
        )
        .await
        .unwrap_or_else(|e| panic!("mention {n} replied: {e:#}"));
    }
    let sent = replies();
    let answer = visible_text(&sent[0].body_or_null());
    assert!(
        answer.contains(DEFAULT_REFERRAL) && !answer.contains("faster than"),
        "{answer}"
    );
    assert!(visible_text(&sent[1].body_or_null()).contains("faster than I can keep up"));
    let mention = fake.message_create(&user, "<@1000> what is rhIL-2?");
    fake.send_dispatch("MESSAGE_CREATE", mention)
        .expect("dispatch");
    // A third mention within the cooldown is not answered at all (checked after an /ask lands).
    let later = ask(&fake, &FakeUser::member("5016"), "what is rhIL-2?").await;
    assert!(!is_ephemeral(&later), "other members are not slowed");
    assert_eq!(replies().len(), 2, "one slow-down notice, then quiet");
    bot.shutdown().await.expect("shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejected_token_is_a_clear_error() {
    let fake = FakeDiscord::start_with(FakeConfig {
        expected_token: Some("the-right-token".into()),
        ..FakeConfig::default()
    })
    .await
    .expect("fake");
    let ws = Workspace::new();
    let bot = faqbot::discord::client::start(ws.config(&fake))
        .await
        .expect("starts");
    let ended = tokio::time::timeout(T * 2, bot.task)
        .await
        .expect("stops by itself")
        .expect("no panic");
    let err = format!("{:#}", ended.expect_err("rejected"));
    assert!(err.contains("rejected the bot token"), "{err}");
    assert!(!err.contains(TOKEN), "the token is not in the error");

    let mut cfg = ws.config(&fake);
    cfg.discord.token = faqbot::config::Secret::new("");
    let err = faqbot::discord::client::start(cfg)
        .await
        .err()
        .expect("no token");
    assert!(format!("{err:#}").contains("DISCORD_TOKEN"));
}
