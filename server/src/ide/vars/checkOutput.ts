// Parses what `clan vars check [MACHINE...]` prints (its log goes to stderr) into findings:
//   Check results for machine '<m>':
//   Missing secret vars: / Missing public vars: / Unfixed secret vars:      followed by "  - <gen>/<file>"
//   Invalid generators (outdated invalidation hash):                        followed by "  - <gen>"
//   All vars are present and valid.
// plus the per-item lines clan logs while checking ("Secret var '<f>' for service '<g>' in machine
// <m> is missing.", ...). Log prefixes (`[peer1]`, `INFO:`), colours and CRs are tolerated.

export type CheckFindingKind = 'missing-secret' | 'missing-public' | 'unfixed-secret' | 'outdated-validation' | 'generator-not-found';

export interface CheckFinding {
  kind: CheckFindingKind;
  machine: string | null;
  generator: string;
  /** null for generator-level findings. */
  file: string | null;
  detail?: string;
}

export interface CheckReport {
  /** Machines with a "Check results" header, in order. */
  machines: string[];
  /** Machines reported as "All vars are present and valid." */
  valid: string[];
  findings: CheckFinding[];
}

const SECTIONS: [RegExp, CheckFindingKind][] = [
  [/^Missing secret vars:$/, 'missing-secret'],
  [/^Missing public vars:$/, 'missing-public'],
  [/^Unfixed secret vars:$/, 'unfixed-secret'],
  [/^Invalid generators \(outdated (?:in)?validation hash\):$/, 'outdated-validation'],
];

const ITEM_LINES: [RegExp, (m: RegExpMatchArray) => CheckFinding][] = [
  [/^Secret var '(.+)' for service '([^']+)' in machine (\S+) is missing\.$/, (m) => ({ kind: 'missing-secret', machine: m[3], generator: m[2], file: m[1] })],
  [/^Public var '(.+)' for service '([^']+)' in machine (\S+) is missing\.$/, (m) => ({ kind: 'missing-public', machine: m[3], generator: m[2], file: m[1] })],
  [
    /^Secret var '(.+)' for service '([^']+)' in machine (\S+) needs update: ?(.*)$/,
    (m) => ({ kind: 'unfixed-secret', machine: m[3], generator: m[2], file: m[1], detail: m[4] || undefined }),
  ],
  [/^Generator '([^']+)' in machine (\S+) has outdated (?:in)?validation hash\.$/, (m) => ({ kind: 'outdated-validation', machine: m[2], generator: m[1], file: null })],
  [/^Generator '([^']+)' not found in machine (\S+)$/, (m) => ({ kind: 'generator-not-found', machine: m[2], generator: m[1], file: null })],
  [
    /^Secret var '([^'/]+)\/([^']+)' is marked for deployment to machine '([^']+)', but the machine does not have access to it\.$/,
    (m) => ({ kind: 'unfixed-secret', machine: m[3], generator: m[1], file: m[2], detail: 'the machine does not have access to it' }),
  ],
];

const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

/** A line without colours, trailing CR, log-level word and bracketed prefixes. */
export function cleanLine(raw: string): string {
  let s = raw.replace(ANSI, '').replace(/\r$/, '').trimEnd();
  for (let i = 0; i < 4; i++) {
    const before = s;
    s = s.replace(/^\s*\[[^\]]*\]\s?/, '').replace(/^\s*(?:INFO|WARNING|ERROR|DEBUG)(?::\s*|\s+-\s+|\s+)/, '');
    if (s === before) break;
  }
  return s;
}

function splitVarId(id: string): { generator: string; file: string } | null {
  const i = id.indexOf('/');
  if (i <= 0 || i === id.length - 1) return null;
  return { generator: id.slice(0, i), file: id.slice(i + 1) };
}

export function parseCheckOutput(output: string): CheckReport {
  const report: CheckReport = { machines: [], valid: [], findings: [] };
  const seen = new Set<string>();
  const add = (f: CheckFinding) => {
    const key = `${f.kind}\0${f.machine}\0${f.generator}\0${f.file}`;
    if (seen.has(key)) {
      if (f.detail) {
        const known = report.findings.find((x) => `${x.kind}\0${x.machine}\0${x.generator}\0${x.file}` === key);
        if (known && !known.detail) known.detail = f.detail;
      }
      return;
    }
    seen.add(key);
    report.findings.push(f);
  };
  let machine: string | null = null;
  let section: CheckFindingKind | null = null;
  for (const raw of output.split('\n')) {
    const line = cleanLine(raw);
    if (line.trim() === '') continue;
    const header = /^Check results for machine '([^']+)':\s*$/.exec(line.trim());
    if (header) {
      machine = header[1];
      section = null;
      if (!report.machines.includes(machine)) report.machines.push(machine);
      continue;
    }
    if (line.trim() === 'All vars are present and valid.') {
      if (machine && !report.valid.includes(machine)) report.valid.push(machine);
      section = null;
      continue;
    }
    const sec = SECTIONS.find(([re]) => re.test(line.trim()));
    if (sec) {
      section = sec[1];
      continue;
    }
    const item = /^\s*-\s+(.+)$/.exec(line);
    if (item && section) {
      const id = item[1].trim();
      if (section === 'outdated-validation') add({ kind: section, machine, generator: id, file: null });
      else {
        const v = splitVarId(id);
        if (v) add({ kind: section, machine, generator: v.generator, file: v.file });
      }
      continue;
    }
    section = null;
    for (const [re, make] of ITEM_LINES) {
      const m = re.exec(line.trim());
      if (m) {
        add(make(m));
        break;
      }
    }
  }
  return report;
}
