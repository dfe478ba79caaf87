//! Proves the loopback fake Discord (tests/support/fake_discord/) works with a real serenity
//! 0.12.5 client: startup, READY, an interaction round trip with a
//! schema-valid callback, a reconnect after the gateway socket drops, and the REST transport
//! (keep-alive, chunked and multipart bodies, headers).

use std::time::Duration;

use faqbot_test_support::fake_discord::*;
use faqbot_test_support::schema;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use serenity::all::{
    ApplicationId, ChannelId, Client, ClientBuilder, Command, CommandOptionType, Context,
    CreateAllowedMentions, CreateAttachment, CreateCommand, CreateCommandOption,
    CreateInteractionResponse, CreateInteractionResponseMessage, CreateMessage, EditMessage,
    EventHandler, GatewayIntents, GuildId, HttpBuilder, Interaction, Permissions, Ready,
    ShardManager,
};
use serenity::model::event::{Event, GatewayEvent};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::Message as WsMessage;

const TOKEN: &str = "fake-token";
const T: Duration = Duration::from_secs(5);

fn http_for(fake: &FakeDiscord) -> serenity::http::Http {
    HttpBuilder::new(TOKEN)
        .proxy(fake.base_url())
        .ratelimiter_disabled(true)
        .default_allowed_mentions(CreateAllowedMentions::new())
        .build()
}

// ---------------------------------------------------------------------------------------------
// serenity EventHandler client

struct Handler {
    ready: mpsc::UnboundedSender<String>,
}

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, _ctx: Context, ready: Ready) {
        let _ = self.ready.send(ready.session_id.clone());
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        if let Interaction::Command(cmd) = interaction {
            let msg = CreateInteractionResponseMessage::new()
                .content(format!("pong from /{} by {}", cmd.data.name, cmd.user.id))
                .allowed_mentions(CreateAllowedMentions::new());
            if let Err(e) = cmd
                .create_response(&ctx.http, CreateInteractionResponse::Message(msg))
                .await
            {
                eprintln!("create_response failed: {e}");
            }
        }
    }
}

