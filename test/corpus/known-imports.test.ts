// Known means known, as a property over real clans (issue 54): for every machine the model calls
// fully known, every element of every `imports` written in a module of its closure was taken up by
// the model: it is among the references the extraction recorded (which the model then resolved, or
// the machine would be open). The elements are found here by a walk of the syntax tree of its own,
// not by the extractor, so an element the extractor drops is caught.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { machinesReport } from '../../server/src/ide/machinesReport';
import { NixParser } from '../../server/src/syntax/nixParser';
import { DEFAULT_SETTINGS } from '../../server/src/base/settings';
import { WorkspaceAnalysis } from '../../server/src/rules/workspaceAnalysis';
import { openReasons } from '../../server/src/model/machineModel';
import type { FileFacts, ModuleRef } from '../../server/src/facts/types';
import type { Range } from '../../server/src/base/types';
import { REPO_ROOT } from '../helpers/tempClan';

const CORPORA = [path.resolve(REPO_ROOT, '..', 'shared', 'corpus'), path.resolve(REPO_ROOT, '..', 'clans')];

interface SyntaxNode {
  type: string;
  text: string;
  startPosition: { row: number; column: number };
  namedChildren: (SyntaxNode | null)[];
  childForFieldName(name: string): SyntaxNode | null;
}

/** Wrappers whose last argument is the list of modules (`lib.optionals c [ ... ]`, `lib.mkIf c [ ... ]`). */
const PASS = new Set(['mkIf', 'mkDefault', 'mkForce', 'mkOverride', 'mkBefore', 'mkAfter', 'mkOrder', 'optionals', 'optional', 'optionalAttrs', 'mkMerge', 'flatten']);

/** nixpkgs' modules that move an option (lib/modules.nix), from one literal path to another. */
const MOVES = new Set(['mkRenamedOptionModule', 'mkAliasOptionModule', 'mkChangedOptionModule']);

/** The strings of a list of string literals (`[ "clan" "vaultwarden" "enable" ]`), or null. */
function literalPath(n: SyntaxNode | undefined): string[] | null {
  while (n?.type === 'parenthesized_expression') n = n.namedChildren.find((c) => c && c.type !== 'comment') ?? undefined;
  if (n?.type !== 'list_expression') return null;
  const parts = n.namedChildren.filter((e) => e && e.type !== 'comment') as SyntaxNode[];
  return parts.every((e) => e.type === 'string_expression' && /^"[\w.-]*"$/.test(e.text)) ? parts.map((e) => e.text.slice(1, -1)) : null;
}

/**
 * The elements of every `imports` (through `++`, parentheses and wrappers such as `lib.optionals`),
 * outside home-manager users' modules. A module written inline (a set, a function) is part of the
 * file: its own imports are found by the same walk.
 */
function importElements(root: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  type Scope = Map<string, SyntaxNode>;
  let scope: Scope = new Map();
  const element = (v: SyntaxNode | null, depth: number): void => {
    if (!v || depth > 50) return;
    // a name bound in a `let` around it: what it is bound to
    if (v.type === 'variable_expression' && scope.has(v.text)) return element(scope.get(v.text)!, depth + 1);
    if (v.type === 'parenthesized_expression') return element(v.namedChildren.find((c) => c && c.type !== 'comment') ?? null, depth + 1);
    // `with config.flake.modules.nixos; [ a b ]`, `let m = ...; in [ ... ]`: the elements are in the body
    if (v.type === 'with_expression' || v.type === 'let_expression') return element(v.childForFieldName('body'), depth + 1);
    if (v.type === 'list_expression') {
      for (const e of v.namedChildren) if (e && e.type !== 'comment') element(e, depth + 1);
      return;
    }
    if (v.type === 'binary_expression' && v.childForFieldName('operator')?.text === '++') {
      element(v.childForFieldName('left'), depth + 1);
      return element(v.childForFieldName('right'), depth + 1);
    }
    if (v.type === 'apply_expression') {
      let fn: SyntaxNode | null = v;
      const args: SyntaxNode[] = [];
      while (fn?.type === 'apply_expression') {
        args.unshift(fn.childForFieldName('argument')!);
        fn = fn.childForFieldName('function');
      }
      const name = (fn?.text ?? '').split('.').pop() ?? '';
      if (PASS.has(name)) return element(args[args.length - 1] ?? null, depth + 1);
      // an option retired, or moved outside `clan`, by nixpkgs' lib: a module that gives no generator
      if (name === 'mkRemovedOptionModule' && literalPath(args[0])) return;
      if (MOVES.has(name) && [args[0], args[1]].every((a) => literalPath(a) && literalPath(a)![0] !== 'clan')) return;
      // a function written in this file, applied (`common args`): a module of this file, walked with it
      if (fn?.type === 'variable_expression' && scope.get(fn.text)?.type === 'function_expression') return;
    }
    if (v.type === 'attrset_expression' || v.type === 'rec_attrset_expression' || v.type === 'function_expression') return;
    out.push(v);
  };
  const walk = (n: SyntaxNode | null, depth: number) => {
    if (!n || depth > 400) return;
    const outer = scope;
    if (n.type === 'let_expression') {
      scope = new Map(scope);
      for (const b of n.namedChildren.find((c) => c?.type === 'binding_set')?.namedChildren ?? []) {
        const name = b?.type === 'binding' ? b.childForFieldName('attrpath')?.text : undefined;
        const value = b?.childForFieldName('expression');
        if (name && value && !name.includes('.')) scope.set(name, value);
      }
    }
    if (n.type === 'binding') {
      const parts = (n.childForFieldName('attrpath')?.text ?? '').split('.');
      // home-manager users' modules are another evaluation's
      if (parts.includes('home-manager')) return;
      if (parts[parts.length - 1] === 'imports') element(n.childForFieldName('expression'), 0);
    }
    for (const c of n.namedChildren) walk(c, depth + 1);
    scope = outer;
  };
  walk(root, 0);
  return out;
}

