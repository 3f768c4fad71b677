//! `numlint lsp`: a Language Server over stdio, the editor's edge of the pipeline.
//!
//! Built on `lsp-server` and `lsp-types`, single-threaded. Documents are kept as the client
//! last sent them; every message waiting in the channel is handled before any check runs,
//! so a burst of edits costs one check per document, always of its latest version (the
//! version is published with the diagnostics). Byte spans become LSP ranges only here, in
//! the negotiated position encoding (see [`position`]).

pub mod document;
pub mod features;
pub mod position;
mod transport;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, Hover, HoverContents, HoverParams,
    HoverProviderCapability, InitializeParams, InitializeResult, MarkupContent, MarkupKind,
    MessageType, PublishDiagnosticsParams, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions, TextEdit, Uri,
    WorkspaceEdit,
};

use crate::cli::profiles::{CommandLine, Profiles};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::engine::Engine;
use document::Document;
use position::{Encoding, LineIndex};

/// How the session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ending {
    /// `exit` after `shutdown`, as the protocol asks.
    Clean,
    /// `exit` without `shutdown`, or the client went away.
    Abrupt,
}

/// Serve one client over stdin/stdout until it exits.
pub(crate) fn run_stdio(cli: CommandLine) -> Ending {
    let (conn, writer) = transport::stdio();
    let ending = Server::new(conn, cli).serve();
    // Dropping the server closed the outgoing channel: let the writer flush and finish.
    let _ = writer.join();
    ending
}

/// The last check of a document: the findings, the engine and config that produced them.
struct Checked {
    version: i32,
    diagnostics: Vec<Diagnostic>,
    engine: Arc<Engine>,
    config: Arc<Config>,
}

struct Server {
    conn: Connection,
    cli: CommandLine,
    enc: Encoding,
    roots: Vec<PathBuf>,
    profiles: Option<Profiles>,
    docs: HashMap<Uri, Document>,
    checked: HashMap<Uri, Checked>,
    shutdown: bool,
    watch_registration: bool,
    next_id: i32,
}

enum Flow {
    Continue,
    Exit,
}

impl Server {
    fn new(conn: Connection, cli: CommandLine) -> Self {
        Server {
            conn,
            cli,
            enc: Encoding::Utf16,
            roots: Vec::new(),
            profiles: None,
            docs: HashMap::new(),
            checked: HashMap::new(),
            shutdown: false,
            watch_registration: false,
            next_id: 0,
        }
    }

    fn serve(mut self) -> Ending {
        if !self.initialize() {
            return Ending::Abrupt;
        }
        while let Ok(first) = self.conn.receiver.recv() {
            // Debounce: everything already queued is handled before any document is
            // checked, so a burst of changes costs one check of the latest text.
            let mut batch = vec![first];
            while let Ok(more) = self.conn.receiver.try_recv() {
                batch.push(more);
            }
            for msg in batch {
                if let Flow::Exit = self.handle(msg) {
                    return if self.shutdown {
                        Ending::Clean
                    } else {
                        Ending::Abrupt
                    };
                }
            }
            self.check_dirty();
        }
        Ending::Abrupt
    }

    /// Wait for `initialize`, answer it; false when the client exits first.
    fn initialize(&mut self) -> bool {
        while let Ok(msg) = self.conn.receiver.recv() {
            match msg {
                Message::Request(req) if req.method == "initialize" => {
                    let params: InitializeParams = match serde_json::from_value(req.params) {
                        Ok(p) => p,
                        Err(e) => {
                            self.reply_err(req.id, ErrorCode::InvalidParams, e.to_string());
                            continue;
                        }
                    };
                    self.configure(&params);
                    let result = InitializeResult {
                        capabilities: self.capabilities(),
                        server_info: Some(ServerInfo {
                            name: "numlint".into(),
                            version: Some(env!("CARGO_PKG_VERSION").into()),
                        }),
                    };
                    self.send(Response::new_ok(req.id, result).into());
                    return true;
                }
                Message::Request(req) => self.reply_err(
                    req.id,
                    ErrorCode::ServerNotInitialized,
                    "the server is not initialized yet".into(),
                ),
                Message::Notification(n) if n.method == "exit" => return false,
                Message::Notification(n) if n.method == transport::MALFORMED => self.malformed(n),
                _ => {}
            }
        }
        false
    }

