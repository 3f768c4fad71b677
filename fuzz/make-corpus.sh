#!/usr/bin/env bash
# Rebuild the committed seed corpus under fuzz/corpus/<target>/ from the repository:
# the seed report's paragraphs (in small files), the rule fixtures, the built-in rule
# files, a few configurations, the Word fixtures (whole, and their document XML) and a
# few language-server sessions. Run from anywhere; it replaces fuzz/corpus.
set -euo pipefail
export LC_ALL=C
fuzz="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$fuzz")"
corpus="$fuzz/corpus"
rm -rf "$corpus"
mkdir -p "$corpus"/{check,rules,config,docx,lsp}

# The seed's paragraphs (split at blank lines), gathered into files of about 1.5 KB.
awk -v out="$corpus/check" '
  function flush() { if (buf != "") { n++; f = sprintf("%s/seed-%03d.txt", out, n); printf "%s", buf > f; close(f); buf = "" } }
  { buf = buf $0 "\n" }
  /^[[:space:]]*$/ && length(buf) > 1500 { flush() }
  END { flush() }' "$root/seeds/000_26c4ac59d5b61832.txt"

# Every rule fixture, named after its rule.
for f in "$root"/tests/fixtures/*/*.txt "$root"/tests/fixtures/*/*.md; do
  [ -e "$f" ] || continue
  rule="$(basename "$(dirname "$f")")"
  cp "$f" "$corpus/check/fixture-$rule-$(basename "$f")"
done
# (the figures target reads corpus/check too: see run.sh)

# Markdown and HTML readers: the format fixtures, and the start of the seed as XHTML.
mkdir -p "$corpus/markup"
cp "$root"/tests/fixtures/formats/report.md "$root"/tests/fixtures/formats/visible.html "$corpus/markup/"
python3 -c 'import sys; t = open(sys.argv[1], encoding="utf-8").read()[:20000]; open(sys.argv[2], "w", encoding="utf-8").write(t)' \
  "$root/tests/fixtures/formats/seed.xhtml" "$corpus/markup/seed-head.xhtml"

cp "$root"/rules/*.yaml "$corpus/rules/"
cat > "$corpus/rules/pack-share.yaml" <<'YAML'
family: share
key-slots: [part, pct]
patterns:
  - "{part:amount} ~3 , representing {pct:percent} of the {whole:amount}"
  - pattern: "{pct:percent} *[ of ] <women|men> [the] ...6 {whole:amount}"
    tags: [non-exhaustive]
YAML

cat > "$corpus/config/full.yaml" <<'YAML'
select: [share, sum]
ignore: [share-rounding]
severity: {implied-total: error}
rounding: either
hedge-tolerance: 0.05
locale: fr
min-severity: warning
fail-on: error
overrides:
  - paths: ["annex/**"]
    rounding: truncate
ignore-findings:
  - rule: share-mismatch
    text: "786 (21.02 per cent)"
vocabulary:
  currencies: {som: KGS}
  hedges: {"in the region of": about}
  exhaustive-pairs: [[[nationals], [foreigners]]]
  furniture: ["GE.23-*"]
YAML
printf 'rounding: truncate\n' > "$corpus/config/rounding.yaml"
printf 'locale: de\nvocabulary:\n  furniture: ["*"]\n' > "$corpus/config/locale.yaml"
printf 'overrides:\n  - paths: ["*.txt", "annex/[a-z]*"]\n    select: [sum]\n    severity: {sum-mismatch: info}\n' > "$corpus/config/overrides.yaml"

for f in "$root"/tests/fixtures/formats/*.docx; do
  name="$(basename "$f" .docx)"
  cp "$f" "$corpus/docx/$name.docx"
  # The XML alone only when it is small: large seeds slow every run of the target.
  if [ "$(unzip -p "$f" word/document.xml | wc -c)" -le 65536 ]; then
    unzip -p "$f" word/document.xml > "$corpus/docx/$name-document.xml"
  fi
  if unzip -l "$f" word/footnotes.xml > /dev/null 2>&1; then
    { unzip -p "$f" word/document.xml; printf '\0'; unzip -p "$f" word/footnotes.xml; } > "$corpus/docx/$name-with-footnotes.xml"
  fi
done
W='xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
printf '<w:document %s><w:body><w:p><w:r><w:t>Of the 3,415 deputies, 786 (21.02 per cent) are women.</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>Total</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>100</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>' "$W" > "$corpus/docx/small-document.xml"

# Language-server sessions: framed messages, as an editor writes them.
frame() { printf 'Content-Length: %d\r\n\r\n%s' "${#1}" "$1"; }
init='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{"general":{"positionEncodings":["utf-8","utf-16"]},"workspace":{"didChangeWatchedFiles":{"dynamicRegistration":true}}}}}'
inited='{"jsonrpc":"2.0","method":"initialized","params":{}}'
text='Of the 3,415 deputies, 786 (21.02 per cent) are women.\n\nThe 10 regions: 3, 4 and 4.\n'
open_txt='{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///fuzz/a.txt","languageId":"plaintext","version":1,"text":"'"$text"'"}}}'
open_md='{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///fuzz/b.md","languageId":"markdown","version":1,"text":"# T\n\n'"$text"'"}}}'
change='{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///fuzz/a.txt","version":2},"contentChanges":[{"range":{"start":{"line":0,"character":28},"end":{"line":0,"character":30}},"text":"23"},{"text":"whole new text 5 of 4 (125 per cent)"}]}}'
hover='{"jsonrpc":"2.0","id":2,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///fuzz/b.md"},"position":{"line":2,"character":29}}}'
action='{"jsonrpc":"2.0","id":3,"method":"textDocument/codeAction","params":{"textDocument":{"uri":"file:///fuzz/b.md"},"range":{"start":{"line":2,"character":0},"end":{"line":2,"character":60}},"context":{"diagnostics":[]}}}'
save='{"jsonrpc":"2.0","method":"textDocument/didSave","params":{"textDocument":{"uri":"file:///fuzz/a.txt"},"text":"8 of 4"}}'
close='{"jsonrpc":"2.0","method":"textDocument/didClose","params":{"textDocument":{"uri":"file:///fuzz/a.txt"}}}'
watched='{"jsonrpc":"2.0","method":"workspace/didChangeWatchedFiles","params":{"changes":[]}}'
shutdown='{"jsonrpc":"2.0","id":9,"method":"shutdown"}'
exit_='{"jsonrpc":"2.0","method":"exit"}'
{ frame "$init"; frame "$inited"; frame "$open_txt"; frame "$open_md"; frame "$hover"; frame "$action"; frame "$change"; frame "$save"; frame "$watched"; frame "$close"; frame "$shutdown"; frame "$exit_"; } > "$corpus/lsp/session.bin"
{ frame "$init"; frame "$open_md"; frame "$action"; frame "$shutdown"; frame "$exit_"; } > "$corpus/lsp/code-action.bin"
{ frame "$init"; frame '{not json'; frame '{"jsonrpc":"2.0","id":7,"method":5}'; printf 'Content-Length: abc\r\n\r\n'; frame "$open_txt"; frame "$exit_"; } > "$corpus/lsp/malformed.bin"
{ frame "$hover"; frame "$init"; frame "$change"; frame "$exit_"; } > "$corpus/lsp/out-of-order.bin"

echo "corpus: $(find "$corpus" -type f | wc -l) files"
for d in "$corpus"/*; do echo "  $(basename "$d"): $(ls "$d" | wc -l)"; done
