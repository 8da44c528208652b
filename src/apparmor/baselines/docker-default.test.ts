import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeWithTools } from '../../../test/helpers/tools.js';
import type { BlockItem, TopItem } from '../ast.js';
import { parseProfileText } from '../parser.js';
import { printRule } from '../print.js';
import { validateWithParser } from '../validate.js';
import { DOCKER_DEFAULT_PROFILE, dockerDefaultProfile } from './docker-default.js';

const here = dirname(fileURLToPath(import.meta.url));
const TEMPLATE = resolve(here, '../../../../shared/reference/docker-apparmor-template.go.txt');

type Value = string | string[];
type Data = Record<string, Value>;

/**
 * Just enough of Go text/template for moby's apparmor template: `{{if .F}}`, `{{range $v := .F}}`,
 * `{{end}}`, `{{.F}}`, `{{$v}}`, with `{{-`/`-}}` whitespace trimming. Anything else throws, so a
 * template change that needs more is noticed.
 */
function renderGoTemplate(src: string, data: Data): string {
  type Tok = { text: string } | { action: string };
  const toks: Tok[] = [];
  const re = /\{\{(-\s)?([\s\S]*?)(\s-)?\}\}/g;
  let last = 0;
  let trimNext = false;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    let text = src.slice(last, m.index);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (m[1]) text = text.replace(/\s+$/, '');
    toks.push({ text });
    toks.push({ action: (m[2] ?? '').trim() });
    trimNext = !!m[3];
    last = m.index + m[0].length;
  }
  toks.push({ text: trimNext ? src.slice(last).replace(/^\s+/, '') : src.slice(last) });

  let i = 0;
  const field = (name: string, vars: Record<string, string>): Value => {
    if (name.startsWith('$')) {
      const v = vars[name];
      if (v === undefined) throw new Error(`template: undefined variable ${name}`);
      return v;
    }
    const f = /^\.(\w+)$/.exec(name);
    if (!f) throw new Error(`template: unsupported expression ${name}`);
    return data[f[1] as string] ?? '';
  };
  const truthy = (v: Value) => (Array.isArray(v) ? v.length > 0 : v !== '');
  const block = (vars: Record<string, string>, run: boolean): string => {
    let out = '';
    while (i < toks.length) {
      const t = toks[i++] as Tok;
      if ('text' in t) {
        if (run) out += t.text;
        continue;
      }
      const a = t.action;
      if (a === 'end') return out;
      let m = /^if\s+(\S+)$/.exec(a);
      if (m) {
        const body = block(vars, run && truthy(field(m[1] as string, vars)));
        out += body;
        continue;
      }
      m = /^range\s+(\$\w+)\s*:=\s*(\S+)$/.exec(a);
      if (m) {
        const list = run ? field(m[2] as string, vars) : [];
        const items = Array.isArray(list) ? list : [list];
        const start = i;
        if (!items.length) block(vars, false);
        for (const v of items) {
          i = start;
          out += block({ ...vars, [m[1] as string]: v }, run);
        }
        continue;
      }
      if (/^[.$]/.test(a)) {
        if (run) {
          const v = field(a, vars);
          if (Array.isArray(v)) throw new Error(`template: printing a list ${a}`);
          out += v;
        }
        continue;
      }
      throw new Error(`template: unsupported action {{${a}}}`);
    }
    return out;
  };
  const out = block({}, true);
  if (i < toks.length) throw new Error('template: unmatched {{end}}');
  return out;
}

/** The values dockerd fills in on a Debian host without a daemon profile (see docker-default.ts). */
const DOCKERD_DEFAULTS: Data = {
  Name: 'docker-default',
  Abi: 'abi/3.0',
  Imports: ['#include <tunables/global>'],
  InnerImports: ['#include <abstractions/base>'],
  DaemonProfile: 'unconfined',
};

/** Every non-comment item, flattened, printed canonically (profile headers included), sorted. */
function printedItems(text: string, file: string): string[] {
  const r = parseProfileText(text, file);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const out: string[] = [];
  const walk = (items: (TopItem | BlockItem)[]) => {
    for (const it of items) {
      switch (it.kind) {
        case 'comment':
          break;
        case 'profile':
          out.push(`profile ${it.name} flags=(${(it.flags ?? []).join(',')})`);
          walk(it.items);
          break;
        case 'include':
          out.push(`include <${it.path}>`);
          break;
        case 'abi':
          out.push(`abi <${it.path}>`);
          break;
        case 'variable':
        case 'boolean':
        case 'alias':
        case 'block':
        case 'if':
          out.push(JSON.stringify(it.kind));
          break;
        default:
          out.push(printRule(it));
      }
    }
  };
  walk(r.ast?.items ?? []);
  return out.sort();
}

describe('docker-default baseline', () => {
  it('is accepted by our parser', () => {
    const r = parseProfileText(DOCKER_DEFAULT_PROFILE, 'docker-default');
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(dockerDefaultProfile()).toBe(DOCKER_DEFAULT_PROFILE);
  });

  it('renders the small Go template subset', () => {
    expect(renderGoTemplate('a{{if .X}}b{{end}}c', { X: '' })).toBe('ac');
    expect(renderGoTemplate('a\n{{- range $v := .L}}\n[{{$v}}]{{end}}', { L: ['1', '2'] })).toBe(
      'a\n[1]\n[2]',
    );
    expect(() => renderGoTemplate('{{template "x"}}', {})).toThrow(/unsupported/);
  });
});

const sharedReason = existsSync(TEMPLATE) ? undefined : `${TEMPLATE} is absent`;
if (sharedReason && process.env.CI !== 'true')
  console.warn(`[skip] docker-default vs moby template: ${sharedReason}`);

describe.skipIf(!!sharedReason && process.env.CI !== 'true')('docker-default vs moby template', () => {
  it('has the same rules as the template rendered for dockerd defaults', () => {
    if (sharedReason) throw new Error(`docker-default vs moby template: ${sharedReason}`);
    const go = readFileSync(TEMPLATE, 'utf8');
    const m = /const baseTemplate = `([\s\S]*?)`/.exec(go);
    expect(m, 'baseTemplate not found in the reference').toBeTruthy();
    const rendered = renderGoTemplate(m?.[1] ?? '', DOCKERD_DEFAULTS);
    expect(printedItems(DOCKER_DEFAULT_PROFILE, 'ours')).toEqual(printedItems(rendered, 'moby'));
  });
});

describeWithTools('docker-default baseline (apparmor_parser)', ['apparmor_parser'], {}, () => {
  it('is accepted with -I /etc/apparmor.d', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bw-docker-default-'));
    try {
      const f = join(dir, 'docker-default');
      writeFileSync(f, DOCKER_DEFAULT_PROFILE);
      const r = validateWithParser(f, { includeDirs: ['/etc/apparmor.d'] });
      expect(r.ok, r.stderr).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
