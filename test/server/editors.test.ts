// The README's set-up for other editors, as written: Emacs with eglot, run headless (`emacs
// --batch`) when Debian's emacs and eglot are installed, and Helix's languages.toml, whose command,
// arguments and environment start the server here (Helix itself is not in Debian 12). Each reads a
// copy of the example clan, a git repository as a user's clan is (eglot's project is the
// repository), and must get its unknown-registry-key diagnostic from the server.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { TestClient, messageOf } from '../helpers/lspClient';
import { EXAMPLE_CLAN, REPO_ROOT, removeTree } from '../helpers/tempClan';

const README = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const CHECKOUT = '/path/to/clan-vars';
const roots: string[] = [];
after(() => roots.forEach(removeTree));

/** The README's one block of `lang`, the checkout's path in it made this one's. */
function block(lang: string): string {
  const blocks = [...README.matchAll(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map((m) => m[1]);
  assert.equal(blocks.length, 1, `one ${lang} block in the README`);
  assert.ok(blocks[0].includes(`${CHECKOUT}/bin/clan-vars-language-server.js`), blocks[0]);
  return blocks[0].split(CHECKOUT).join(REPO_ROOT);
}

/** A copy of the example clan in a git repository of its own. */
function userClan(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-editor-'));
  roots.push(dir);
  const clan = path.join(dir, 'clan');
  fs.cpSync(EXAMPLE_CLAN, clan, { recursive: true });
  assert.equal(spawnSync('git', ['init', '-q', clan]).status, 0);
  return clan;
}

const emacsHasEglot = () => spawnSync('emacs', ['--batch', '-q', '--eval', "(require 'eglot)"], { encoding: 'utf8', env: { ...process.env, HOME: os.tmpdir() } }).status === 0;

test("Emacs: the README's eglot set-up starts the server for a Nix buffer and its diagnostics reach flymake", (t) => {
  if (!emacsHasEglot()) return t.skip('emacs with eglot is not installed (Debian: emacs-nox elpa-eglot)');
  const clan = userClan();
  const home = path.dirname(clan);
  fs.writeFileSync(path.join(home, 'init.el'), block('elisp'));
  // nix-mode as the nix-mode package defines it, when it is not installed; then what a user does:
  // open a file of the clan. Batch Emacs has no command loop for eglot-ensure's deferred start, so
  // the server eglot would start for the buffer (from eglot-server-programs) is started here.
  fs.writeFileSync(
    path.join(home, 'run.el'),
    `(unless (fboundp 'nix-mode) (define-derived-mode nix-mode prog-mode "Nix"))
(add-to-list 'auto-mode-alist '("\\\\.nix\\\\'" . nix-mode))
(require 'eglot)
(find-file ${JSON.stringify(path.join(clan, 'lib', 'machine-env-matrix.nix'))})
(let ((contact (eglot--guess-contact)))
  (princ (format "CONTACT %S\\n" (nth 3 contact)))
  (apply #'eglot contact))
(let ((deadline (+ (float-time) 90)) found)
  (while (and (not found) (< (float-time) deadline))
    (accept-process-output nil 0.2)
    (flymake-start)
    (setq found (seq-find (lambda (d) (string-match-p "unknown-registry-key" (flymake-diagnostic-text d))) (flymake-diagnostics))))
  (princ (format "DIAGNOSTIC %s\\n" (if found (flymake-diagnostic-text found) "none")))
  (kill-emacs (if found 0 1)))
`,
  );
  const r = spawnSync('emacs', ['--batch', '-q', '-l', path.join(home, 'init.el'), '-l', path.join(home, 'run.el')], {
    cwd: clan,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, HOME: home, CLAN_VARS_CACHE_DIR: 'off' },
  });
  const out = r.stdout + r.stderr;
  assert.match(out, new RegExp(`CONTACT \\("node" "--max-semi-space-size=8" "${REPO_ROOT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/bin/clan-vars-language-server.js" "--stdio"\\)`), out);
  assert.match(out, /DIAGNOSTIC clan-vars \[unknown-registry-key\]: Unknown secret key 'deepsek' for machine 'lea'/, out);
  assert.equal(r.status, 0, out);
});

test("Helix: the README's languages.toml command, arguments and environment start the server, which answers with the clan's diagnostics", async () => {
  const toml = block('toml');
  assert.match(toml, /^\[language-server\.clan-vars\]$/m);
  assert.match(toml, /^language-servers = \[.*"clan-vars".*\]$/m);
  assert.match(toml, /^\[\[language\]\]\nname = "nix"$/m);
  const command = /^command = "([^"]+)"$/m.exec(toml)?.[1];
  const args = JSON.parse(/^args = (\[.*\])$/m.exec(toml)?.[1] ?? 'null') as string[];
  const environment = Object.fromEntries([.../^environment = \{ (.*) \}$/m.exec(toml)![1].matchAll(/(\w+) = "([^"]*)"/g)].map((m) => [m[1], m[2]]));
  assert.equal(command, 'node');
  assert.equal(args.at(-1), '--stdio');
  const clan = userClan();
  // TestClient adds --stdio itself; `node` is this node
  const client = await TestClient.start(clan, { command: [process.execPath, ...args.slice(0, -1)], cwd: clan, env: { ...process.env, ...environment, CLAN_VARS_CACHE_DIR: 'off' } });
  try {
    const matrix = path.join(clan, 'lib', 'machine-env-matrix.nix');
    client.open(matrix, fs.readFileSync(matrix, 'utf8'));
    const d = await client.waitForDiagnostics(matrix, (ds) => ds.some((x) => x.code === 'unknown-registry-key'));
    assert.match(messageOf(d.find((x) => x.code === 'unknown-registry-key')!), /Did you mean 'deepseek'/);
  } finally {
    await client.stop();
  }
});
