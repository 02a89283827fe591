//! A tiny SMTP server for tests: greets, takes EHLO/HELO, MAIL FROM, RCPT TO, DATA until the
//! lone dot, RSET, NOOP and QUIT, and keeps every message. Addresses marked refused get 550
//! at RCPT TO, as a real server answers for an unknown mailbox.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// One message as received.
#[derive(Debug, Clone)]
pub struct Mail {
    pub from: String,
    pub to: Vec<String>,
    /// Headers and body, as sent (dot-stuffing undone).
    pub data: String,
}

impl Mail {
    /// The body, quoted-printable decoded.
    pub fn body(&self) -> String {
        let raw = self.data.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
        let quoted =
            self.data.to_ascii_lowercase().contains("content-transfer-encoding: quoted-printable");
        if quoted {
            decode_quoted_printable(raw)
        } else {
            raw.to_string()
        }
    }

    /// The personal link in the body (the token after `/f/`), if any.
    pub fn token(&self) -> Option<String> {
        let body = self.body();
        let start = body.find("/f/")? + 3;
        Some(
            body[start..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect(),
        )
    }
}

fn decode_quoted_printable(text: &str) -> String {
    let text = text.replace("=\r\n", "");
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' {
            if let Some(Ok(b)) = text.get(i + 1..i + 3).map(|hex| u8::from_str_radix(hex, 16)) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[derive(Clone)]
pub struct MailSink {
    pub addr: SocketAddr,
    messages: Arc<Mutex<Vec<Mail>>>,
    refused: Arc<Mutex<Vec<String>>>,
}

impl MailSink {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let sink = Self {
            addr: listener.local_addr().unwrap(),
            messages: Arc::default(),
            refused: Arc::default(),
        };
        let for_task = sink.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let sink = for_task.clone();
                tokio::spawn(async move {
                    let _ = sink.converse(stream).await;
                });
            }
        });
        sink
    }

    /// Answers 550 for this recipient from now on.
    pub fn refuse(&self, address: &str) {
        self.refused.lock().unwrap().push(address.to_lowercase());
    }

    pub fn messages(&self) -> Vec<Mail> {
        self.messages.lock().unwrap().clone()
    }

    /// The messages so far, leaving none.
    pub fn take(&self) -> Vec<Mail> {
        std::mem::take(&mut *self.messages.lock().unwrap())
    }

    async fn converse(&self, stream: TcpStream) -> std::io::Result<()> {
        let (read, mut write) = stream.into_split();
        let mut read = BufReader::new(read);
        write.write_all(b"220 sink.test ESMTP\r\n").await?;
        let (mut from, mut to) = (String::new(), Vec::<String>::new());
        let mut line = String::new();
        loop {
            line.clear();
            if read.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let command = line.trim_end().to_string();
            let upper = command.to_ascii_uppercase();
            let reply: &[u8] = if upper.starts_with("EHLO") {
                b"250-sink.test\r\n250 8BITMIME\r\n"
            } else if upper.starts_with("HELO") {
                b"250 sink.test\r\n"
            } else if upper.starts_with("MAIL FROM:") {
                from = angle(&command);
                to.clear();
                b"250 2.1.0 OK\r\n"
            } else if upper.starts_with("RCPT TO:") {
                let address = angle(&command);
                if self.refused.lock().unwrap().contains(&address.to_lowercase()) {
                    b"550 5.1.1 <mailbox> unknown: user does not exist here\r\n"
                } else {
                    to.push(address);
                    b"250 2.1.5 OK\r\n"
                }
            } else if upper == "DATA" {
                write.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if read.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" || line == ".\n" {
                        break;
                    }
                    data.push_str(
                        line.strip_prefix('.').filter(|_| line.starts_with("..")).unwrap_or(&line),
                    );
                }
                self.messages.lock().unwrap().push(Mail {
                    from: from.clone(),
                    to: std::mem::take(&mut to),
                    data,
                });
                b"250 2.0.0 OK queued\r\n"
            } else if upper == "QUIT" {
                write.write_all(b"221 2.0.0 Bye\r\n").await?;
                return Ok(());
            } else if upper == "RSET" {
                to.clear();
                b"250 2.0.0 OK\r\n"
            } else if upper == "NOOP" {
                b"250 2.0.0 OK\r\n"
            } else {
                b"502 5.5.2 Command not recognized\r\n"
            };
            write.write_all(reply).await?;
        }
    }
}

fn angle(command: &str) -> String {
    let start = command.find('<').map(|i| i + 1).unwrap_or(0);
    let end = command[start..].find('>').map(|i| start + i).unwrap_or(command.len());
    command[start..end].to_string()
}

#[test]
fn decodes_quoted_printable() {
    assert_eq!(
        decode_quoted_printable("Gr=C3=BC=C3=9Fe, a=3Db\r\nlange Zei=\r\nle"),
        "Grüße, a=b\r\nlange Zeile"
    );
}
