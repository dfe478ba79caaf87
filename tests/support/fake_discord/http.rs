//! The REST server: a minimal hand-written HTTP/1.1 server (keep-alive, Content-Length or
//! chunked bodies) on loopback that decodes each request and hands it to [`super::routes`].

use std::sync::Arc;
use std::time::Instant;

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

use super::routes::{self, Request};
use super::state::Inner;

/// Accepts REST connections until the fake shuts down.
pub(super) async fn serve(inner: Arc<Inner>, listener: TcpListener) {
    while let Ok((stream, _)) = listener.accept().await {
        inner.spawn(serve_conn(Arc::clone(&inner), stream));
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// The `payload_json` part of a multipart/form-data body.
fn multipart_payload_json(content_type: &str, body: &[u8]) -> Option<Value> {
    let boundary = content_type.split("boundary=").nth(1)?.trim_matches('"');
    let delim = format!("--{boundary}");
    let text = String::from_utf8_lossy(body);
    for part in text.split(delim.as_str()) {
        let (head, content) = part.split_once("\r\n\r\n")?;
        if head.contains("name=\"payload_json\"") {
            let content = content.strip_suffix("\r\n").unwrap_or(content);
            return serde_json::from_str(content).ok();
        }
    }
    None
}

async fn serve_conn(inner: Arc<Inner>, stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    let (r, mut w) = stream.into_split();
    let mut r = BufReader::new(r);
    loop {
        let mut line = String::new();
        match r.read_line(&mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let line = line.trim_end().to_string();
        if line.is_empty() {
            continue;
        }
        let at = Instant::now();
        let mut parts = line.split_whitespace();
        let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
            return;
        };
        let (method, target) = (method.to_string(), target.to_string());
        let mut headers: Vec<(String, String)> = Vec::new();
        loop {
            let mut h = String::new();
            match r.read_line(&mut h).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
        }
        let header = |name: &str| {
            headers
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        let mut body = Vec::new();
        if header("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked")) {
            loop {
                let mut size_line = String::new();
                if r.read_line(&mut size_line).await.unwrap_or(0) == 0 {
                    return;
                }
                let size =
                    usize::from_str_radix(size_line.trim().split(';').next().unwrap_or("0"), 16)
                        .unwrap_or(0);
                if size == 0 {
                    // trailers until the empty line
                    loop {
                        let mut t = String::new();
                        if r.read_line(&mut t).await.unwrap_or(0) == 0 || t.trim_end().is_empty() {
                            break;
                        }
                    }
                    break;
                }
                let mut chunk = vec![0u8; size + 2];
                if r.read_exact(&mut chunk).await.is_err() {
                    return;
                }
                chunk.truncate(size);
                body.extend_from_slice(&chunk);
            }
        } else if let Some(len) = header("content-length").and_then(|v| v.parse::<usize>().ok()) {
            body = vec![0u8; len];
            if r.read_exact(&mut body).await.is_err() {
                return;
            }
        }
        let close = header("connection").is_some_and(|v| v.eq_ignore_ascii_case("close"));
        let resp = routes::handle(&inner, request(method, &target, &headers, body, at));
        let body_bytes = resp
            .body
            .as_ref()
            .map(|b| b.to_string().into_bytes())
            .unwrap_or_default();
        let mut head = format!("HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status));
        if resp.status != 204 {
            head.push_str("content-type: application/json\r\n");
            head.push_str(&format!("content-length: {}\r\n", body_bytes.len()));
        }
        for (k, v) in &resp.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str(if close {
            "connection: close\r\n\r\n"
        } else {
            "connection: keep-alive\r\n\r\n"
        });
        let mut out = head.into_bytes();
        out.extend_from_slice(&body_bytes);
        if w.write_all(&out).await.is_err() || w.flush().await.is_err() || close {
            return;
        }
    }
}

/// Splits the target into path and query and decodes the body: JSON, or the `payload_json`
/// part of a multipart body.
fn request(
    method: String,
    target: &str,
    headers: &[(String, String)],
    raw_body: Vec<u8>,
    at: Instant,
) -> Request {
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), Some(q.to_string())),
        None => (target.to_string(), None),
    };
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let content_type = header("content-type");
    let body: Option<Value> = if raw_body.is_empty() {
        None
    } else if content_type
        .as_deref()
        .is_some_and(|c| c.starts_with("multipart/"))
    {
        multipart_payload_json(content_type.as_deref().unwrap_or(""), &raw_body)
    } else {
        serde_json::from_slice(&raw_body).ok()
    };
    Request {
        method,
        path,
        query,
        authorization: header("authorization"),
        content_type,
        body,
        raw_body,
        at,
    }
}
