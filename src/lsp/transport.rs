//! JSON-RPC over stdio with `Content-Length` framing, forgiving of bad input.
//!
//! `lsp-server`'s own stdio transport stops reading at the first malformed payload; an
//! editor's server should not die of one bad message. This reader logs what it could not
//! parse, answers a request it can still identify with an error, and reads on.

use std::io::{self, BufRead, Write};
use std::thread;

use lsp_server::{Connection, ErrorCode, Message, Notification, RequestId, Response};

/// Method of the internal notification the reader sends the server about bad input.
pub(crate) const MALFORMED: &str = "$/numlint/malformed";

/// The server's end of a connection over stdin and stdout, and the threads serving it.
pub(crate) fn stdio() -> (Connection, thread::JoinHandle<()>) {
    let (server, client) = Connection::memory();
    let to_server = client.sender;
    let from_server = client.receiver;
    let writer = thread::spawn(move || {
        let stdout = io::stdout();
        let mut out = stdout.lock();
        for msg in from_server {
            if msg.write(&mut out).is_err() {
                break;
            }
        }
        let _ = out.flush();
    });
    // The reader is never joined: it blocks on stdin, and the process ends after `exit`.
    thread::spawn(move || {
        let stdin = io::stdin();
        read_loop(&mut stdin.lock(), |msg| to_server.send(msg).is_ok());
    });
    (server, writer)
}

/// Read framed messages until end of input (or until `send` refuses one); what cannot be
/// parsed is turned into a [`MALFORMED`] notification carrying the reason, or an error
/// response when the request id can still be read.
pub(crate) fn read_loop(input: &mut impl BufRead, mut send: impl FnMut(Message) -> bool) {
    loop {
        let msg = match read_frame(input) {
            Ok(None) => return,
            Ok(Some(body)) => parse(&body),
            Err(Frame::Io) => return,
            Err(Frame::Bad(reason)) => malformed(reason, None),
        };
        let exit = matches!(&msg, Message::Notification(n) if n.method == "exit");
        if !send(msg) || exit {
            return;
        }
    }
}

enum Frame {
    Io,
    Bad(String),
}

fn read_frame(input: &mut impl BufRead) -> Result<Option<Vec<u8>>, Frame> {
    let mut length: Option<usize> = None;
    let mut bad: Option<String> = None;
    let mut line = String::new();
    let mut saw_header = false;
    loop {
        line.clear();
        match input.read_line(&mut line) {
            Ok(0) => return Ok(None),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                bad = Some("header is not UTF-8".into());
                continue;
            }
            Err(_) => return Err(Frame::Io),
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            if saw_header {
                break;
            }
            continue; // stray blank lines between messages
        }
        saw_header = true;
        match header.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                match value.trim().parse() {
                    Ok(n) => length = Some(n),
                    Err(_) => bad = Some(format!("bad Content-Length header {header:?}")),
                }
            }
            Some(_) => {}
            None => bad = Some(format!("malformed header {header:?}")),
        }
    }
    let Some(length) = length else {
        return Err(Frame::Bad(
            bad.unwrap_or_else(|| "message without Content-Length".into()),
        ));
    };
    // A message over the limit is read past, never held.
    let limit = crate::limits::MAX_MESSAGE_BYTES;
    if length as u64 > limit {
        let skipped = io::copy(
            &mut io::Read::take(&mut *input, length as u64),
            &mut io::sink(),
        )
        .map_err(|_| Frame::Io)?;
        if skipped < length as u64 {
            return Ok(None);
        }
        return Err(Frame::Bad(format!(
            "message of {length} bytes is over the limit of {limit} bytes; skipped"
        )));
    }
    // A huge length from a garbled header must not allocate without bound up front.
    let mut body = Vec::with_capacity(length.min(1 << 20));
    let got = io::Read::take(&mut *input, length as u64)
        .read_to_end(&mut body)
        .map_err(|_| Frame::Io)?;
    if got < length {
        return Ok(None);
    }
    match bad {
        Some(reason) => Err(Frame::Bad(reason)),
        None => Ok(Some(body)),
    }
}

use io::Read as _;

fn parse(body: &[u8]) -> Message {
    match serde_json::from_slice::<Message>(body) {
        Ok(msg) => msg,
        Err(e) => {
            // A request whose id can be read still gets an answer.
            let id = serde_json::from_slice::<serde_json::Value>(body)
                .ok()
                .and_then(|v| v.get("id").cloned())
                .and_then(|id| serde_json::from_value::<RequestId>(id).ok());
            malformed(format!("malformed message: {e}"), id)
        }
    }
}

fn malformed(reason: String, id: Option<RequestId>) -> Message {
    let params = serde_json::json!({
        "reason": reason,
        "response": id.map(|id| Response::new_err(id, ErrorCode::InvalidRequest as i32, reason.clone())),
    });
    Message::Notification(Notification::new(MALFORMED.to_string(), params))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(parts: &[&str]) -> Vec<u8> {
        let mut out = Vec::new();
        for p in parts {
            out.extend(format!("Content-Length: {}\r\n\r\n{p}", p.len()).bytes());
        }
        out
    }

    fn read_all(bytes: &[u8]) -> Vec<Message> {
        let mut got = Vec::new();
        read_loop(&mut io::Cursor::new(bytes), |m| {
            got.push(m);
            true
        });
        got
    }

    #[test]
    fn malformed_payloads_do_not_stop_the_reader() {
        let input = frames(&[
            "{not json",
            r#"{"jsonrpc":"2.0","id":7,"method":5}"#,
            r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#,
        ]);
        let got = read_all(&input);
        assert_eq!(got.len(), 3);
        assert!(matches!(&got[0], Message::Notification(n) if n.method == MALFORMED));
        match &got[1] {
            Message::Notification(n) => assert_eq!(n.params["response"]["id"], 7),
            other => panic!("{other:?}"),
        }
        assert!(matches!(&got[2], Message::Request(r) if r.method == "shutdown"));
    }

    #[test]
    fn bad_headers_are_reported_and_skipped() {
        let mut input = b"Content-Length: abc\r\n\r\n".to_vec();
        input.extend(frames(&[r#"{"jsonrpc":"2.0","method":"exit"}"#]));
        let got = read_all(&input);
        assert!(matches!(&got[0], Message::Notification(n) if n.method == MALFORMED));
        assert!(matches!(&got[1], Message::Notification(n) if n.method == "exit"));
    }
}
