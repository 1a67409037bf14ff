//! Local stand-ins for the outside world the notifier talks to: an SMTP server that speaks
//! just enough SMTP to accept mail and records each message, and a webhook receiver that
//! records each request's body and headers. Both listen on 127.0.0.1 on a free port.
use axum::{Router, body::Bytes, extract::State, http::HeaderMap, routing::post};
use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
};
use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::{TcpListener, TcpStream},
};

/// One message the SMTP sink accepted.
#[derive(Debug, Clone, Default)]
pub struct SmtpMessage {
    pub from: String,
    pub to: Vec<String>,
    /// Headers and body as sent, lines joined by `\n`.
    pub data: String,
}

pub struct SmtpSink {
    pub addr: SocketAddr,
    messages: Arc<Mutex<Vec<SmtpMessage>>>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let messages = Arc::new(Mutex::new(Vec::new()));
        let store = messages.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(session(socket, store.clone()));
            }
        });
        SmtpSink { addr, messages }
    }

    /// `smtp://127.0.0.1:<port>` (plain SMTP).
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    pub fn messages(&self) -> Vec<SmtpMessage> {
        self.messages.lock().unwrap().clone()
    }
}

fn address(arg: &str) -> String {
    arg.split_once(':')
        .map_or(arg, |(_, a)| a)
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_string()
}

async fn session(socket: TcpStream, messages: Arc<Mutex<Vec<SmtpMessage>>>) {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read).lines();
    let mut current = SmtpMessage::default();
    let _ = write.write_all(b"220 sink ESMTP\r\n").await;
    while let Ok(Some(line)) = lines.next_line().await {
        let upper = line.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            b"250 sink\r\n"
        } else if upper.starts_with("MAIL FROM") {
            current = SmtpMessage {
                from: address(&line),
                ..Default::default()
            };
            b"250 OK\r\n"
        } else if upper.starts_with("RCPT TO") {
            current.to.push(address(&line));
            b"250 OK\r\n"
        } else if upper == "DATA" {
            let _ = write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await;
            let mut data = Vec::new();
            while let Ok(Some(l)) = lines.next_line().await {
                if l == "." {
                    break;
                }
                data.push(l.strip_prefix('.').map_or(l.clone(), str::to_string));
            }
            current.data = data.join("\n");
            messages.lock().unwrap().push(std::mem::take(&mut current));
            b"250 OK queued\r\n"
        } else if upper == "QUIT" {
            let _ = write.write_all(b"221 bye\r\n").await;
            return;
        } else if upper == "RSET" || upper == "NOOP" {
            b"250 OK\r\n"
        } else {
            b"502 not implemented\r\n"
        };
        if write.write_all(reply).await.is_err() {
            return;
        }
    }
}

/// One request the webhook receiver got.
#[derive(Debug, Clone)]
pub struct Hook {
    pub headers: HeaderMap,
    pub body: Bytes,
}

pub struct WebhookSink {
    pub addr: SocketAddr,
    hooks: Arc<Mutex<Vec<Hook>>>,
    /// Requests to answer with 503 before accepting, to exercise retries.
    fail_first: Arc<Mutex<usize>>,
}

#[derive(Clone)]
struct Shared {
    hooks: Arc<Mutex<Vec<Hook>>>,
    fail_first: Arc<Mutex<usize>>,
}

async fn receive(
    State(s): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> axum::http::StatusCode {
    {
        let mut fail = s.fail_first.lock().unwrap();
        if *fail > 0 {
            *fail -= 1;
            return axum::http::StatusCode::SERVICE_UNAVAILABLE;
        }
    }
    s.hooks.lock().unwrap().push(Hook { headers, body });
    axum::http::StatusCode::NO_CONTENT
}

impl WebhookSink {
    pub async fn start() -> WebhookSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let shared = Shared {
            hooks: Arc::new(Mutex::new(Vec::new())),
            fail_first: Arc::new(Mutex::new(0)),
        };
        let app = Router::new()
            .route("/hook", post(receive))
            .with_state(shared.clone());
        tokio::spawn(async move {
            axum::serve(listener, app).await.expect("webhook sink");
        });
        WebhookSink {
            addr,
            hooks: shared.hooks,
            fail_first: shared.fail_first,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}/hook", self.addr)
    }

    pub fn fail_next(&self, n: usize) {
        *self.fail_first.lock().unwrap() = n;
    }

    pub fn hooks(&self) -> Vec<Hook> {
        self.hooks.lock().unwrap().clone()
    }
}
