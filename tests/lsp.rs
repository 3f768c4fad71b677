//! End-to-end tests of `numlint lsp`: JSON-RPC over the real binary's stdin/stdout, and
//! a real editor (headless Neovim) talking to it. Every read has a timeout, so a hung
//! server fails the test instead of hanging CI.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use common::{SEED, Scratch};

const TIMEOUT: Duration = Duration::from_secs(15);
const WOMEN: &str = "Women’s share — 21.02 per cent of the seats (786 out of 3,415).\n";

/// A running `numlint lsp` with a reader thread that parses its framed output.
struct Lsp {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: mpsc::Receiver<Value>,
    seen: Vec<Value>,
    next_id: i64,
}

impl Lsp {
    fn start() -> Self {
        let mut child = common::numlint()
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("numlint lsp starts");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout piped");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = None;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        len = v.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; len.expect("Content-Length")];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                let v: Value = serde_json::from_slice(&body).expect("server sends JSON");
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        Lsp {
            child,
            stdin,
            rx,
            seen: Vec::new(),
            next_id: 0,
        }
    }

    /// Start and initialize, offering these position encodings (none: the default).
    fn initialized(encodings: Option<&[&str]>) -> (Self, Value) {
        let mut lsp = Lsp::start();
        let mut caps = json!({});
        if let Some(e) = encodings {
            caps = json!({ "general": { "positionEncodings": e } });
        }
        let root = format!("file://{}", env!("CARGO_MANIFEST_DIR"));
        let result = lsp.request(
            "initialize",
            json!({ "processId": null, "rootUri": root, "capabilities": caps }),
        );
        lsp.notify("initialized", json!({}));
        (lsp, result)
    }

    fn write_raw(&mut self, body: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        let _ = write!(stdin, "Content-Length: {}\r\n\r\n", body.len());
        let _ = stdin.write_all(body);
        let _ = stdin.flush();
    }

    fn send(&mut self, v: Value) {
        self.write_raw(v.to_string().as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Send a request; return its whole response.
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.wait(|m| m["id"] == id && m.get("method").is_none())
    }

    /// Send a request; return its result (panics on an error response).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let resp = self.call(method, params);
        assert!(resp.get("error").is_none(), "{method} failed: {resp}");
        resp["result"].clone()
    }

    /// The first message (already received or to come) that `pred` accepts.
    fn wait(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.seen.iter().position(&pred) {
            return self.seen.remove(i);
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let msg = self.rx.recv_timeout(left).unwrap_or_else(|_| {
                panic!(
                    "no expected message within {TIMEOUT:?}; saw {:#?}",
                    self.seen
                )
            });
            if pred(&msg) {
                return msg;
            }
            self.seen.push(msg);
        }
    }

    /// The diagnostics published for `uri` at `version`.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let msg = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        });
        msg["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": language, "version": 1, "text": text } }),
        );
    }

    fn change(&mut self, uri: &str, version: i64, range: Value, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{ "range": range, "text": text }],
            }),
        );
    }

    /// `shutdown` then `exit`; the exit status.
    fn shut_down(mut self) -> Option<i32> {
        let r = self.call("shutdown", Value::Null);
        assert_eq!(r["result"], Value::Null, "{r}");
        self.notify("exit", Value::Null);
        self.stdin.take();
        self.exit_code()
    }

    fn exit_code(&mut self) -> Option<i32> {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code();
            }
            assert!(Instant::now() < deadline, "server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Lsp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn range(l0: u64, c0: u64, l1: u64, c1: u64) -> Value {
    json!({ "start": { "line": l0, "character": c0 }, "end": { "line": l1, "character": c1 } })
}

fn rules(diags: &[Value]) -> Vec<&str> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or(""))
        .collect()
}

