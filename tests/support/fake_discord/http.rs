//! The REST server: hyper's HTTP/1.1 server (keep-alive, Content-Length or chunked bodies) on
//! loopback. It reads each request whole, decodes its body (JSON, or the `payload_json` part
//! of a multipart body), hands it to [`super::routes`] and writes back the JSON it answers.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::Value;
use tokio::net::{TcpListener, TcpStream};

use super::fixtures::{discord_error, Reply};
use super::routes::{self, Request};
use super::state::Inner;

/// How long a client may take to send a request's head, and then its body.
const READ_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest body the fake reads: Discord's own limit for a message with attachments.
const MAX_BODY: usize = 25 * 1024 * 1024 + 64 * 1024;

/// Accepts REST connections until the fake shuts down.
pub(super) async fn serve(inner: Arc<Inner>, listener: TcpListener) {
    while let Ok((stream, _)) = listener.accept().await {
        inner.spawn(serve_conn(Arc::clone(&inner), stream));
    }
}

/// Serves one keep-alive connection until the client closes it.
async fn serve_conn(inner: Arc<Inner>, stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    let service = service_fn(move |req: hyper::Request<Incoming>| {
        let inner = Arc::clone(&inner);
        async move { Ok::<_, Infallible>(answer(&inner, req).await) }
    });
    let _ = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(READ_TIMEOUT)
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

async fn answer(inner: &Inner, req: hyper::Request<Incoming>) -> Response<Full<Bytes>> {
    let at = Instant::now();
    let (head, body) = req.into_parts();
    let raw_body =
        match tokio::time::timeout(READ_TIMEOUT, Limited::new(body, MAX_BODY).collect()).await {
            Ok(Ok(collected)) => collected.to_bytes().to_vec(),
            // An unreadable body is no request the bot made: it is answered, not recorded.
            Ok(Err(_)) => return response(discord_error(400, 0, "400: unreadable body")),
            Err(_) => return response(discord_error(408, 0, "408: body timed out")),
        };
    let content_type = header(&head.headers, CONTENT_TYPE.as_str());
    let body = decode_body(content_type.as_deref(), &raw_body);
    let reply = routes::handle(
        inner,
        Request {
            method: head.method.as_str().to_string(),
            path: head.uri.path().to_string(),
            query: head.uri.query().map(str::to_string),
            authorization: header(&head.headers, "authorization"),
            content_type,
            body,
            raw_body,
            at,
        },
    );
    response(reply)
}

/// The first value of a header, as text.
fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

/// The JSON of a request body: the body itself, or the `payload_json` part of a multipart one.
fn decode_body(content_type: Option<&str>, raw: &[u8]) -> Option<Value> {
    if raw.is_empty() {
        return None;
    }
    match content_type {
        Some(ct) if ct.starts_with("multipart/") => multipart_payload_json(ct, raw),
        _ => serde_json::from_slice(raw).ok(),
    }
}

/// The `payload_json` part of a multipart/form-data body.
fn multipart_payload_json(content_type: &str, body: &[u8]) -> Option<Value> {
    let boundary = content_type.split("boundary=").nth(1)?.trim_matches('"');
    let delim = format!("--{boundary}");
    let text = String::from_utf8_lossy(body);
    text.split(delim.as_str())
        .filter_map(|part| part.split_once("\r\n\r\n"))
        .find(|(head, _)| head.contains("name=\"payload_json\""))
        .and_then(|(_, content)| {
            let content = content.strip_suffix("\r\n").unwrap_or(content);
            serde_json::from_str(content).ok()
        })
}

/// Discord's answer as an HTTP response: JSON with its length, or an empty 204.
fn response(reply: Reply) -> Response<Full<Bytes>> {
    let body = reply
        .body
        .as_ref()
        .map(|b| Bytes::from(b.to_string()))
        .unwrap_or_default();
    let mut resp = Response::new(Full::new(body));
    *resp.status_mut() =
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = resp.headers_mut();
    if reply.status != 204 {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    for (name, value) in reply.headers {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    resp
}
