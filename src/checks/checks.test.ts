/**
 * Every audit check against its fixtures: real input files (Kubernetes YAML, compose, docker run
 * lines, Dockerfiles...) annotated where a finding must point — `# expect: <check-id>` at the end
 * of the line, `# expect-next: <check-id>` on the line before, or a sibling `<file>.expect.json`
 * where a comment is impossible. Each fixture is audited with only its folder's check.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFolders, describeCheckRegistry } from '../../test/helpers/check-registry.js';
import { auditRuleInfo, auditText } from '../audit/index.js';
import { TECHNIQUES } from '../catalog/index.js';
import { CHECKS } from './registry.js';
import type { AuditCheck } from './types.js';

const rulesDir = import.meta.dirname;
const root = join(rulesDir, '..', '..');

function fixtures(id: string): string[] {
  const dir = join(rulesDir, id, 'fixtures');
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => !f.endsWith('.expect.json'))
        .sort()
    : [];
}

/** Expected finding lines from the annotations (or the sibling .expect.json). */
function expected(path: string, text: string, id: string): number[] {
  if (existsSync(`${path}.expect.json`)) {
    const spec = JSON.parse(readFileSync(`${path}.expect.json`, 'utf8')) as {
      expect: Array<{ checkId: string; line: number }>;
    };
    return spec.expect.filter((e) => e.checkId === id).map((e) => e.line);
  }
  const lines: number[] = [];
  text.split('\n').forEach((l, i) => {
    const m = /#\s*expect(-next)?:\s*([a-z0-9-]+)/.exec(l);
    if (m && m[2] === id) lines.push(m[1] ? i + 2 : i + 1);
  });
  return lines;
}

describe.each(checkFolders(rulesDir))('audit check %s: fixtures', (id) => {
  it.each(fixtures(id))('%s', (name) => {
    const path = join(rulesDir, id, 'fixtures', name);
    const text = readFileSync(path, 'utf8');
    const rel = path.slice(root.length + 1);
    const r = auditText(text, rel, { checks: [id] });
    expect(r.kind, `${name} is not recognised`).toBeDefined();
    expect(
      r.diagnostics.filter((d) => d.severity === 'error'),
      JSON.stringify(r.diagnostics),
    ).toEqual([]);
    const want = expected(path, text, id).sort((a, b) => a - b);
    expect(
      r.findings.map((f) => f.line).sort((a, b) => a - b),
      r.findings.map((f) => f.message).join('\n'),
    ).toEqual(want);
    expect(want.length > 0, 'bad-* fixtures fire, ok-* stay silent').toBe(name.startsWith('bad-'));
    for (const f of r.findings) {
      expect(f.file).toBe(rel);
      expect(f.message).not.toMatch(/\{\{\w+\}\}/);
      expect(f.data?.fix).toBe((CHECKS[id as keyof typeof CHECKS] as AuditCheck).meta.remediation);
    }
  });
});

describeCheckRegistry('audit', rulesDir, CHECKS, auditRuleInfo, (id) =>
  fixtures(id).map((name) => {
    const path = join(rulesDir, id, 'fixtures', name);
    return [name, expected(path, readFileSync(path, 'utf8'), id).length > 0];
  }),
);

describe('audit checks and the catalog', () => {
  const ids = new Set(TECHNIQUES.map((t) => t.id));
  it.each(Object.entries(CHECKS))('%s names only catalogued techniques', (_id, check) => {
    for (const t of (check as AuditCheck).meta.techniques) expect(ids.has(t), t).toBe(true);
  });

  it('findings carry the techniques and their CVEs', () => {
    const r = auditText(
      'docker run --privileged -v /var/run/docker.sock:/var/run/docker.sock alpine\n',
      'run.sh',
    );
    const sock = r.findings.find((f) => f.checkId === 'runtime-socket-mount');
    expect(sock?.data?.techniques).toContain('docker-socket-mounted');
    expect(sock?.data?.cves).toContain('CVE-2024-41110');
  });
});