fn seed_uri() -> String {
    format!("file://{}/{SEED}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn initialize_negotiates_utf16_by_default_and_utf8_when_offered() {
    let (lsp, result) = Lsp::initialized(None);
    let caps = &result["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(caps["codeActionProvider"], true);
    assert_eq!(result["serverInfo"]["name"], "numlint");
    assert_eq!(lsp.shut_down(), Some(0));

    let (lsp, result) = Lsp::initialized(Some(&["utf-32", "utf-8", "utf-16"]));
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(lsp.shut_down(), Some(0));
}

#[test]
fn opening_the_seed_publishes_what_check_finds() {
    let expected = common::json(&common::run(&["check", "--format", "json", SEED]));
    let expected = expected["diagnostics"].as_array().unwrap();
    let (mut lsp, _) = Lsp::initialized(None);
    let uri = seed_uri();
    let text = std::fs::read_to_string(format!("{}/{SEED}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    lsp.open(&uri, "plaintext", &text);
    let diags = lsp.diagnostics(&uri, 1);
    assert_eq!(diags.len(), expected.len());
    let want: Vec<&str> = expected
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules(&diags), want);
    let share = &diags[0];
    assert_eq!(share["code"], "share-mismatch");
    assert_eq!(share["source"], "numlint");
    assert_eq!(share["severity"], 1);
    assert_eq!(
        share["codeDescription"]["href"],
        "https://github.com/numlint/numlint/blob/main/docs/rules.md#share-mismatch"
    );
    // check's columns are 1-based scalar values; the seed's line 197 is ASCII up to there.
    assert_eq!(
        share["range"]["start"],
        json!({ "line": 196, "character": 30 })
    );
    let related = share["relatedInformation"].as_array().unwrap();
    assert_eq!(related.len(), 3);
    assert_eq!(related[0]["location"]["uri"], uri.as_str());
    assert_eq!(related[0]["message"], "part: 786");
    assert!(
        share["message"]
            .as_str()
            .unwrap()
            .contains("786 / 3,415 = 23.0161")
    );
    assert_eq!(lsp.shut_down(), Some(0));
}

#[test]
fn ranges_count_utf16_units_on_a_non_ascii_line() {
    let (mut lsp, _) = Lsp::initialized(None);
    let uri = "file:///tmp/numlint-lsp-women.txt";
    lsp.open(uri, "plaintext", WOMEN);
    let diags = lsp.diagnostics(uri, 1);
    assert_eq!(rules(&diags), ["share-mismatch"]);
    // "Women’s share — " is 16 UTF-16 units (20 bytes): the claim starts at 16.
    assert_eq!(diags[0]["range"], range(0, 16, 0, 62));
    let related = diags[0]["relatedInformation"].as_array().unwrap();
    assert_eq!(related[0]["location"]["range"], range(0, 45, 0, 48));
    assert_eq!(lsp.shut_down(), Some(0));

    let (mut lsp, _) = Lsp::initialized(Some(&["utf-8"]));
    lsp.open(uri, "plaintext", WOMEN);
    let diags = lsp.diagnostics(uri, 1);
    assert_eq!(diags[0]["range"], range(0, 20, 0, 66));
    assert_eq!(lsp.shut_down(), Some(0));
}

#[test]
fn fixing_the_figure_clears_its_diagnostic() {
    let (mut lsp, _) = Lsp::initialized(None);
    let uri = "file:///tmp/numlint-lsp-fix.txt";
    lsp.open(uri, "plaintext", WOMEN);
    assert_eq!(rules(&lsp.diagnostics(uri, 1)), ["share-mismatch"]);
    // "21" -> "23", in UTF-16 columns after the curly apostrophe and the dash.
    lsp.change(uri, 2, range(0, 16, 0, 18), "23");
    assert!(lsp.diagnostics(uri, 2).is_empty());
    // And back: the finding returns.
    lsp.change(uri, 3, range(0, 16, 0, 18), "21");
    assert_eq!(rules(&lsp.diagnostics(uri, 3)), ["share-mismatch"]);
    assert_eq!(lsp.shut_down(), Some(0));
}

#[test]
fn a_burst_of_edits_never_publishes_an_older_version_after_a_newer_one() {
    let (mut lsp, _) = Lsp::initialized(None);
    let uri = "file:///tmp/numlint-lsp-burst.txt";
    lsp.open(uri, "plaintext", WOMEN);
    for v in 2..=30 {
        let digit = if v % 2 == 0 { "3" } else { "1" };
        lsp.change(uri, v, range(0, 17, 0, 18), digit);
    }
    // Version 30 wrote "3": 23.02, which holds.
    assert!(lsp.diagnostics(uri, 30).is_empty());
    let versions: Vec<i64> = lsp
        .seen
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .map(|m| m["params"]["version"].as_i64().unwrap())
        .collect();
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "{versions:?}");
    assert_eq!(lsp.shut_down(), Some(0));
}

#[test]
fn hover_on_a_labelled_figure_explains_the_computation() {
    let (mut lsp, _) = Lsp::initialized(None);
    let uri = "file:///tmp/numlint-lsp-hover.txt";
    lsp.open(uri, "plaintext", WOMEN);
    lsp.diagnostics(uri, 1);
    let at =
        |c| json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": c } });
    let hover = lsp.request("textDocument/hover", at(46));
    assert_eq!(hover["contents"]["kind"], "markdown");
    let md = hover["contents"]["value"].as_str().unwrap();
    assert!(md.contains("786 out of 3,415 is 23.02 per cent"), "{md}");
    assert!(md.contains("786 / 3,415 = 23.0161 per cent"), "{md}");
    assert!(md.contains("**23.02**"), "{md}");
    assert_eq!(hover["range"], range(0, 45, 0, 48));
    // No figure of a finding under the cursor: null.
    assert_eq!(lsp.request("textDocument/hover", at(2)), Value::Null);
    assert_eq!(lsp.shut_down(), Some(0));
}

#[test]
fn code_actions_offer_the_share_fix_and_a_markdown_suppression() {
    let (mut lsp, _) = Lsp::initialized(None);
    let uri = "file:///tmp/numlint-lsp-actions.md";
    let text = format!("# Seats\n\n{WOMEN}");
    lsp.open(uri, "markdown", &text);
    let diags = lsp.diagnostics(uri, 1);
    assert_eq!(rules(&diags), ["share-mismatch"]);
    let actions = lsp.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": range(2, 17, 2, 17),
            "context": { "diagnostics": diags },
        }),
    );
    let actions = actions.as_array().unwrap();
    assert_eq!(actions.len(), 2, "{actions:#?}");
    let fix = &actions[0];
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["title"], "Replace 21.02 with 23.02");
    assert_eq!(fix["isPreferred"], true);
    let edits = &fix["edit"]["changes"][uri];
    assert_eq!(
        edits,
        &json!([{ "range": range(2, 16, 2, 21), "newText": "23.02" }])
    );
    let disable = &actions[1];
    assert_eq!(disable["title"], "Disable share-mismatch for this line");
    let edits = &disable["edit"]["changes"][uri];
    assert_eq!(
        edits,
        &json!([{ "range": range(2, 0, 2, 0), "newText": "<!-- numlint-disable-next-line share-mismatch -->\n" }])
    );

    // Applying the suppression silences the finding.
    lsp.change(
        uri,
        2,
        range(2, 0, 2, 0),
        "<!-- numlint-disable-next-line share-mismatch -->\n",
    );
    assert!(lsp.diagnostics(uri, 2).is_empty());
    assert_eq!(lsp.shut_down(), Some(0));
}

