/**
 * Hardening is judged by the audit: every audit fixture that can be patched (Kubernetes, compose,
 * docker run) is hardened and audited again, and nothing at or above `high` may remain. The patch
 * must edit the user's document, not regenerate it: comments and key order survive.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { describeWithTools } from '../../test/helpers/tools.js';
import { validateWithParser } from '../apparmor/validate.js';
import { auditText } from '../audit/index.js';
import { meetsThreshold } from '../report/finding.js';
import { parseSpoProfiles } from '../seccomp/profile/index.js';
import { hardenText } from './index.js';

const root = join(import.meta.dirname, '..', '..');
const checksDir = join(root, 'src/checks');

const fixtures = readdirSync(checksDir)
  .filter((d) => existsSync(join(checksDir, d, 'fixtures')))
  .flatMap((d) =>
    readdirSync(join(checksDir, d, 'fixtures'))
      .filter((f) => !f.endsWith('.expect.json'))
      .map((f) => join('src/checks', d, 'fixtures', f)),
  )
  .filter((p) => {
    const kind = auditText(readFileSync(join(root, p), 'utf8'), p).kind;
    return kind === 'kubernetes' || kind === 'compose' || kind === 'docker-run';
  });

describe('hardened output passes the audit (nothing at or above high)', () => {
  it('covers the Kubernetes, compose and docker run fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(40);
  });

  it.each(fixtures)('%s', (p) => {
    const text = readFileSync(join(root, p), 'utf8');
    const h = hardenText(text, p, 'profiles');
    expect(h).toBeDefined();
    const again = auditText(h?.patched ?? '', p);
    expect(again.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const high = again.findings.filter((f) => meetsThreshold(f.severity, 'high'));
    expect(high.map((f) => `${f.checkId}: ${f.message}`)).toEqual([]);
    // every workload got its profiles
    expect([...(h?.files.keys() ?? [])].some((f) => f.endsWith('.json'))).toBe(true);
  });
});

describe('patching edits the document', () => {
  const text = readFileSync(join(root, 'test/corpus/harden/commented.yaml'), 'utf8');
  const h = hardenText(text, 'commented.yaml', 'profiles');
  const out = h?.patched ?? '';

  it('keeps every comment the user wrote on nodes it keeps', () => {
    for (const c of [
      '# Team-owned manifest: keep this header',
      '# the public site',
      '# two for HA',
      '# TODO remove',
      '# the main container',
      '# http',
      '# nginx starts as root',
      '# a second document',
      '# untouched',
    ])
      expect(out, c).toContain(c);
  });

  it('keeps key order and the untouched document byte for byte', () => {
    const keys = (s: string) => [...new Set([...s.matchAll(/^ *([A-Za-z]+):/gm)].map((m) => m[1] as string))];
    const after = keys(out);
    // the replaced hostPath is the only key that goes; every other key keeps its relative order
    const before = keys(text).filter((k) => k !== 'hostPath' && k !== 'path');
    expect(after.filter((k) => before.includes(k))).toEqual(before);
    expect(out.slice(out.indexOf('# a second document'))).toBe(
      text.slice(text.indexOf('# a second document')),
    );
  });

  it('drops the escape capability, keeps the needed one, and replaces the socket mount', () => {
    const doc = parseDocument(out.split('\n---\n')[0] as string);
    const c = doc.getIn(['spec', 'template', 'spec', 'containers', 0, 'securityContext']) as {
      toJSON(): unknown;
    };
    expect(c.toJSON()).toMatchObject({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'Localhost' },
      appArmorProfile: { type: 'Localhost' },
    });
    const add = (
      doc.getIn(['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'capabilities', 'add']) as {
        toJSON(): string[];
      }
    ).toJSON();
    expect(add).toContain('NET_BIND_SERVICE');
    expect(add).not.toContain('SYS_ADMIN');
    expect(doc.getIn(['spec', 'template', 'spec', 'hostNetwork'])).toBe(false);
    expect(out).toMatch(/emptyDir: \{\} # breakwater: replaced hostPath \/var\/run\/docker.sock/);
  });

  it('emits Security Profiles Operator objects that parse back', () => {
    const spo = [...(h?.files ?? [])].find(([p]) => p.startsWith('spo/'));
    expect(spo).toBeDefined();
    const r = parseSpoProfiles(spo?.[1] ?? '', spo?.[0] ?? '');
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.profiles[0]?.defaultAction).toBe('SCMP_ACT_ERRNO');
    expect(spo?.[1]).toContain('kind: ProfileBinding');
    expect(spo?.[1]).toContain('image: "nginx:1.25"');
  });
});

describeWithTools('hardened AppArmor profiles load', ['apparmor_parser'], {}, () => {
  it('apparmor_parser accepts the per-workload profile', () => {
    const h = hardenText(
      readFileSync(join(root, 'test/corpus/harden/commented.yaml'), 'utf8'),
      'c.yaml',
      'profiles',
    );
    const [path, text] = [...(h?.files ?? [])].find(([p]) => p.startsWith('profiles/apparmor/')) ?? ['', ''];
    const dir = mkdtempSync(join(tmpdir(), 'bw-harden-'));
    const file = join(dir, path.split('/').pop() as string);
    writeFileSync(file, text);
    const r = validateWithParser(file, { includeDirs: ['/etc/apparmor.d'] });
    expect(r.ok, r.stderr).toBe(true);
  });
});
