//! JSON-RPC over stdio with `Content-Length` framing.
//!
//! lsp-server's own stdio transport stops reading at the first malformed message; a
//! language server must outlive a confused client, so this one skips what it cannot
//! parse (answering with an error when the garbage still carries a request id).

use std::io::{self, BufRead, Read, Write};
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender, unbounded};
use lsp_server::{Connection, ErrorCode, Message, RequestId, Response};

/// Framed messages larger than this are skipped, not buffered.
const MAX_MESSAGE: usize = 64 * 1024 * 1024;

/// The reader and writer threads of a stdio connection.
pub struct IoThreads {
    reader: JoinHandle<()>,
    writer: JoinHandle<()>,
}

impl IoThreads {
    /// Waits for the writer to flush everything the server sent. The reader may be
    /// blocked on stdin forever, so it is detached.
    pub fn finish(self) {
        drop(self.reader);
        let _ = self.writer.join();
    }
}

/// A connection over this process's stdin and stdout.
pub fn stdio() -> io::Result<(Connection, IoThreads)> {
    let (to_client, outgoing) = unbounded::<Message>();
    let (incoming, from_client) = unbounded::<Message>();
    let writer = std::thread::Builder::new()
        .name("laylint-lsp-writer".into())
        .spawn(move || write_loop(&outgoing, &mut io::stdout().lock()))?;
    let answer = to_client.clone();
    let reader = std::thread::Builder::new()
        .name("laylint-lsp-reader".into())
        .spawn(move || read_loop(&mut io::stdin().lock(), &incoming, &answer))?;
    let connection = Connection {
        sender: to_client,
        receiver: from_client,
    };
    Ok((connection, IoThreads { reader, writer }))
}

fn write_loop(outgoing: &Receiver<Message>, out: &mut impl Write) {
    for message in outgoing {
        if message.write(out).is_err() {
            return;
        }
    }
}

/// Reads messages until end of input or `exit`; malformed ones are skipped.
pub fn read_loop(input: &mut impl BufRead, incoming: &Sender<Message>, answer: &Sender<Message>) {
    loop {
        let body = match read_frame(input) {
            Ok(Some(body)) => body,
            Ok(None) => return,
            Err(Frame::Skipped(reason)) => {
                eprintln!("laylint server: skipped a message: {reason}");
                continue;
            }
            Err(Frame::Closed) => return,
        };
        match serde_json::from_slice::<Message>(&body) {
            Ok(message) => {
                let is_exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                if incoming.send(message).is_err() || is_exit {
                    return;
                }
            }
            Err(error) => {
                eprintln!("laylint server: skipped a malformed message: {error}");
                if let Some(id) = garbage_id(&body) {
                    let response = Response::new_err(
                        id,
                        ErrorCode::InvalidRequest as i32,
                        format!("malformed message: {error}"),
                    );
                    let _ = answer.send(response.into());
                }
            }
        }
    }
}

/// The id of a message that is JSON but not a valid request.
fn garbage_id(body: &[u8]) -> Option<RequestId> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let id = value.get("id")?;
    if let Some(n) = id.as_i64() {
        return i32::try_from(n).ok().map(RequestId::from);
    }
    id.as_str().map(|s| RequestId::from(s.to_string()))
}

enum Frame {
    /// A bad header block or body: skipped, reading goes on.
    Skipped(String),
    /// The input is gone.
    Closed,
}

/// One message body, or `None` at a clean end of input.
fn read_frame(input: &mut impl BufRead) -> Result<Option<Vec<u8>>, Frame> {
    let mut length: Option<Result<usize, String>> = None;
    let mut line = Vec::new();
    let mut any_header = false;
    loop {
        line.clear();
        let read = input
            .take(8 * 1024)
            .read_until(b'\n', &mut line)
            .map_err(|_| Frame::Closed)?;
        if read == 0 {
            return if any_header {
                Err(Frame::Closed)
            } else {
                Ok(None)
            };
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if any_header {
                break;
            }
            continue;
        }
        any_header = true;
        if let Some((name, value)) = text.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = Some(
                value
                    .trim()
                    .parse::<usize>()
                    .map_err(|_| format!("bad Content-Length {:?}", value.trim())),
            );
        }
    }
    let length = match length {
        Some(Ok(n)) => n,
        Some(Err(reason)) => return Err(Frame::Skipped(reason)),
        None => return Err(Frame::Skipped("no Content-Length header".into())),
    };
    if length > MAX_MESSAGE {
        let skipped =
            io::copy(&mut input.take(length as u64), &mut io::sink()).map_err(|_| Frame::Closed)?;
        if skipped < length as u64 {
            return Err(Frame::Closed);
        }
        return Err(Frame::Skipped(format!("{length} bytes is too large")));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body).map_err(|_| Frame::Closed)?;
    Ok(Some(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &str) -> (Vec<Message>, Vec<Message>) {
        let (incoming, received) = unbounded();
        let (answer, answered) = unbounded();
        read_loop(&mut input.as_bytes(), &incoming, &answer);
        drop((incoming, answer));
        (received.iter().collect(), answered.iter().collect())
    }

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn skips_garbage_and_answers_requests_it_can_identify() {
        let input = [
            frame("{not json"),
            "X-Nonsense\r\n\r\n".to_string(),
            frame(r#"{"jsonrpc":"2.0","id":7,"method":3}"#),
            frame(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#),
        ]
        .concat();
        let (received, answered) = frames(&input);
        assert_eq!(received.len(), 1, "{received:?}");
        assert!(matches!(&received[0], Message::Notification(n) if n.method == "initialized"));
        assert_eq!(answered.len(), 1);
        assert!(
            matches!(&answered[0], Message::Response(r) if r.id == RequestId::from(7) && r.response_result.is_err())
        );
    }

    #[test]
    fn stops_at_a_truncated_body() {
        let (received, _) = frames("Content-Length: 100\r\n\r\n{}");
        assert!(received.is_empty());
    }
}