async fn stop(
    shard_manager: std::sync::Arc<ShardManager>,
    client_task: tokio::task::JoinHandle<()>,
) {
    let _ = timeout(Duration::from_secs(3), shard_manager.shutdown_all()).await;
    client_task.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serenity_client_round_trip_and_resume() -> anyhow::Result<()> {
    timeout(Duration::from_secs(20), async {
        let fake = FakeDiscord::start_with(FakeConfig {
            expected_token: Some(TOKEN.into()),
            heartbeat_interval_ms: 250,
            ..Default::default()
        })
        .await?;
        let (ready_tx, mut ready_rx) = mpsc::unbounded_channel();
        let mut client: Client = ClientBuilder::new_with_http(
            http_for(&fake),
            GatewayIntents::GUILDS | GatewayIntents::GUILD_MESSAGES,
        )
        .event_handler(Handler { ready: ready_tx })
        .await?;
        let shard_manager = client.shard_manager.clone();
        let client_task = tokio::spawn(async move {
            if let Err(e) = client.start_autosharded().await {
                eprintln!("client stopped: {e}");
            }
        });

        // Start-up: GET /gateway (builder) and /gateway/bot (autosharding), then IDENTIFY/READY.
        let session = timeout(T, ready_rx.recv())
            .await?
            .expect("ready handler fired");
        assert_eq!(session, "fake-session-1");
        assert_eq!(fake.identify_tokens(), vec![format!("Bot {TOKEN}")]);
        assert!(
            fake.gateway_uris()[0].contains("v=10"),
            "{:?}",
            fake.gateway_uris()
        );
        fake.wait_for_request(|r| r.is("GET", "/gateway/bot"), T)
            .await?;
        fake.wait_session(T).await?;

        // A slash command with a subcommand and options.
        let alice = FakeUser::member("5002");
        let i1 = fake.slash_command(
            &alice,
            "faq",
            vec![subcommand("ask", vec![opt("question", "what is it?")])],
        );
        let id1 = fake.dispatch_interaction(i1)?;
        let cb = fake.wait_callback(&id1, T).await?;
        assert_eq!(cb["type"], 4);
        assert_eq!(cb["data"]["content"], "pong from /faq by 5002");
        assert!(schema::pings_nobody(&cb), "{cb}");
        let shown = fake.shown_message(&id1, T).await?;
        assert_eq!(shown["content"], "pong from /faq by 5002");
        let rec = fake
            .wait_for_request(
                |r| r.route().starts_with(&format!("/interactions/{id1}/")),
                T,
            )
            .await?;
        assert_eq!(rec.status, 204);
        assert_eq!(
            rec.authorization.as_deref(),
            Some(format!("Bot {TOKEN}").as_str())
        );
        assert!(schema::validate_callback(&rec.body_or_null()).is_ok());

        // Heartbeats are acknowledged: the connection stays up.
        tokio::time::sleep(Duration::from_millis(1200)).await;
        let beats = fake
            .gateway_frames()
            .iter()
            .filter(|f| f.payload["op"] == 1)
            .count();
        assert!(beats >= 2, "{beats} heartbeats");
        assert_eq!(fake.connect_count(), 1);

        // Drop the socket: the client resumes on a new connection and answers again.
        assert!(fake.drop_gateway());
        fake.wait_for_handshakes(2, T).await?;
        fake.wait_session(T).await?;
        assert_eq!(fake.identify_count() + fake.resume_count(), 2);
        assert_eq!(
            fake.resume_count(),
            1,
            "serenity resumes after an abrupt close"
        );
        let i2 = fake.slash_command(&FakeUser::moderator("5001"), "faq", vec![]);
        let id2 = fake.dispatch_interaction(i2)?;
        let cb2 = fake.wait_callback(&id2, T).await?;
        assert_eq!(cb2["data"]["content"], "pong from /faq by 5001");

        // An event dispatched while the bot is away is replayed on RESUME.
        assert!(fake.drop_gateway());
        let i3 = fake.slash_command(&alice, "faq", vec![]);
        let id3 = fake.dispatch_interaction(i3)?;
        let cb3 = fake.wait_callback(&id3, T).await?;
        assert_eq!(cb3["data"]["content"], "pong from /faq by 5002");
        assert_eq!(fake.resume_count(), 2);

        assert!(
            fake.schema_violations().is_empty(),
            "{:?}",
            fake.schema_violations()
        );
        stop(shard_manager, client_task).await;
        anyhow::Ok(())
    })
    .await?
}

// ---------------------------------------------------------------------------------------------
#[tokio::test]
async fn payloads_deserialise_into_serenity_models() -> anyhow::Result<()> {
    use serenity::model::application::Interaction as I;
    let fake = FakeDiscord::start().await?;
    let u = FakeUser::moderator("5001");
    let check = |v: Value| -> anyhow::Result<I> {
        serde_json::from_value::<I>(v.clone()).map_err(|e| anyhow::anyhow!("{e}: {v:#}"))
    };
    match check(fake.slash_command(
        &u,
        "faq",
        vec![subcommand("ask", vec![opt("question", "x"), opt("n", 3)])],
    ))? {
        I::Command(c) => {
            assert_eq!(c.data.name, "faq");
            assert_eq!(
                c.member.as_ref().unwrap().permissions,
                Some(Permissions::from_bits_truncate(PERMS_MODERATOR))
            );
            assert!(c.app_permissions.is_some());
            assert_eq!(c.member.as_ref().unwrap().roles[0].get(), 3001);
        }
        other => panic!("not a command: {other:?}"),
    }
    match check(fake.autocomplete(
        &u,
        "faq",
        vec![subcommand("ask", vec![opt_focused("question", "wha")])],
    ))? {
        I::Autocomplete(a) => assert!(a.data.autocomplete().is_some()),
        other => panic!("not autocomplete: {other:?}"),
    }
    let bot_msg = fake.bot_message("hello", json!([]));
    match check(fake.button(&u, "faq:more", Some(bot_msg)))? {
        I::Component(c) => assert_eq!(c.data.custom_id, "faq:more"),
        other => panic!("not a component: {other:?}"),
    }
    match check(fake.modal_submit(&u, "faq:edit", &[("answer", "text")]))? {
        I::Modal(m) => assert_eq!(m.data.custom_id, "faq:edit"),
        other => panic!("not a modal: {other:?}"),
    }
    let target = fake.user_message(&FakeUser::member("5002"), "hey <@1000> and <@&3001>");
    match check(fake.message_command(&u, "Add to FAQ", target.clone()))? {
        I::Command(c) => assert!(c.data.resolved.messages.len() == 1 && c.data.target_id.is_some()),
        other => panic!("not a command: {other:?}"),
    }
    let msg: serenity::model::channel::Message = serde_json::from_value(target)?;
    assert_eq!(msg.mentions[0].id.get(), 1000);
    assert_eq!(msg.mention_roles[0].get(), 3001);

    // REST answers through serenity's Http.
    let http = http_for(&fake);
    http.set_application_id(ApplicationId::new(1000));
    assert!(http.get_gateway().await?.url.starts_with("ws://127.0.0.1:"));
    assert_eq!(http.get_bot_gateway().await?.shards, 1);
    let app = http.get_current_application_info().await?;
    assert_eq!(app.owner.unwrap().id.get(), 1001);
    assert_eq!(http.get_current_user().await?.id.get(), 1000);
    let cmds = vec![
        CreateCommand::new("faq")
            .description("Ask the FAQ")
            .default_member_permissions(Permissions::MANAGE_MESSAGES)
            .add_option(
                CreateCommandOption::new(CommandOptionType::SubCommand, "ask", "Ask a question")
                    .add_sub_option(
                        CreateCommandOption::new(
                            CommandOptionType::String,
                            "question",
                            "Your question",
                        )
                        .required(true)
                        .set_autocomplete(true),
                    ),
            ),
        CreateCommand::new("Add to FAQ").kind(serenity::all::CommandType::Message),
    ];
    let global = Command::set_global_commands(&http, cmds.clone()).await?;
    assert_eq!(global.len(), 2);
    assert_eq!(
        global[0].default_member_permissions,
        Some(Permissions::MANAGE_MESSAGES)
    );
    assert_eq!(GuildId::new(3000).set_commands(&http, cmds).await?.len(), 2);
    let sent = ChannelId::new(4000).say(&http, "hello").await?;
    assert_eq!(sent.content, "hello");
    let edited = ChannelId::new(4000)
        .edit_message(&http, sent.id, EditMessage::new().content("edited"))
        .await?;
    assert_eq!(edited.content, "edited");
    ChannelId::new(4000).broadcast_typing(&http).await?;
    ChannelId::new(4000).delete_message(&http, sent.id).await?;

    // Fault injection and unknown routes.
    fake.fail_next(1, 500, "/channels/4000/messages");
    assert!(ChannelId::new(4000).say(&http, "x").await.is_err());
    assert!(ChannelId::new(4000).say(&http, "x").await.is_ok());
    assert!(http.get_guild(GuildId::new(3000)).await.is_err());
    let last = fake.requests().last().cloned().unwrap();
    assert_eq!((last.status, last.route()), (404, "/guilds/3000"));
    assert_eq!(fake.unknown_requests().len(), 1);
    assert_eq!(fake.requests().iter().filter(|r| r.injected).count(), 1);

    assert!(
        fake.schema_violations().is_empty(),
        "{:?}",
        fake.schema_violations()
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The gateway protocol, driven by hand: HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats,
// RESUME with replay, RESUME of an unknown session, the 3-second callback rule.

async fn next_json(
    ws: &mut tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
) -> anyhow::Result<Value> {
    loop {
        match timeout(T, ws.next()).await? {
            Some(Ok(WsMessage::Text(t))) => return Ok(serde_json::from_str(&t)?),
            Some(Ok(_)) => continue,
            other => anyhow::bail!("gateway closed: {other:?}"),
        }
    }
}

#[tokio::test]
async fn raw_gateway_protocol() -> anyhow::Result<()> {
    let fake = FakeDiscord::start_with(FakeConfig {
        heartbeat_interval_ms: 1000,
        ..Default::default()
    })
    .await?;
    let url = format!("{}?v=10&encoding=json", fake.gateway_url());
    let (mut ws, _) = tokio_tungstenite::connect_async(url.as_str()).await?;
    let hello = next_json(&mut ws).await?;
    assert_eq!(
        (
            hello["op"].as_i64(),
            hello["d"]["heartbeat_interval"].as_i64()
        ),
        (Some(10), Some(1000))
    );
    let identify = json!({"op": 2, "d": {"token": "Bot t", "intents": 513, "properties": {}}});
    ws.send(WsMessage::Text(identify.to_string())).await?;
    let ready = next_json(&mut ws).await?;
    let guild = next_json(&mut ws).await?;
    assert_eq!(
        (ready["t"].as_str(), ready["s"].as_u64()),
        (Some("READY"), Some(1))
    );
    assert_eq!(
        (guild["t"].as_str(), guild["s"].as_u64()),
        (Some("GUILD_CREATE"), Some(2))
    );
    for (frame, want) in [(&ready, "READY"), (&guild, "GUILD_CREATE")] {
        match serde_json::from_value::<GatewayEvent>(frame.clone()) {
            Ok(GatewayEvent::Dispatch(_, Event::Ready(_))) if want == "READY" => {}
            Ok(GatewayEvent::Dispatch(_, Event::GuildCreate(g))) if want == "GUILD_CREATE" => {
                assert_eq!(g.guild.roles.len(), 2);
                assert_eq!(g.guild.channels.len(), 1);
            }
            other => panic!("{want} did not deserialise: {other:?}"),
        }
    }
    ws.send(WsMessage::Text(json!({"op": 1, "d": 2}).to_string()))
        .await?;
    assert_eq!(next_json(&mut ws).await?["op"], 11);

    // An interaction and a MESSAGE_CREATE parse as serenity events.
    let u = FakeUser::member("5002");
    let id = fake.dispatch_interaction(fake.slash_command(&u, "faq", vec![]))?;
    let frame = next_json(&mut ws).await?;
    assert!(matches!(
        serde_json::from_value::<GatewayEvent>(frame)?,
        GatewayEvent::Dispatch(3, Event::InteractionCreate(_))
    ));
    fake.send_dispatch("MESSAGE_CREATE", fake.message_create(&u, "<@1000> hi"))?;
    let frame = next_json(&mut ws).await?;
    assert!(matches!(
        serde_json::from_value::<GatewayEvent>(frame)?,
        GatewayEvent::Dispatch(4, Event::MessageCreate(_))
    ));

    // Drop, dispatch while away, RESUME from seq 3: the MESSAGE_CREATE (4) and a new one (5) are
    // replayed, then RESUMED.
    fake.drop_gateway();
    assert!(
        timeout(T, async { while let Some(Ok(_)) = ws.next().await {} })
            .await
            .is_ok()
    );
    fake.send_dispatch("MESSAGE_CREATE", fake.message_create(&u, "while away"))?;
    let (mut ws, _) = tokio_tungstenite::connect_async(url.as_str()).await?;
    let resume =
        json!({"op": 6, "d": {"token": "Bot t", "session_id": "fake-session-1", "seq": 3}});
    ws.send(WsMessage::Text(resume.to_string())).await?;
    let mut got = Vec::new();
    for _ in 0..4 {
        let f = next_json(&mut ws).await?;
        got.push((
            f["op"].as_i64().unwrap(),
            f["t"].as_str().unwrap_or("").to_string(),
            f["s"].as_u64(),
        ));
    }
    assert_eq!(got[0].0, 10, "HELLO first: {got:?}");
    assert_eq!(
        got[1..],
        [
            (0, "MESSAGE_CREATE".to_string(), Some(4)),
            (0, "MESSAGE_CREATE".to_string(), Some(5)),
            (0, "RESUMED".to_string(), Some(6))
        ]
    );
    assert_eq!(fake.resume_count(), 1);

    // RESUME of an unknown session: op 9, false.
    let (mut ws2, _) = tokio_tungstenite::connect_async(url.as_str()).await?;
    let _hello = next_json(&mut ws2).await?;
    ws2.send(WsMessage::Text(
        json!({"op": 6, "d": {"token": "Bot t", "session_id": "nope", "seq": 1}}).to_string(),
    ))
    .await?;
    let inv = next_json(&mut ws2).await?;
    assert_eq!(
        (inv["op"].as_i64(), inv["d"].as_bool()),
        (Some(9), Some(false))
    );

    // Callback rules: webhook edits before any callback are refused, the first callback is
    // accepted, a second is refused with 400.
    let http = http_for(&fake);
    http.set_application_id(ApplicationId::new(1000));
    let token = fake.interaction(&id).unwrap().token;
    assert!(http
        .get_original_interaction_response(&token)
        .await
        .is_err());
    let body = json!({"type": 5});
    let iid = serenity::all::InteractionId::new(id.parse()?);
    http.create_interaction_response(iid, &token, &body, vec![])
        .await?;
    assert!(http
        .create_interaction_response(iid, &token, &body, vec![])
        .await
        .is_err());
    let edit = serenity::all::EditInteractionResponse::new()
        .content("answer")
        .allowed_mentions(CreateAllowedMentions::new());
    let edited = http
        .edit_original_interaction_response(&token, &edit, vec![])
        .await?;
    assert_eq!(edited.content, "answer");
    assert_eq!(fake.shown_message(&id, T).await?["content"], "answer");
    assert!(schema::pings_nobody(&fake.interaction_messages(&id)[0]));
    let follow = serenity::all::CreateInteractionResponseFollowup::new()
        .content("more")
        .allowed_mentions(CreateAllowedMentions::new());
    let followed = http
        .create_followup_message(&token, &follow, vec![])
        .await?;
    assert_eq!(followed.content, "more");
    assert_eq!(fake.wait_messages(&id, 2, T).await?[1]["content"], "more");
    assert!(
        fake.schema_violations().is_empty(),
        "{:?}",
        fake.schema_violations()
    );

    // The recorder flags bodies that break the schema or Discord's limits.
    let bad = fake.dispatch_interaction(fake.slash_command(&u, "faq", vec![]))?;
    let bad_token = fake.interaction(&bad).unwrap().token;
    let too_long = json!({"type": 4, "data": {"content": "x".repeat(2001)}});
    let bad_iid = serenity::all::InteractionId::new(bad.parse()?);
    http.create_interaction_response(bad_iid, &bad_token, &too_long, vec![])
        .await?;
    let violations = fake.schema_violations();
    assert!(
        !violations.is_empty()
            && violations
                .iter()
                .all(|v| v.contains(&format!("/interactions/{bad}/")))
    );
    assert!(!schema::pings_nobody(&fake.wait_callback(&bad, T).await?));

    // A callback later than the deadline is refused.
    let fake2 = FakeDiscord::start_with(FakeConfig {
        callback_deadline: Duration::from_millis(50),
        ..Default::default()
    })
    .await?;
    let (mut ws3, _) =
        tokio_tungstenite::connect_async(format!("{}?v=10", fake2.gateway_url()).as_str()).await?;
    let _ = next_json(&mut ws3).await?;
    ws3.send(WsMessage::Text(identify.to_string())).await?;
    fake2.wait_session(T).await?;
    let late = fake2.dispatch_interaction(fake2.slash_command(&u, "faq", vec![]))?;
    tokio::time::sleep(Duration::from_millis(120)).await;
    let http2 = http_for(&fake2);
    let ltok = fake2.interaction(&late).unwrap().token;
    let err = http2
        .create_interaction_response(
            serenity::all::InteractionId::new(late.parse()?),
            &ltok,
            &json!({"type": 4, "data": {"content": "x"}}),
            vec![],
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("Unknown interaction"), "{err}");
    assert!(fake2
        .wait_callback(&late, Duration::from_millis(100))
        .await
        .is_err());
    assert_eq!(fake2.interaction(&late).unwrap().refused.len(), 1);

    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The REST transport, driven by hand on one keep-alive connection: chunked and multipart
// bodies, 204, a 429 with its rate-limit headers, `connection: close`; and serenity's own
// multipart upload.

/// Writes one request on `conn` and reads its response: status, headers (lowercase), body.
async fn round_trip(
    conn: &mut BufReader<TcpStream>,
    request: &str,
) -> anyhow::Result<(u16, Vec<(String, String)>, Vec<u8>)> {
    conn.get_mut().write_all(request.as_bytes()).await?;
    let mut line = String::new();
    conn.read_line(&mut line).await?;
    let status = line
        .split_whitespace()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("no status line: {line:?}"))?
        .parse()?;
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        conn.read_line(&mut h).await?;
        let Some((k, v)) = h.trim_end().split_once(':') else {
            break;
        };
        headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
    }
    let len = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .map_or(Ok(0), |(_, v)| v.parse::<usize>())?;
    let mut body = vec![0; len];
    conn.read_exact(&mut body).await?;
    Ok((status, headers, body))
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn rest_transport() -> anyhow::Result<()> {
    let fake = FakeDiscord::start().await?;
    let addr = fake.base_url().trim_start_matches("http://").to_string();
    let mut conn = BufReader::new(TcpStream::connect(&addr).await?);
    let head = |method: &str, path: &str, extra: &str| {
        format!("{method} /api/v10{path} HTTP/1.1\r\nhost: {addr}\r\nauthorization: Bot {TOKEN}\r\n{extra}\r\n")
    };

    let (a, b) = r#"{"content":"chunked hello"}"#.split_at(11);
    let chunked = format!(
        "{}{:x}\r\n{a}\r\n{:x}\r\n{b}\r\n0\r\n\r\n",
        head(
            "POST",
            "/channels/4000/messages",
            "content-type: application/json\r\ntransfer-encoding: chunked\r\n"
        ),
        a.len(),
        b.len()
    );
    let (status, headers, body) = timeout(T, round_trip(&mut conn, &chunked)).await??;
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "content-type"), Some("application/json"));
    let sent: Value = serde_json::from_slice(&body)?;
    assert_eq!(sent["content"], "chunked hello");

    let form = "--XyZ\r\ncontent-disposition: form-data; name=\"payload_json\"\r\ncontent-type: application/json\r\n\r\n{\"content\":\"with a file\"}\r\n--XyZ\r\ncontent-disposition: form-data; name=\"files[0]\"; filename=\"a.txt\"\r\n\r\nhi\r\n--XyZ--\r\n";
    let multipart = format!(
        "{}{form}",
        head(
            "POST",
            "/channels/4000/messages",
            &format!(
                "content-type: multipart/form-data; boundary=XyZ\r\ncontent-length: {}\r\n",
                form.len()
            )
        )
    );
    let (status, _, body) = timeout(T, round_trip(&mut conn, &multipart)).await??;
    assert_eq!(status, 200);
    assert_eq!(
        serde_json::from_slice::<Value>(&body)?["content"],
        "with a file"
    );

    let typing = head("POST", "/channels/4000/typing", "content-length: 0\r\n");
    let (status, headers, body) = timeout(T, round_trip(&mut conn, &typing)).await??;
    assert_eq!((status, body.len()), (204, 0));
    assert_eq!(header(&headers, "content-type"), None);

    fake.fail_next(1, 429, "/gateway");
    let (status, headers, body) =
        timeout(T, round_trip(&mut conn, &head("GET", "/gateway", ""))).await??;
    assert_eq!(status, 429);
    assert_eq!(header(&headers, "retry-after"), Some("1"));
    assert_eq!(header(&headers, "x-ratelimit-scope"), Some("user"));
    assert_eq!(header(&headers, "x-ratelimit-remaining"), Some("0"));
    assert_eq!(header(&headers, "x-ratelimit-reset-after"), Some("0.100"));
    assert_eq!(serde_json::from_slice::<Value>(&body)?["retry_after"], 0.1);

    let unknown = head("GET", "/guilds/3000", "connection: close\r\n");
    let (status, _, body) = timeout(T, round_trip(&mut conn, &unknown)).await??;
    assert_eq!(status, 404);
    assert_eq!(
        serde_json::from_slice::<Value>(&body)?["message"],
        "404: Not Found"
    );
    let mut rest = Vec::new();
    timeout(T, conn.read_to_end(&mut rest)).await??;
    assert!(
        rest.is_empty(),
        "the server closes after `connection: close`"
    );

    let recorded = fake.requests();
    assert_eq!(recorded.len(), 5, "one connection, five requests");
    assert_eq!(recorded[0].body_or_null()["content"], "chunked hello");
    assert_eq!(recorded[1].body_or_null()["content"], "with a file");
    assert!(recorded[1]
        .content_type
        .as_deref()
        .is_some_and(|c| c.starts_with("multipart/form-data")));
    assert_eq!(recorded[1].raw_body, form.as_bytes());
    assert_eq!(
        recorded[2].authorization.as_deref(),
        Some(format!("Bot {TOKEN}").as_str())
    );
    assert!(recorded[3].injected && recorded[4].unknown_route);

    assert!(
        fake.schema_violations().is_empty(),
        "{:?}",
        fake.schema_violations()
    );

    // serenity (reqwest) sends an attachment as multipart/form-data with `payload_json`, and
    // that JSON is checked like any other: serenity numbers attachments where the spec wants a
    // snowflake string (the bot sends no files).
    let http = http_for(&fake);
    let file = CreateAttachment::bytes(b"hello".as_slice(), "note.txt");
    let sent = ChannelId::new(4000)
        .send_message(&http, CreateMessage::new().content("a file").add_file(file))
        .await?;
    assert_eq!(sent.content, "a file");
    let upload = fake.requests().pop().unwrap();
    assert!(upload
        .content_type
        .as_deref()
        .is_some_and(|c| c.starts_with("multipart/form-data")));
    assert_eq!(upload.body_or_null()["content"], "a file");
    let violations = fake.schema_violations();
    assert!(
        violations.len() == 1 && violations[0].contains("'/attachments/0/id'"),
        "{violations:?}"
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// schema.rs on its own

#[test]
fn schema_checks() {
    let ok = json!({"type": 4, "data": {"content": "hi", "allowed_mentions": {"parse": []}}});
    assert!(schema::validate_callback(&ok).is_ok());
    assert!(schema::pings_nobody(&ok));
    assert!(!schema::pings_nobody(
        &json!({"type": 4, "data": {"content": "hi"}})
    ));
    assert!(!schema::pings_nobody(
        &json!({"content": "hi", "allowed_mentions": {"parse": ["users"]}})
    ));
    assert!(!schema::pings_nobody(
        &json!({"content": "hi", "allowed_mentions": {"replied_user": true}})
    ));
    assert!(schema::validate_callback(&json!({"type": 4, "data": {"content": 5}})).is_err());
    assert!(schema::validate_callback(
        &json!({"type": 8, "data": {"choices": [{"name": "a", "value": "a"}]}})
    )
    .is_ok());
    assert!(schema::validate_callback(&json!({"type": 3})).is_err());
    assert!(schema::validate(
        "IncomingWebhookRequestPartial",
        &json!({"content": "x".repeat(2001)})
    )
    .is_err());
    // serenity's string default_member_permissions is accepted.
    let cmd =
        json!({"name": "faq", "description": "d", "default_member_permissions": "8192", "type": 1});
    assert!(schema::validate("ApplicationCommandCreateRequest", &cmd).is_ok());
    assert!(schema::validate("ApplicationCommandCreateRequest", &json!({"name": 3})).is_err());
    assert!(schema::validate("NoSuchSchema", &json!({})).is_err());

    assert!(schema::check_discord_limits(&json!({"content": "x".repeat(2000)})).is_ok());
    assert!(schema::check_discord_limits(&json!({"content": "x".repeat(2001)})).is_err());
    let big =
        json!({"embeds": [{"description": "x".repeat(4000)}, {"description": "y".repeat(2001)}]});
    assert!(schema::check_discord_limits(&big).is_err(), "6000 total");
    let fields: Vec<Value> = (0..26)
        .map(|i| json!({"name": format!("f{i}"), "value": "v"}))
        .collect();
    assert!(schema::check_discord_limits(&json!({"embeds": [{"fields": fields}]})).is_err());
    let choices: Vec<Value> = (0..26)
        .map(|i| json!({"name": format!("c{i}"), "value": "v"}))
        .collect();
    assert!(
        schema::check_discord_limits(&json!({"type": 8, "data": {"choices": choices}})).is_err()
    );
    assert!(schema::check_discord_limits(
        &json!({"type": 8, "data": {"choices": [{"name": "", "value": "v"}]}})
    )
    .is_err());
    assert!(schema::check_discord_limits(&json!({"name": "Faq", "description": "d"})).is_err());
    assert!(schema::check_discord_limits(&json!({"name": "faq ask", "description": "d"})).is_err());
    assert!(schema::check_discord_limits(&json!({"name": "faq-ask", "description": "d"})).is_ok());
    assert!(schema::check_discord_limits(&json!({"name": "faq", "description": ""})).is_err());
    assert!(schema::check_discord_limits(
        &json!([{"name": "Add to FAQ", "type": 3, "description": ""}])
    )
    .is_ok());
}