    fn configure(&mut self, params: &InitializeParams) {
        let general = params.capabilities.general.as_ref();
        self.enc = Encoding::negotiate(general.and_then(|g| g.position_encodings.as_deref()));
        self.watch_registration = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        for folder in params.workspace_folders.iter().flatten() {
            if let Some(p) = document::file_path(&folder.uri) {
                self.roots.push(p);
            }
        }
        #[allow(deprecated)] // older clients send only rootUri
        if self.roots.is_empty()
            && let Some(p) = params.root_uri.as_ref().and_then(document::file_path)
        {
            self.roots.push(p);
        }
    }

    fn capabilities(&self) -> ServerCapabilities {
        ServerCapabilities {
            position_encoding: Some(self.enc.kind()),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(lsp_types::TextDocumentSyncSaveOptions::Supported(true)),
                    ..Default::default()
                },
            )),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
            ..Default::default()
        }
    }

    fn handle(&mut self, msg: Message) -> Flow {
        match msg {
            Message::Request(req) => self.request(req),
            Message::Notification(n) => return self.notification(n),
            Message::Response(_) => {} // answers to our registration request
        }
        Flow::Continue
    }

    fn request(&mut self, req: Request) {
        if self.shutdown {
            return self.reply_err(
                req.id,
                ErrorCode::InvalidRequest,
                "the server is shutting down".into(),
            );
        }
        let id = req.id.clone();
        let result = match req.method.as_str() {
            "shutdown" => {
                self.shutdown = true;
                Ok(serde_json::Value::Null)
            }
            "initialize" => Err((ErrorCode::InvalidRequest, "already initialized".into())),
            "textDocument/hover" => parse(req.params).map(|p| to_json(self.hover(p))),
            "textDocument/codeAction" => parse(req.params).map(|p| to_json(self.code_actions(p))),
            other => Err((
                ErrorCode::MethodNotFound,
                format!("unknown method `{other}`"),
            )),
        };
        match result {
            Ok(value) => self.send(Response::new_ok(id, value).into()),
            Err((code, message)) => self.reply_err(id, code, message),
        }
    }

    fn notification(&mut self, n: Notification) -> Flow {
        match n.method.as_str() {
            "exit" => return Flow::Exit,
            "initialized" => self.register_watchers(),
            "textDocument/didOpen" => {
                if let Some(p) = self.params::<DidOpenTextDocumentParams>(n) {
                    let d = p.text_document;
                    if d.text.contains('\0') {
                        self.log(
                            MessageType::WARNING,
                            format!(
                                "{}: binary document (NUL byte), not checked",
                                d.uri.as_str()
                            ),
                        );
                    }
                    let doc = Document::new(d.uri.clone(), d.language_id, d.version, d.text);
                    self.docs.insert(d.uri, doc);
                }
            }
            "textDocument/didChange" => {
                if let Some(p) = self.params::<DidChangeTextDocumentParams>(n) {
                    let uri = p.text_document.uri;
                    let enc = self.enc;
                    match self.docs.get_mut(&uri) {
                        Some(doc) => {
                            for c in doc.apply(p.text_document.version, p.content_changes, enc) {
                                self.log(
                                    MessageType::WARNING,
                                    format!("{}: {}", uri.as_str(), c.reason),
                                );
                            }
                        }
                        None => self.log(
                            MessageType::WARNING,
                            format!("change to a document that is not open: {}", uri.as_str()),
                        ),
                    }
                }
            }
            "textDocument/didSave" => {
                if let Some(p) = self.params::<DidSaveTextDocumentParams>(n)
                    && let Some(doc) = self.docs.get_mut(&p.text_document.uri)
                {
                    if let Some(text) = p.text {
                        doc.text = text;
                    }
                    doc.dirty = true;
                }
            }
            "textDocument/didClose" => {
                if let Some(p) = self.params::<DidCloseTextDocumentParams>(n) {
                    let uri = p.text_document.uri;
                    self.docs.remove(&uri);
                    self.checked.remove(&uri);
                    self.publish(uri, Vec::new(), None);
                }
            }
            "workspace/didChangeWatchedFiles" | "workspace/didChangeConfiguration" => {
                // A numlint.yaml changed (or the client's settings did): forget every
                // cached config and engine, and check every open document again.
                self.profiles = None;
                for doc in self.docs.values_mut() {
                    doc.dirty = true;
                }
            }
            transport::MALFORMED => self.malformed(n),
            _ => {} // unknown notifications ($/cancelRequest, $/setTrace, ...) are ignored
        }
        Flow::Continue
    }

    fn params<P: serde::de::DeserializeOwned>(&self, n: Notification) -> Option<P> {
        match serde_json::from_value(n.params) {
            Ok(p) => Some(p),
            Err(e) => {
                self.log(
                    MessageType::ERROR,
                    format!("invalid params for {}: {e}", n.method),
                );
                None
            }
        }
    }

    fn malformed(&self, n: Notification) {
        let reason = n.params["reason"].as_str().unwrap_or("malformed message");
        self.log(MessageType::ERROR, reason.to_string());
        if let Ok(resp) = serde_json::from_value::<Response>(n.params["response"].clone()) {
            self.send(resp.into());
        }
    }

    fn register_watchers(&mut self) {
        if !self.watch_registration {
            return;
        }
        let options = serde_json::json!({ "watchers": [{ "globPattern": "**/numlint.yaml" }] });
        let params = lsp_types::RegistrationParams {
            registrations: vec![lsp_types::Registration {
                id: "numlint-config".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: Some(options),
            }],
        };
        self.next_id += 1;
        let id = RequestId::from(format!("numlint-{}", self.next_id));
        self.send(Request::new(id, "client/registerCapability".into(), params).into());
    }

    /// Check every document changed since it was last published.
    fn check_dirty(&mut self) {
        let mut dirty: Vec<Uri> = self
            .docs
            .iter()
            .filter(|(_, d)| d.dirty)
            .map(|(u, _)| u.clone())
            .collect();
        dirty.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        for uri in dirty {
            self.check(&uri);
        }
    }

    /// Check one document now and publish its diagnostics with its version.
    fn check(&mut self, uri: &Uri) {
        let Some(doc) = self.docs.get(uri) else {
            return;
        };
        let (version, name) = (doc.version, doc.name());
        let where_ = match &doc.path {
            Some(p) => p.clone(),
            None => self
                .roots
                .first()
                .cloned()
                .unwrap_or_else(|| PathBuf::from(".")),
        };
        if doc.text.contains('\0') {
            self.checked.remove(uri);
            if let Some(d) = self.docs.get_mut(uri) {
                d.dirty = false;
            }
            return self.publish(uri.clone(), Vec::new(), Some(version));
        }
        if self.profiles.is_none() {
            match Profiles::new(self.cli.clone()) {
                Ok(p) => self.profiles = Some(p),
                Err(e) => {
                    self.log(
                        MessageType::ERROR,
                        format!("numlint rules did not load: {e}"),
                    );
                    return;
                }
            }
        }
        let Some(profiles) = self.profiles.as_mut() else {
            return;
        };
        let resolved = profiles.resolve(&where_);
        let Some(doc) = self.docs.get_mut(uri) else {
            return;
        };
        doc.dirty = false;
        let text = doc.text.clone();
        let index = LineIndex::new(&text);
        match resolved {
            Ok(r) => {
                let diags = features::check_text(&r.engine, &r.config, &name, &text);
                let lsp = features::to_lsp(uri, &text, &index, &diags, self.enc);
                self.checked.insert(
                    uri.clone(),
                    Checked {
                        version,
                        diagnostics: diags,
                        engine: r.engine,
                        config: r.config,
                    },
                );
                self.publish(uri.clone(), lsp, Some(version));
            }
            Err(err) => {
                // A broken numlint.yaml: say so on the document instead of checking it
                // under settings the author did not ask for.
                let message = format!("numlint: configuration error, document not checked: {err}");
                self.log(MessageType::ERROR, format!("{}: {message}", uri.as_str()));
                self.checked.remove(uri);
                let d = lsp_types::Diagnostic {
                    range: index.range(&text, 0, 0, self.enc),
                    severity: Some(lsp_types::DiagnosticSeverity::ERROR),
                    code: Some(lsp_types::NumberOrString::String("config-error".into())),
                    source: Some("numlint".into()),
                    message,
                    ..Default::default()
                };
                self.publish(uri.clone(), vec![d], Some(version));
            }
        }
    }

    /// The findings for `uri`, checked first if the document changed since (so a request
    /// queued behind an edit is answered against the edited text).
    fn fresh(&mut self, uri: &Uri) -> Option<(&Document, &Checked)> {
        if self.docs.get(uri).is_some_and(|d| d.dirty) {
            self.check(uri);
        }
        let doc = self.docs.get(uri)?;
        let checked = self.checked.get(uri)?;
        (checked.version == doc.version).then_some((doc, checked))
    }

    fn hover(&mut self, p: HoverParams) -> Option<Hover> {
        let uri = p.text_document_position_params.text_document.uri;
        let pos = p.text_document_position_params.position;
        let enc = self.enc;
        let (doc, checked) = self.fresh(&uri)?;
        let index = LineIndex::new(&doc.text);
        let offset = index.offset(&doc.text, pos, enc).byte;
        let (span, md) = features::hover(&checked.engine, &checked.diagnostics, offset)?;
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: md,
            }),
            range: Some(index.range(&doc.text, span.start, span.end, enc)),
        })
    }

    // `WorkspaceEdit::changes` is keyed by `Uri`, whose parsed form caches in a `Cell`;
    // the key is never mutated here.
    #[allow(clippy::mutable_key_type)]
    fn code_actions(&mut self, p: CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = p.text_document.uri;
        let enc = self.enc;
        let Some((doc, checked)) = self.fresh(&uri) else {
            return Vec::new();
        };
        let index = LineIndex::new(&doc.text);
        let text = doc.text.as_str();
        let start = index.offset(text, p.range.start, enc).byte;
        let end = index.offset(text, p.range.end, enc).byte;
        let lsp = features::to_lsp(&uri, text, &index, &checked.diagnostics, enc);
        let mut actions = Vec::new();
        let mut disabled: Vec<(usize, &str)> = Vec::new();
        for (d, ld) in checked.diagnostics.iter().zip(lsp) {
            let touches = |s: crate::Span| s.start <= end && start <= s.end;
            if !touches(d.span) && !d.labels.iter().any(|l| touches(l.span)) {
                continue;
            }
            let edit = |range, new_text: String| {
                let mut changes = HashMap::new();
                changes.insert(uri.clone(), vec![TextEdit { range, new_text }]);
                Some(WorkspaceEdit {
                    changes: Some(changes),
                    ..Default::default()
                })
            };
            if let Some((span, new)) =
                features::share_fix(&checked.engine, &checked.config, &doc.name(), text, d)
            {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("Replace {} with {new}", &text[span.start..span.end]),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![ld.clone()]),
                    edit: edit(index.range(text, span.start, span.end, enc), new),
                    is_preferred: Some(true),
                    ..Default::default()
                }));
            }
            if doc.is_markdown() {
                let (at, insert) = features::disable_line(text, d.span.start, &d.rule);
                if disabled.contains(&(at, d.rule.as_str())) {
                    continue;
                }
                disabled.push((at, d.rule.as_str()));
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("Disable {} for this line", d.rule),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![ld]),
                    edit: edit(index.range(text, at, at, enc), insert),
                    ..Default::default()
                }));
            }
        }
        actions
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Notification::new("textDocument/publishDiagnostics".into(), params).into());
    }

    fn log(&self, typ: MessageType, message: String) {
        eprintln!("numlint lsp: {message}");
        let params = lsp_types::LogMessageParams { typ, message };
        self.send(Notification::new("window/logMessage".into(), params).into());
    }

    fn reply_err(&self, id: RequestId, code: ErrorCode, message: String) {
        self.send(Response::new_err(id, code as i32, message).into());
    }

    fn send(&self, msg: Message) {
        // The writer only goes away when stdout is closed: nobody is listening then.
        let _ = self.conn.sender.send(msg);
    }
}

type RequestError = (ErrorCode, String);

fn parse<P: serde::de::DeserializeOwned>(params: serde_json::Value) -> Result<P, RequestError> {
    serde_json::from_value(params)
        .map_err(|e| (ErrorCode::InvalidParams, format!("invalid params: {e}")))
}

fn to_json<T: serde::Serialize>(value: T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}
