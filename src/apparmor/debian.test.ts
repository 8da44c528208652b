/**
 * Agreement with the real parser on every profile Debian ships (packages apparmor,
 * apparmor-profiles, apparmor-profiles-extra, listed with `dpkg -L`):
 * - verdict: checkProfile(...).valid === (apparmor_parser -Q -K -T -I /etc/apparmor.d FILE exits 0),
 *   for each profile and for each abstraction wrapped in a minimal profile;
 * - parse -> print -> parse gives the same AST, and printing is idempotent;
 * - the printed canonical form compiles (-S) to the same bytes as the original.
 * apparmor_parser runs two at a time (the suite has 2 cores) and once per file and mode.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTools } from '../../test/helpers/tools.js';
import { stripSpans } from './ast.js';
import { checkProfile } from './check.js';
import { parseProfileText } from './parser.js';
import { printPolicy } from './print.js';
import { compileWithParserAsync, mapLimit, validateWithParserAsync } from './validate.js';

const PACKAGES = ['apparmor', 'apparmor-profiles', 'apparmor-profiles-extra'];
const INCLUDE_DIRS = ['/etc/apparmor.d'];
const NOT_PROFILES =
  /\/(abstractions|tunables|abi|local|disable|force-complain|apparmor\.d\/cache)\/|\/README$/;

function packageFiles(): string[] {
  const r = spawnSync('dpkg', ['-L', ...PACKAGES], { encoding: 'utf8' });
  return (r.stdout ?? '')
    .split('\n')
    .filter((f) => /^(\/etc\/apparmor\.d\/|\/usr\/share\/apparmor\/extra-profiles\/)/.test(f))
    .filter((f) => existsSync(f) && statSync(f).isFile())
    .sort();
}

describeWithTools(
  'Debian AppArmor profiles: agreement with apparmor_parser',
  ['apparmor_parser', 'dpkg'],
  {},
  () => {
    let profiles: string[] = [];
    let abstractions: string[] = [];
    let tmp = '';

    beforeAll(() => {
      const files = packageFiles();
      profiles = files.filter((f) => !NOT_PROFILES.test(f));
      abstractions = files.filter((f) => f.includes('/abstractions/') && !f.endsWith('/README'));
      tmp = mkdtempSync(join(tmpdir(), 'bw-aa-'));
    });
    afterAll(() => {
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    });

    it('finds the packaged profiles', () => {
      if (process.env.CI === 'true' || profiles.length) expect(profiles.length).toBeGreaterThan(20);
    });

    it('checkProfile agrees with apparmor_parser on every profile', async () => {
      const results = await mapLimit(profiles, 2, async (f) => {
        const real = await validateWithParserAsync(f, { includeDirs: INCLUDE_DIRS });
        const ours = checkProfile(readFileSync(f, 'utf8'), f, { includeDirs: INCLUDE_DIRS });
        return { f, real: real.ok, ours: ours.valid, why: real.ok ? ours.diagnostics : real.stderr };
      });
      const disagree = results.filter((r) => r.real !== r.ours);
      const valid = results.filter((r) => r.real).length;
      console.log(
        `[apparmor agreement] profiles: ${results.length}, valid for apparmor_parser: ${valid}, ` +
          `agreements: ${results.length - disagree.length}`,
      );
      expect(disagree).toEqual([]);
    }, 120_000);

    it('checkProfile agrees with apparmor_parser on every abstraction, wrapped in a profile', async () => {
      const results = await mapLimit(abstractions, 2, async (f) => {
        const rel = f.replace('/etc/apparmor.d/', '');
        const text = `include <tunables/global>\nprofile wrapped /usr/bin/wrapped {\n  include <${rel}>\n}\n`;
        const file = join(tmp, `wrap-${basename(f)}`);
        writeFileSync(file, text);
        const real = await validateWithParserAsync(file, { includeDirs: INCLUDE_DIRS });
        const ours = checkProfile(text, file, { includeDirs: INCLUDE_DIRS });
        return { f, real: real.ok, ours: ours.valid };
      });
      const disagree = results.filter((r) => r.real !== r.ours);
      console.log(
        `[apparmor agreement] abstractions: ${results.length}, agreements: ${results.length - disagree.length}`,
      );
      expect(disagree).toEqual([]);
    }, 120_000);

    it('parse -> print -> parse is the identity on every packaged file', () => {
      let n = 0;
      for (const f of [...profiles, ...abstractions]) {
        const context = f.includes('/abstractions/') || f.includes('/apache2.d/') ? 'rules' : 'top';
        const a = parseProfileText(readFileSync(f, 'utf8'), f, { context });
        expect(a.ast, f).toBeDefined();
        if (!a.ast) continue;
        const printed = printPolicy(a.ast);
        const b = parseProfileText(printed, f, { context });
        expect(
          b.diagnostics.filter((d) => d.severity === 'error'),
          f,
        ).toEqual([]);
        expect(stripSpans(b.ast), f).toEqual(stripSpans(a.ast));
        expect(b.ast && printPolicy(b.ast), f).toBe(printed);
        n++;
      }
      console.log(`[apparmor round trip] ${n} files`);
    });

    it('the canonical form compiles to the same binary policy as the original', async () => {
      const results = await mapLimit(profiles, 2, async (f) => {
        const orig = await compileWithParserAsync(f, { includeDirs: INCLUDE_DIRS });
        if (!orig.ok) return undefined; // invalid originals have no binary to compare
        const parsed = parseProfileText(readFileSync(f, 'utf8'), f);
        if (!parsed.ast) return { f, same: false, why: 'parse failed' };
        const out = join(tmp, basename(f));
        writeFileSync(out, printPolicy(parsed.ast));
        const printed = await compileWithParserAsync(out, { includeDirs: INCLUDE_DIRS });
        return { f, same: printed.ok && orig.stdout.equals(printed.stdout), why: printed.stderr };
      });
      const compared = results.filter((r) => r !== undefined);
      const same = compared.filter((r) => r.same).length;
      console.log(`[apparmor binary equality] ${same} of ${compared.length} profiles byte-identical`);
      expect(compared.length).toBeGreaterThanOrEqual(20);
      expect(compared.filter((r) => !r.same)).toEqual([]);
    }, 120_000);
  },
);
