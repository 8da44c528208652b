import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';

const require = createRequire(import.meta.url);

/**
 * The official SARIF 2.1.0 schema as shipped in @microsoft/jest-sarif. It is a draft-04 schema, which
 * Ajv 8 does not load natively; the only draft-04 feature it uses is `id`, so renaming that to `$id`
 * (and dropping the draft-04 `$schema`) gives an equivalent schema Ajv 8 validates exactly.
 */
export function sarifValidator() {
  const schema = JSON.parse(
    readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
  ) as Record<string, unknown>;
  const { $schema: _s, id, ...rest } = schema;
  // unicodeRegExp off: the schema's `language` pattern has a stray `]`, valid only in non-unicode mode
  // (which is how JSON Schema draft-04 validators compile patterns).
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  // Real checks instead of no-ops, so a malformed helpUri or artifact URI fails the test.
  ajv.addFormat('uri', (s: string) => URL.canParse(s));
  ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'file:///base/') && !/[\s\\]/.test(s));
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  return ajv.compile({ ...rest, $id: id as string });
}