/** Every module reference the extraction recorded in a file. */
function refsOf(facts: FileFacts): ModuleRef[] {
  const m = facts.modules;
  return m ? [...m.imports, ...m.flakeModules.flatMap((d) => d.imports), ...m.machineModules.flatMap((mm) => mm.refs), ...m.instances.flatMap((i) => i.roles.flatMap((r) => r.extraModules ?? []))] : [];
}

/** Every place the extraction took up something of a file's module structure. */
function recorded(facts: FileFacts): Range[] {
  const m = facts.modules;
  return [...refsOf(facts).map((r) => r.range), ...(m?.clanRefs ?? []).map((r) => r.range), ...(m?.opaqueParts ?? []).map((o) => o.range)];
}

/** The workspace files a reference names (a file, a folder's default.nix, a flake module's files), where the syntax says so. */
function filesNamed(ref: ModuleRef, files: Map<string, FileFacts>): string[] | null {
  const at = (p: string) => [p, path.join(p, 'default.nix')].find((f) => files.has(f));
  if (ref.path) {
    const f = at(ref.path);
    return f ? [f] : [];
  }
  if (ref.flakeModule) {
    const out: string[] = [];
    for (const facts of files.values()) {
      for (const d of facts.modules?.flakeModules ?? []) {
        if (d.cls !== ref.flakeModule.cls || d.name !== ref.flakeModule.name) continue;
        const f = d.target ? at(d.target) : facts.file;
        out.push(f ?? d.target!);
      }
    }
    return out;
  }
  return null;
}

const within = (r: Range, line: number, character: number) => (r.start.line < line || (r.start.line === line && r.start.character <= character)) && (r.end.line > line || (r.end.line === line && r.end.character >= character));

for (const corpus of CORPORA) {
  const clans = fs.existsSync(corpus) ? fs.readdirSync(corpus).filter((d) => fs.statSync(path.join(corpus, d)).isDirectory()).sort() : [];
  if (!clans.length) console.log(`# known-imports property skipped: no clans under ${corpus}`);
  describe(`every import of a machine called known is taken up, ${path.basename(corpus)}`, { skip: clans.length ? false : `no clans at ${corpus}` }, () => {
    for (const clan of clans) {
      test(clan, async () => {
        const dir = path.join(corpus, clan);
        const parser = await NixParser.load();
        const index = new WorkspaceAnalysis(dir, DEFAULT_SETTINGS, parser);
        await index.scan();
        const dropped: string[] = [];
        let known = 0;
        for (const { root } of index.clanRoots()) {
          const model = index.clan(root);
          machinesReport(model); // settles the clan's model as the checker does
          for (const view of model.machineModel().machines.values()) {
            if (openReasons(view).length) continue;
            known++;
            for (const file of view.modules) {
              const facts = model.files.get(file);
              if (!facts) continue;
              const text = fs.readFileSync(file, 'utf8');
              const tree = parser.parse(text);
              try {
                const taken = recorded(facts);
                for (const e of importElements(tree.rootNode as unknown as SyntaxNode)) {
                  const { row, column } = e.startPosition;
                  if (!taken.some((r) => within(r, row, column))) dropped.push(`${view.name}: ${path.relative(dir, file)}:${row + 1} ${e.text.slice(0, 80)}`);
                }
                // and what a reference names is among the machine's modules, read (a file the machine has by its
                // folder only, such as a home-manager module kept beside the machine's, is not followed)
                for (const ref of model.machineModel().byFolderOnly(file) ? [] : refsOf(facts)) {
                  if (!model.machineModel().machinesAt(file, ref.range.start).includes(view.name)) continue;
                  for (const f of filesNamed(ref, model.files) ?? []) if (!view.modules.has(f)) dropped.push(`${view.name}: ${path.relative(dir, file)}:${ref.range.start.line + 1} names ${path.relative(dir, f)}, not among its modules`);
                }
              } finally {
                tree.delete();
              }
            }
          }
        }
        assert.deepEqual([...new Set(dropped)], [], `imports of machines called known (${known}) that the model did not take up`);
      });
    }
  });
}

const MIC92 = path.resolve(REPO_ROOT, '..', 'shared', 'corpus', 'Mic92+dotfiles');
test("Mic92's eve and eva have authelia, from self.nixosModules.authelia (a folder, defined in the flake-parts flake set)", { skip: fs.existsSync(MIC92) ? false : `no corpus at ${MIC92}` }, async () => {
  const index = new WorkspaceAnalysis(MIC92, DEFAULT_SETTINGS, await NixParser.load());
  await index.scan();
  const report = machinesReport(index.clan(MIC92));
  for (const name of ['eve', 'eva']) {
    const m = report.machines.find((x) => x.name === name)!;
    assert.ok(m.generators.includes('authelia'), `${name}: ${m.generators.join(', ')}`);
    assert.deepEqual(m.chains.authelia.slice(-2), ['machines/' + name + '/modules/authelia.nix', 'nixosModules/authelia/default.nix']);
  }
});