#[test]
fn plain_text_gets_no_suppression_action() {
    let (mut lsp, _) = Lsp::initialized(None);
    let uri = "file:///tmp/numlint-lsp-actions.txt";
    lsp.open(uri, "plaintext", WOMEN);
    lsp.diagnostics(uri, 1);
    let actions = lsp.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": range(0, 0, 0, 70), "context": { "diagnostics": [] } }),
    );
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Replace 21.02 with 23.02"]);
    assert_eq!(lsp.shut_down(), Some(0));
}

#[test]
fn bad_input_gets_errors_or_log_messages_never_a_crash() {
    let (mut lsp, _) = Lsp::initialized(None);
    let uri = "file:///tmp/numlint-lsp-robust.txt";
    lsp.open(uri, "plaintext", WOMEN);
    lsp.diagnostics(uri, 1);

    // A change far outside the document is clamped (and logged), not a panic.
    lsp.change(uri, 2, range(99, 5, 120, 0), " More text.");
    lsp.diagnostics(uri, 2);
    lsp.wait(|m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .unwrap_or("")
                .contains("outside")
    });

    // Malformed JSON: logged; a request whose id is readable gets an error.
    lsp.write_raw(b"{this is not json");
    lsp.wait(|m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .unwrap_or("")
                .contains("malformed")
    });
    lsp.write_raw(br#"{"jsonrpc":"2.0","id":"bad","method":42}"#);
    let r = lsp.wait(|m| m["id"] == "bad");
    assert_eq!(r["error"]["code"], -32600);

    // Unknown request: MethodNotFound; unknown notification: ignored.
    lsp.notify("numlint/unknownNotification", json!({}));
    let r = lsp.call("numlint/unknownRequest", json!({}));
    assert_eq!(r["error"]["code"], -32601);

    // Invalid params: InvalidParams.
    let r = lsp.call("textDocument/hover", json!({ "textDocument": 5 }));
    assert_eq!(r["error"]["code"], -32602);

    // Hover on a document that is not open: null. The server still works.
    let r = lsp.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": "file:///nowhere.txt" }, "position": { "line": 0, "character": 0 } }),
    );
    assert_eq!(r, Value::Null);
    lsp.change(uri, 3, range(0, 16, 0, 18), "23");
    assert!(rules(&lsp.diagnostics(uri, 3)).is_empty());
    assert_eq!(lsp.shut_down(), Some(0));
}

