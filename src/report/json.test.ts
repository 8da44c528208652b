import { describe, expect, it } from 'vitest';
import type { Finding } from './finding.js';
import { formatJson, JSON_SCHEMA_VERSION, parseJsonEnvelope } from './json.js';

const finding: Finding = {
  checkId: 'shadowed-rule',
  messageId: 'shadowed',
  severity: 'medium',
  message: 'm',
  file: 'p.json',
  line: 3,
  column: 7,
  data: { value: 2n ** 64n - 1n },
};

describe('JSON envelope', () => {
  it('wraps findings in a versioned envelope that reads back', () => {
    const text = formatJson([finding]);
    const parsed = parseJsonEnvelope(text);
    expect(parsed.schemaVersion).toBe(JSON_SCHEMA_VERSION);
    expect(parsed.findings).toEqual([{ ...finding, data: { value: '18446744073709551615' } }]);
    expect(Object.keys(JSON.parse(text))).toEqual(['schemaVersion', 'findings']);
  });

  it('rejects an envelope from another schema version or with a bad severity', () => {
    expect(() => parseJsonEnvelope(JSON.stringify({ schemaVersion: 2, findings: [] }))).toThrow();
    expect(() =>
      parseJsonEnvelope(
        JSON.stringify({ schemaVersion: 1, findings: [{ ...finding, data: {}, severity: 'error' }] }),
      ),
    ).toThrow();
  });
});
