import { describe, expect, it } from 'vitest';
import { stripSpans } from './ast.js';
import { parseProfileText } from './parser.js';
import { printPolicy } from './print.js';

const fmt = (text: string) => {
  const r = parseProfileText(text, 't.sd');
  if (!r.ast) throw new Error(JSON.stringify(r.diagnostics));
  return printPolicy(r.ast);
};

describe('printPolicy', () => {
  it('prints one rule per line, canonical permission order, two-space indents', () => {
    const src = [
      '#include <tunables/global>',
      '@{D}=/srv "/data dir"',
      '/usr/bin/foo flags=(complain) { # the profile',
      '  wr /etc/foo, kwr /var/lock/foo,',
      '  user /tmp/** rwl,',
      '  /usr/bin/sh Pix -> sh_profile,',
      '  capability   setuid   setgid ,',
      '  owner { @{D}/** r, }',
      '  signal (receive) peer=unconfined,',
      '  "/with space" r,',
      '  ^hat { /tmp/h r, }',
      '}',
    ].join('\n');
    expect(fmt(src)).toBe(
      [
        'include <tunables/global>',
        '@{D} = /srv "/data dir"',
        '',
        '/usr/bin/foo flags=(complain) { # the profile',
        '  /etc/foo rw,',
        '  /var/lock/foo rwk,',
        '  owner /tmp/** rwl,',
        '  /usr/bin/sh Pix -> sh_profile,',
        '  capability setuid setgid,',
        '  owner {',
        '    @{D}/** r,',
        '  }',
        '  signal (receive) peer=unconfined,',
        '  "/with space" r,',
        '  ^hat {',
        '    /tmp/h r,',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  });

  it.each([
    'profile t {\n  l subset /a -> /b,\n  link /c -> /d,\n  file,\n  deny /x w,\n}\n',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: ${B} is AppArmor boolean syntax
    '${B} = true\nprofile t {\n  if ${B} {\n    /a r,\n  } else if not defined @{X} {\n    /b r,\n  } else {\n    /c r,\n  }\n}\n',
    'profile t {\n  mount options=(ro bind) /a/ -> /b/,\n  umount /mnt/,\n  pivot_root oldroot=/o/ /n/ -> c,\n}\n',
    'profile t {\n  dbus (send, receive) bus=session peer=(name=org.x label=u),\n  unix (connect) type=stream addr=@x,\n}\n',
    'profile t {\n  change_profile safe /bin/x -> y,\n  set rlimit as <= 1 GB,\n  network inet stream,\n  ptrace read,\n}\n',
    'profile t {\n  "/a\\"b" r,\n  /c\\ d r,\n  /{a,b}/c r,\n}\n',
  ])('round-trips %j', (src) => {
    const a = parseProfileText(src, 't.sd');
    const printed = fmt(src);
    const b = parseProfileText(printed, 't.sd');
    expect(stripSpans(b.ast)).toEqual(stripSpans(a.ast));
    expect(fmt(printed)).toBe(printed);
  });
});