#[test]
fn exit_without_shutdown_exits_one() {
    let (mut lsp, _) = Lsp::initialized(None);
    lsp.notify("exit", Value::Null);
    assert_eq!(lsp.exit_code(), Some(1));
}

#[test]
fn requests_before_initialize_are_refused() {
    let mut lsp = Lsp::start();
    let r = lsp.call("textDocument/hover", json!({}));
    assert_eq!(r["error"]["code"], -32002);
    let (mut lsp, _) = {
        drop(lsp);
        Lsp::initialized(None)
    };
    let r = lsp.call("initialize", json!({ "capabilities": {} }));
    assert_eq!(r["error"]["code"], -32600);
    assert_eq!(lsp.shut_down(), Some(0));
}

#[test]
fn config_changes_are_picked_up_on_watched_file_events() {
    let dir = Scratch::new("lsp-config");
    std::fs::create_dir_all(dir.0.join(".git")).unwrap();
    let path = dir.file("draft.txt", WOMEN);
    let uri = format!("file://{path}");
    let (mut lsp, _) = Lsp::initialized(None);
    lsp.open(&uri, "plaintext", WOMEN);
    assert_eq!(rules(&lsp.diagnostics(&uri, 1)), ["share-mismatch"]);

    let config = dir.file("numlint.yaml", "ignore: [share-mismatch]\n");
    lsp.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": format!("file://{config}"), "type": 1 }] }),
    );
    assert!(lsp.diagnostics(&uri, 1).is_empty());

    // A broken config is shown on the document, not silently ignored.
    dir.file("numlint.yaml", "fail-onn: error\n");
    lsp.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": {} }),
    );
    let diags = lsp.diagnostics(&uri, 1);
    assert_eq!(rules(&diags), ["config-error"]);
    assert_eq!(lsp.shut_down(), Some(0));
}

/// Neovim from Debian, headless, with `tests/nvim/init.lua`: it starts `numlint lsp` for
/// a text file, waits for diagnostics and writes `rule line:col message` lines.
#[test]
fn neovim_shows_the_diagnostics() {
    let Ok(version) = Command::new("nvim").arg("--version").output() else {
        println!("SKIPPED: nvim is not installed (.ci/run installs Debian's neovim)");
        return;
    };
    let version = String::from_utf8_lossy(&version.stdout);
    println!("{}", version.lines().next().unwrap_or(""));
    let dir = Scratch::new("lsp-nvim");
    std::fs::create_dir_all(dir.0.join(".git")).unwrap();
    let draft = dir.file("draft.txt", format!("Seats in 2023.\n{WOMEN}"));
    let out = dir.0.join("diagnostics.out");
    let init = format!("{}/tests/nvim/init.lua", env!("CARGO_MANIFEST_DIR"));
    let mut child = Command::new("nvim")
        .args(["--headless", "-n", "-i", "NONE", "-u", &init, &draft])
        .current_dir(&dir.0)
        .env("NUMLINT_BIN", env!("CARGO_BIN_EXE_numlint"))
        .env("NUMLINT_NVIM_OUT", &out)
        .env("XDG_STATE_HOME", dir.0.join("state"))
        .env("XDG_CACHE_HOME", dir.0.join("cache"))
        .env("XDG_DATA_HOME", dir.0.join("data"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("nvim starts");
    common::wait_or_kill(&mut child, "nvim", Duration::from_secs(40));
    let printed = std::fs::read_to_string(&out).expect("init.lua wrote its output");
    println!("{printed}");
    // Neovim turns the server's UTF-16 column back into a byte column: 21 (1-based)
    // after "Women’s share — " (20 bytes).
    assert_eq!(
        printed.trim_end(),
        "share-mismatch 2:21 786 out of 3,415 is 23.02 per cent, not 21.02 per cent"
    );
}
