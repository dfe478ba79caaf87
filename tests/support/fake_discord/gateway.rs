//! The gateway (v10): plain `ws://`, uncompressed JSON text frames. HELLO, IDENTIFY (READY and
//! GUILD_CREATE), heartbeats and their ACKs, RESUME with replay of missed dispatches, op 9 for
//! a session it cannot resume, close code 4004 for a wrong token.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{bail, Result};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message as WsMessage;

use super::fixtures;
use super::state::{Conn, ConnCmd, GatewayFrame, Inner, Session, State};

/// Accepts gateway connections until the fake shuts down.
pub(super) async fn serve(inner: Arc<Inner>, listener: TcpListener) {
    while let Ok((stream, _)) = listener.accept().await {
        inner.spawn(serve_conn(Arc::clone(&inner), stream));
    }
}

/// Assigns the next seq, logs the frame for replay and sends it to the live connection.
pub(super) fn dispatch_locked(st: &mut State, t: &str, d: Value) -> Result<u64> {
    let Some(session) = st.session.as_mut() else {
        bail!("no gateway session yet: the bot has not identified (wait_session first)");
    };
    session.seq += 1;
    let seq = session.seq;
    let frame = json!({"op": 0, "s": seq, "t": t, "d": d}).to_string();
    session.log.push((seq, frame.clone()));
    if let Some(conn) = st.current.and_then(|c| st.conns.get(&c)) {
        let _ = conn.tx.send(ConnCmd::Text(frame));
    }
    Ok(seq)
}

#[allow(clippy::result_large_err)]
async fn serve_conn(inner: Arc<Inner>, stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    let uri = Arc::new(Mutex::new(String::new()));
    let uri2 = Arc::clone(&uri);
    let ws =
        match tokio_tungstenite::accept_hdr_async(stream, move |req: &Request, resp: Response| {
            *uri2.lock().unwrap_or_else(|e| e.into_inner()) = req.uri().to_string();
            Ok(resp)
        })
        .await
        {
            Ok(ws) => ws,
            Err(_) => return,
        };
    let (mut sink, mut source) = ws.split();
    let (tx, mut rx) = mpsc::unbounded_channel::<ConnCmd>();
    let (conn_id, hello) = {
        let mut st = inner.lock();
        st.next_conn += 1;
        let id = st.next_conn;
        st.connect_count += 1;
        let uri = uri.lock().unwrap_or_else(|e| e.into_inner()).clone();
        st.gateway_uris.push(uri);
        st.conns.insert(id, Conn { tx: tx.clone() });
        (
            id,
            json!({"op": 10, "s": null, "t": null, "d": {"heartbeat_interval": st.heartbeat_interval_ms}}),
        )
    };
    inner.notify();
    if sink.send(WsMessage::Text(hello.to_string())).await.is_err() {
        forget_conn(&inner, conn_id);
        return;
    }
    loop {
        tokio::select! {
            cmd = rx.recv() => match cmd {
                Some(ConnCmd::Text(t)) => {
                    if sink.send(WsMessage::Text(t)).await.is_err() { break; }
                }
                Some(ConnCmd::Close(code)) => {
                    let _ = sink.send(WsMessage::Close(Some(CloseFrame { code: CloseCode::from(code), reason: "".into() }))).await;
                    break;
                }
                Some(ConnCmd::Drop) | None => break,
            },
            msg = source.next() => match msg {
                Some(Ok(WsMessage::Text(text))) => {
                    let Ok(payload) = serde_json::from_str::<Value>(&text) else {
                        let _ = sink.send(WsMessage::Close(Some(CloseFrame { code: CloseCode::from(4002), reason: "Error while decoding payload.".into() }))).await;
                        break;
                    };
                    handle_frame(&inner, conn_id, &tx, payload);
                }
                Some(Ok(WsMessage::Ping(p))) => { let _ = sink.send(WsMessage::Pong(p)).await; }
                Some(Ok(WsMessage::Close(_))) | None | Some(Err(_)) => break,
                Some(Ok(_)) => {}
            },
        }
    }
    forget_conn(&inner, conn_id);
}

fn forget_conn(inner: &Inner, conn_id: u64) {
    let mut st = inner.lock();
    st.conns.remove(&conn_id);
    if st.current == Some(conn_id) {
        st.current = None;
    }
    drop(st);
    inner.notify();
}

fn handle_frame(inner: &Inner, conn_id: u64, tx: &mpsc::UnboundedSender<ConnCmd>, payload: Value) {
    let mut st = inner.lock();
    st.gateway_frames.push(GatewayFrame {
        conn: conn_id,
        at: Instant::now(),
        payload: payload.clone(),
    });
    let op = payload.get("op").and_then(Value::as_i64).unwrap_or(-1);
    let d = payload.get("d").cloned().unwrap_or(Value::Null);
    let token_ok = |token: &str| match &inner.cfg.expected_token {
        Some(t) => token == format!("Bot {t}") || token == t.as_str(),
        None => true,
    };
    match op {
        1 if st.ack_heartbeats => {
            let _ = tx.send(ConnCmd::Text(
                json!({"op": 11, "s": null, "t": null, "d": null}).to_string(),
            ));
        }
        1 => {}
        2 => {
            st.identify_count += 1;
            let token = d
                .get("token")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            st.identify_tokens.push(token.clone());
            if !token_ok(&token) {
                let _ = tx.send(ConnCmd::Close(4004));
            } else {
                st.sessions_started += 1;
                let session_id = format!("fake-session-{}", st.sessions_started);
                let ready = fixtures::ready_payload(
                    &inner.cfg,
                    &session_id,
                    &inner.gateway_url(),
                    d.get("shard"),
                );
                st.session = Some(Session {
                    id: session_id,
                    seq: 0,
                    log: vec![],
                });
                st.current = Some(conn_id);
                let _ = dispatch_locked(&mut st, "READY", ready);
                if inner.cfg.send_guild_create {
                    let guild = fixtures::guild_create_payload(&inner.cfg);
                    let _ = dispatch_locked(&mut st, "GUILD_CREATE", guild);
                }
            }
        }
        6 => {
            st.resume_count += 1;
            let token = d
                .get("token")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let sid = d.get("session_id").and_then(Value::as_str).unwrap_or("");
            let seq = d.get("seq").and_then(Value::as_u64).unwrap_or(0);
            let resumable = token_ok(&token)
                && st
                    .session
                    .as_ref()
                    .is_some_and(|s| s.id == sid && seq <= s.seq);
            if resumable {
                st.current = Some(conn_id);
                let missed: Vec<String> = st
                    .session
                    .as_ref()
                    .map(|s| {
                        s.log
                            .iter()
                            .filter(|(n, _)| *n > seq)
                            .map(|(_, f)| f.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                for frame in missed {
                    let _ = tx.send(ConnCmd::Text(frame));
                }
                let _ = dispatch_locked(&mut st, "RESUMED", json!({}));
            } else {
                let _ = tx.send(ConnCmd::Text(
                    json!({"op": 9, "s": null, "t": null, "d": false}).to_string(),
                ));
            }
        }
        _ => {}
    }
    drop(st);
    inner.notify();
}
