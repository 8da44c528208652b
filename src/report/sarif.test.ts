import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sarifValidator } from '../../test/helpers/sarif-schema.js';
import type { Finding } from './finding.js';
import {
  artifactUri,
  formatSarif,
  helpUri,
  type RuleInfo,
  sarifLevel,
  toolVersion,
  toSarif,
} from './sarif.js';

const validate = sarifValidator();

const rules: RuleInfo[] = [
  {
    id: 'not-fail-closed',
    description: 'The default action allows.',
    severity: 'high',
    remediation: 'Set defaultAction to SCMP_ACT_ERRNO.',
    messages: { allow: 'defaultAction {{action}} allows every syscall no rule names.' },
  },
  { id: 'rule-equals-default', description: 'Redundant rule.', severity: 'low' },
];

const findings: Finding[] = [
  {
    checkId: 'not-fail-closed',
    messageId: 'allow',
    severity: 'high',
    message: 'defaultAction SCMP_ACT_ALLOW allows every syscall no rule names.',
    file: 'profiles/my profile.json',
    line: 2,
    column: 20,
    endLine: 2,
    endColumn: 35,
    data: { action: 'SCMP_ACT_ALLOW', value: 18446744073709551615n },
  },
  {
    checkId: 'an-unlisted-check',
    severity: 'medium',
    message: 'from a check the caller did not list',
    file: '/abs/path/p.json',
    line: 1,
    column: 1,
  },
];

describe('toSarif', () => {
  it('produces a log the official SARIF 2.1.0 schema accepts', () => {
    const log = JSON.parse(formatSarif(findings, rules));
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the validator is not a rubber stamp: a result without a message is rejected', () => {
    const log = toSarif(findings, rules) as unknown as {
      runs: Array<{ results: Array<Record<string, unknown>> }>;
    };
    delete log.runs[0]?.results[0]?.message;
    expect(validate(log)).toBe(false);
  });

  it('names the tool and its version from package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const driver = toSarif([], rules).runs[0]?.tool.driver;
    expect(driver?.name).toBe('breakwater');
    expect(driver?.version).toBe(pkg.version);
    expect(toolVersion()).toBe(pkg.version);
  });

  it('describes every rule that ran, with a help link and default level', () => {
    const driver = toSarif([], rules).runs[0]?.tool.driver;
    expect(driver?.rules?.map((r) => [r.id, r.helpUri, r.defaultConfiguration?.level])).toEqual([
      ['not-fail-closed', 'https://breakwater.dev/checks/not-fail-closed', 'error'],
      ['rule-equals-default', 'https://breakwater.dev/checks/rule-equals-default', 'note'],
    ]);
    expect(driver?.rules?.[0]?.fullDescription?.text).toBe(
      'The default action allows. Set defaultAction to SCMP_ACT_ERRNO.',
    );
    expect(driver?.rules?.[0]?.messageStrings?.allow?.text).toContain('{{action}}');
  });

  it('points each result at its rule, file and region', () => {
    const run = toSarif(findings, rules).runs[0];
    const [first, second] = run?.results ?? [];
    expect(first?.ruleId).toBe('not-fail-closed');
    expect(run?.tool.driver.rules?.[first?.ruleIndex ?? -1]?.id).toBe('not-fail-closed');
    expect(first?.level).toBe('error');
    expect(first?.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe('profiles/my%20profile.json');
    expect(first?.locations?.[0]?.physicalLocation?.region).toEqual({
      startLine: 2,
      startColumn: 20,
      endLine: 2,
      endColumn: 35,
    });
    // bigint data must not crash serialization; it is written exactly, as a string.
    expect(first?.properties?.data).toEqual({ action: 'SCMP_ACT_ALLOW', value: '18446744073709551615' });
    // a check missing from `rules` still gets a descriptor instead of a dangling ruleIndex
    expect(run?.tool.driver.rules?.[second?.ruleIndex ?? -1]?.id).toBe('an-unlisted-check');
    expect(second?.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe('file:///abs/path/p.json');
  });

  it('maps severities to SARIF levels', () => {
    expect(
      ['critical', 'high', 'medium', 'low', 'info'].map((s) => sarifLevel(s as Finding['severity'])),
    ).toEqual(['error', 'error', 'warning', 'note', 'note']);
  });

  it('escapes ids and paths into valid URIs', () => {
    expect(helpUri('a b')).toBe('https://breakwater.dev/checks/a%20b');
    expect(artifactUri('dir\\sub/f#1.json')).toBe('dir/sub/f%231.json');
  });
});
