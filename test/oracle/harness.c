/*
 * harness: the seccomp differential oracle's native half.
 *
 * Build: gcc -O2 -Wall -o harness harness.c      (no libseccomp needed)
 *
 *   harness dump PID
 *       Read every seccomp filter installed on PID (ptrace PTRACE_SECCOMP_GET_FILTER) and print
 *       {"filters":[[[code,jt,jf,k],...],...]} with filters in kernel index order (0 = newest).
 *
 *   harness eval FILTERS.json
 *       Read filters (same JSON shape), then one query per stdin line:
 *           ARCH NR A0 A1 A2 A3 A4 A5        (hex 0x.. or decimal, unsigned 64-bit; missing args = 0)
 *       and print one JSON line per query:
 *           {"bpf":{"ret":"0x7fff0000","action":"SCMP_ACT_ALLOW","data":0},"kernel":null|{...}}
 *       "bpf" is this file's own classic-BPF interpretation of the filters, combined as
 *       kernel/seccomp.c:seccomp_run_filters() does. "kernel" (x86_64 queries on an x86_64 host
 *       only) is what the running kernel decided, observed with ptrace without ever letting the
 *       syscall under test execute:
 *           {"outcome":"allow"}                  profile allowed (or LOGged) it
 *           {"outcome":"allow","bypass":true}    the kernel never asks seccomp about this number
 *                                                (x86_64 uretprobe/uprobe on Linux >= 6.1x)
 *           {"outcome":"errno","errno":N}        refused with -N (ERRNO, or ENOSYS from USER_NOTIF
 *                                                without a listener)
 *           {"outcome":"trap","data":N}          SIGSYS delivered, si_errno = N
 *           {"outcome":"kill"}                   child killed by SIGSYS (KILL_THREAD/KILL_PROCESS)
 *           {"outcome":"trace","data":N}         profile returned TRACE with event message N
 *           {"outcome":"timeout"}                child hung (killed after 5 s)
 *           {"outcome":"error","detail":"..."}   the kernel could not be asked (e.g. it rejected
 *                                                one of the filters, or an older filter of the
 *                                                query refuses the seccomp() call that installs a
 *                                                newer one)
 *
 * Nothing but those JSON lines goes to stdout; diagnostics go to stderr.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

/* Fallbacks for older headers. */
#ifndef SECCOMP_RET_KILL_PROCESS
#define SECCOMP_RET_KILL_PROCESS 0x80000000U
#endif
#ifndef SECCOMP_RET_KILL_THREAD
#define SECCOMP_RET_KILL_THREAD 0x00000000U
#endif
#ifndef SECCOMP_RET_USER_NOTIF
#define SECCOMP_RET_USER_NOTIF 0x7fc00000U
#endif
#ifndef SECCOMP_RET_LOG
#define SECCOMP_RET_LOG 0x7ffc0000U
#endif
#ifndef SECCOMP_RET_ACTION_FULL
#define SECCOMP_RET_ACTION_FULL 0xffff0000U
#endif
#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1 /* si_code of a seccomp SIGSYS */
#endif
#ifndef PTRACE_EVENT_STOP
#define PTRACE_EVENT_STOP 128
#endif

#define SECCOMP_DATA_SIZE 64 /* sizeof(struct seccomp_data) */
#define MAX_ERRNO 4095
#define QUERY_TIMEOUT_SEC 5

/* ------------------------------------------------------------------------------------------ */
/* Filters                                                                                    */

typedef struct {
  struct sock_filter *insns;
  unsigned len;
} filter_t;

static filter_t *g_filters; /* kernel index order: 0 = newest */
static unsigned g_nfilters;

static void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("harness: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(2);
}

static void print_filters_json(FILE *out, const filter_t *f, unsigned n) {
  fputs("{\"filters\":[", out);
  for (unsigned i = 0; i < n; i++) {
    fputs(i ? ",[" : "[", out);
    for (unsigned j = 0; j < f[i].len; j++) {
      const struct sock_filter *s = &f[i].insns[j];
      fprintf(out, "%s[%u,%u,%u,%u]", j ? "," : "", s->code, s->jt, s->jf, s->k);
    }
    fputc(']', out);
  }
  fputs("]}\n", out);
}

/* --- A tiny parser for exactly {"filters":[[[code,jt,jf,k],...],...]} ---------------------- */

static const char *jp; /* cursor */

static void jws(void) {
  while (*jp == ' ' || *jp == '\t' || *jp == '\n' || *jp == '\r') jp++;
}
static void jexpect(char c) {
  jws();
  if (*jp != c) die("filters file: expected '%c' near \"%.20s\"", c, jp);
  jp++;
}
/* Consumes c if it is next; returns whether it was. */
static int jaccept(char c) {
  jws();
  if (*jp != c) return 0;
  jp++;
  return 1;
}
static uint64_t juint(uint64_t max) {
  jws();
  if (!isdigit((unsigned char)*jp)) die("filters file: expected an unsigned integer near \"%.20s\"", jp);
  char *end;
  errno = 0;
  unsigned long long v = strtoull(jp, &end, 10);
  if (errno || v > max) die("filters file: number out of range near \"%.20s\"", jp);
  jp = end;
  return v;
}

static void parse_filters(const char *text) {
  unsigned cap = 0;
  jp = text;
  jexpect('{');
  jexpect('"');
  if (strncmp(jp, "filters\"", 8) != 0) die("filters file: expected key \"filters\"");
  jp += 8;
  jexpect(':');
  jexpect('[');
  if (!jaccept(']')) {
    do {
      filter_t f = {NULL, 0};
      unsigned icap = 0;
      jexpect('[');
      if (!jaccept(']')) {
        do {
          struct sock_filter s;
          jexpect('[');
          s.code = (uint16_t)juint(0xffff);
          jexpect(',');
          s.jt = (uint8_t)juint(0xff);
          jexpect(',');
          s.jf = (uint8_t)juint(0xff);
          jexpect(',');
          s.k = (uint32_t)juint(0xffffffffu);
          jexpect(']');
          if (f.len == icap) {
            icap = icap ? icap * 2 : 64;
            f.insns = realloc(f.insns, icap * sizeof *f.insns);
            if (!f.insns) die("out of memory");
          }
          f.insns[f.len++] = s;
        } while (jaccept(','));
        jexpect(']');
      }
      if (g_nfilters == cap) {
        cap = cap ? cap * 2 : 8;
        g_filters = realloc(g_filters, cap * sizeof *g_filters);
        if (!g_filters) die("out of memory");
      }
      g_filters[g_nfilters++] = f;
    } while (jaccept(','));
    jexpect(']');
  }
  jexpect('}');
  jws();
  if (*jp) die("filters file: trailing garbage near \"%.20s\"", jp);
}

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) die("cannot open %s: %s", path, strerror(errno));
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap);
  for (;;) {
    if (!buf) die("out of memory");
    size_t n = fread(buf + len, 1, cap - len - 1, f);
    len += n;
    if (n == 0) break;
    if (len + 1 == cap) buf = realloc(buf, cap *= 2);
  }
  if (ferror(f)) die("cannot read %s", path);
  fclose(f);
  buf[len] = 0;
  return buf;
}

/*
 * Mirror of the kernel's install-time checks (bpf_check_classic + seccomp_check_filter), as
 * warnings only: a filter failing them would be rejected by seccomp(), so the "kernel" column
 * reports an install error while "bpf" still shows what the instructions compute.
 */
static void validate_filter(unsigned idx, const filter_t *f) {
  if (f->len == 0 || f->len > BPF_MAXINSNS) {
    fprintf(stderr, "harness: warning: filter %u has %u instructions (kernel accepts 1..%d)\n", idx, f->len,
            BPF_MAXINSNS);
    return;
  }
  for (unsigned pc = 0; pc < f->len; pc++) {
    const struct sock_filter *s = &f->insns[pc];
    const char *bad = NULL;
    switch (s->code) {
    case BPF_LD | BPF_W | BPF_ABS:
      if (s->k >= SECCOMP_DATA_SIZE || (s->k & 3)) bad = "unaligned or out-of-range load";
      break;
    case BPF_LD | BPF_MEM: case BPF_LDX | BPF_MEM: case BPF_ST: case BPF_STX:
      if (s->k >= BPF_MEMWORDS) bad = "scratch memory index out of range";
      break;
    case BPF_ALU | BPF_DIV | BPF_K:
      if (s->k == 0) bad = "division by constant zero";
      break;
    case BPF_ALU | BPF_LSH | BPF_K: case BPF_ALU | BPF_RSH | BPF_K:
      if (s->k >= 32) bad = "shift by >= 32";
      break;
    case BPF_JMP | BPF_JA:
      if (s->k >= f->len - pc - 1) bad = "jump out of range";
      break;
    case BPF_JMP | BPF_JEQ | BPF_K: case BPF_JMP | BPF_JEQ | BPF_X:
    case BPF_JMP | BPF_JGE | BPF_K: case BPF_JMP | BPF_JGE | BPF_X:
    case BPF_JMP | BPF_JGT | BPF_K: case BPF_JMP | BPF_JGT | BPF_X:
    case BPF_JMP | BPF_JSET | BPF_K: case BPF_JMP | BPF_JSET | BPF_X:
      if (pc + 1 + s->jt >= f->len || pc + 1 + s->jf >= f->len) bad = "jump out of range";
      break;
    case BPF_LD | BPF_W | BPF_LEN: case BPF_LDX | BPF_W | BPF_LEN:
    case BPF_RET | BPF_K: case BPF_RET | BPF_A:
    case BPF_ALU | BPF_ADD | BPF_K: case BPF_ALU | BPF_ADD | BPF_X:
    case BPF_ALU | BPF_SUB | BPF_K: case BPF_ALU | BPF_SUB | BPF_X:
    case BPF_ALU | BPF_MUL | BPF_K: case BPF_ALU | BPF_MUL | BPF_X:
    case BPF_ALU | BPF_DIV | BPF_X:
    case BPF_ALU | BPF_AND | BPF_K: case BPF_ALU | BPF_AND | BPF_X:
    case BPF_ALU | BPF_OR | BPF_K: case BPF_ALU | BPF_OR | BPF_X:
    case BPF_ALU | BPF_XOR | BPF_K: case BPF_ALU | BPF_XOR | BPF_X:
    case BPF_ALU | BPF_LSH | BPF_X: case BPF_ALU | BPF_RSH | BPF_X:
    case BPF_ALU | BPF_NEG:
    case BPF_LD | BPF_IMM: case BPF_LDX | BPF_IMM:
    case BPF_MISC | BPF_TAX: case BPF_MISC | BPF_TXA:
      break;
    default:
      /* Includes BPF_ALU|BPF_MOD, which classic BPF has but seccomp_check_filter refuses. */
      bad = "opcode not accepted by seccomp";
    }
    if (bad)
      fprintf(stderr, "harness: warning: filter %u insn %u (code 0x%x k 0x%x): %s; the kernel would reject it\n",
              idx, pc, s->code, s->k, bad);
  }
  unsigned last = f->insns[f->len - 1].code;
  if (BPF_CLASS(last) != BPF_RET)
    fprintf(stderr, "harness: warning: filter %u does not end with RET; the kernel would reject it\n", idx);
}

/* ------------------------------------------------------------------------------------------ */
/* Classic BPF interpretation                                                                 */

typedef struct {
  uint32_t arch;
  uint64_t nr; /* as given; the kernel (and seccomp_data.nr) keep the low 32 bits */
  uint64_t args[6];
} query_t;

static void build_seccomp_data(const query_t *q, uint8_t d[SECCOMP_DATA_SIZE]) {
  /* struct seccomp_data { int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6]; },
   * little-endian. The instruction pointer is unknowable here; 0 (runc filters never load it). */
  memset(d, 0, SECCOMP_DATA_SIZE);
  uint32_t nr = (uint32_t)q->nr;
  for (int b = 0; b < 4; b++) {
    d[b] = (uint8_t)(nr >> (8 * b));
    d[4 + b] = (uint8_t)(q->arch >> (8 * b));
  }
  for (int i = 0; i < 6; i++)
    for (int b = 0; b < 8; b++) d[16 + 8 * i + b] = (uint8_t)(q->args[i] >> (8 * b));
}

/*
 * Runs one filter. Where classic BPF has a runtime failure (division by X == 0, a load outside
 * seccomp_data) the program returns 0, as the kernel's cBPF->eBPF conversion does; that is
 * SECCOMP_RET_KILL_THREAD. Falling off the end or jumping out of range (which the kernel refuses
 * at install time) also yields 0, with a warning. Shifts by X use X & 31, the x86 JIT's result.
 */
static uint32_t run_filter(const filter_t *f, const uint8_t d[SECCOMP_DATA_SIZE]) {
  uint32_t A = 0, X = 0, M[BPF_MEMWORDS] = {0};
  unsigned pc = 0;
  while (pc < f->len) {
    const struct sock_filter *s = &f->insns[pc++];
    uint32_t k = s->k;
    switch (s->code) {
    case BPF_LD | BPF_W | BPF_ABS:
      if (k > SECCOMP_DATA_SIZE - 4) return 0;
      A = (uint32_t)d[k] | (uint32_t)d[k + 1] << 8 | (uint32_t)d[k + 2] << 16 | (uint32_t)d[k + 3] << 24;
      break;
    case BPF_LD | BPF_W | BPF_LEN: A = SECCOMP_DATA_SIZE; break;
    case BPF_LDX | BPF_W | BPF_LEN: X = SECCOMP_DATA_SIZE; break;
    case BPF_LD | BPF_IMM: A = k; break;
    case BPF_LDX | BPF_IMM: X = k; break;
    case BPF_LD | BPF_MEM: A = M[k % BPF_MEMWORDS]; break;
    case BPF_LDX | BPF_MEM: X = M[k % BPF_MEMWORDS]; break;
    case BPF_ST: M[k % BPF_MEMWORDS] = A; break;
    case BPF_STX: M[k % BPF_MEMWORDS] = X; break;
    case BPF_MISC | BPF_TAX: X = A; break;
    case BPF_MISC | BPF_TXA: A = X; break;
    case BPF_ALU | BPF_ADD | BPF_K: A += k; break;
    case BPF_ALU | BPF_ADD | BPF_X: A += X; break;
    case BPF_ALU | BPF_SUB | BPF_K: A -= k; break;
    case BPF_ALU | BPF_SUB | BPF_X: A -= X; break;
    case BPF_ALU | BPF_MUL | BPF_K: A *= k; break;
    case BPF_ALU | BPF_MUL | BPF_X: A *= X; break;
    case BPF_ALU | BPF_DIV | BPF_K: if (!k) return 0; A /= k; break;
    case BPF_ALU | BPF_DIV | BPF_X: if (!X) return 0; A /= X; break;
    case BPF_ALU | BPF_MOD | BPF_K: if (!k) return 0; A %= k; break;
    case BPF_ALU | BPF_MOD | BPF_X: if (!X) return 0; A %= X; break;
    case BPF_ALU | BPF_AND | BPF_K: A &= k; break;
    case BPF_ALU | BPF_AND | BPF_X: A &= X; break;
    case BPF_ALU | BPF_OR | BPF_K: A |= k; break;
    case BPF_ALU | BPF_OR | BPF_X: A |= X; break;
    case BPF_ALU | BPF_XOR | BPF_K: A ^= k; break;
    case BPF_ALU | BPF_XOR | BPF_X: A ^= X; break;
    case BPF_ALU | BPF_LSH | BPF_K: A <<= (k & 31); break;
    case BPF_ALU | BPF_LSH | BPF_X: A <<= (X & 31); break;
    case BPF_ALU | BPF_RSH | BPF_K: A >>= (k & 31); break;
    case BPF_ALU | BPF_RSH | BPF_X: A >>= (X & 31); break;
    case BPF_ALU | BPF_NEG: A = -A; break;
    case BPF_JMP | BPF_JA: pc += k; break;
    case BPF_JMP | BPF_JEQ | BPF_K: pc += (A == k) ? s->jt : s->jf; break;
    case BPF_JMP | BPF_JEQ | BPF_X: pc += (A == X) ? s->jt : s->jf; break;
    case BPF_JMP | BPF_JGT | BPF_K: pc += (A > k) ? s->jt : s->jf; break;
    case BPF_JMP | BPF_JGT | BPF_X: pc += (A > X) ? s->jt : s->jf; break;
    case BPF_JMP | BPF_JGE | BPF_K: pc += (A >= k) ? s->jt : s->jf; break;
    case BPF_JMP | BPF_JGE | BPF_X: pc += (A >= X) ? s->jt : s->jf; break;
    case BPF_JMP | BPF_JSET | BPF_K: pc += (A & k) ? s->jt : s->jf; break;
    case BPF_JMP | BPF_JSET | BPF_X: pc += (A & X) ? s->jt : s->jf; break;
    case BPF_RET | BPF_K: return k;
    case BPF_RET | BPF_A: return A;
    default:
      fprintf(stderr, "harness: warning: unknown opcode 0x%x; filter returns 0\n", s->code);
      return 0;
    }
  }
  fprintf(stderr, "harness: warning: filter ran off its end; returns 0\n");
  return 0;
}

/* kernel/seccomp.c ACTION_ONLY(): the action bits compared as a signed value. */
static int32_t action_only(uint32_t ret) { return (int32_t)(ret & SECCOMP_RET_ACTION_FULL); }

/*
 * seccomp_run_filters(): start from SECCOMP_RET_ALLOW (data 0!), walk newest -> oldest, and take
 * a filter's result only if its action is strictly lower, so on a tie the newest filter's data
 * wins, and an all-ALLOW result always carries data 0.
 */
static uint32_t run_filters(const query_t *q) {
  uint8_t d[SECCOMP_DATA_SIZE];
  build_seccomp_data(q, d);
  uint32_t ret = SECCOMP_RET_ALLOW;
  for (unsigned i = 0; i < g_nfilters; i++) {
    uint32_t cur = run_filter(&g_filters[i], d);
    if (action_only(cur) < action_only(ret)) ret = cur;
  }
  return ret;
}

/*
 * Name of the action the kernel takes for ret. __seccomp_filter() switches on
 * ret & SECCOMP_RET_ACTION_FULL, and its `default:` shares the KILL_PROCESS branch (SIGSYS with
 * a core dump, whole process), so every unknown action value is named SCMP_ACT_KILL_PROCESS;
 * the raw "ret" in the output still shows it was not 0x80000000.
 */
static const char *action_name(uint32_t ret) {
  switch (ret & SECCOMP_RET_ACTION_FULL) {
  case SECCOMP_RET_KILL_PROCESS: return "SCMP_ACT_KILL_PROCESS";
  case SECCOMP_RET_KILL_THREAD: return "SCMP_ACT_KILL_THREAD";
  case SECCOMP_RET_TRAP: return "SCMP_ACT_TRAP";
  case SECCOMP_RET_ERRNO: return "SCMP_ACT_ERRNO";
  case SECCOMP_RET_USER_NOTIF: return "SCMP_ACT_NOTIFY";
  case SECCOMP_RET_TRACE: return "SCMP_ACT_TRACE";
  case SECCOMP_RET_LOG: return "SCMP_ACT_LOG";
  case SECCOMP_RET_ALLOW: return "SCMP_ACT_ALLOW";
  default: return "SCMP_ACT_KILL_PROCESS";
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Asking the kernel (x86_64 only)                                                            */

typedef struct {
  char json[256];
  int seized;       /* the child ran under our control (fork + PTRACE_SEIZE worked) */
  int seccomp_stop; /* the target produced a seccomp stop, i.e. seccomp evaluated it */
  int timed_out;
} kernel_result_t;

#ifdef __x86_64__

/* TRACE data of the tracer filter; see choose_magic(). */
static uint16_t g_magic = 0xBEEF;
static struct sock_filter g_tracer_insns[7];
static struct sock_fprog g_tracer_prog;
static struct sock_fprog *g_progs; /* g_progs[i] = g_filters[i] */
static pid_t g_parent;
static volatile sig_atomic_t g_timed_out;

static void on_alarm(int sig) {
  (void)sig;
  g_timed_out = 1;
}

/*
 * The tracer filter (installed first = oldest) turns "the profile allowed it" into a ptrace
 * seccomp stop carrying g_magic, so the parent can kill the child before the call runs:
 * ALLOW and LOG rank above TRACE, so TRACE|magic wins whenever the profile allows; any stricter
 * action of the profile wins over it. A profile TRACE ties with it and the newer (profile)
 * filter's data wins, which is why the magic must not be a TRACE value the profile uses.
 * exit/exit_group stay allowed so a child can always die on its own.
 */
static void build_tracer_filter(void) {
  struct sock_filter f[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 3),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_exit, 2, 0),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_exit_group, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE | g_magic),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  memcpy(g_tracer_insns, f, sizeof f);
  g_tracer_prog.len = sizeof f / sizeof f[0];
  g_tracer_prog.filter = g_tracer_insns;
}

/* Pick a TRACE data value that no `RET K` of the query's filters returns (0xBEEF if possible). */
static void choose_magic(void) {
  for (uint32_t m = 0xBEEF;; m = (m + 1) & 0xffff) {
    int used = 0;
    for (unsigned i = 0; i < g_nfilters && !used; i++)
      for (unsigned j = 0; j < g_filters[i].len && !used; j++) {
        const struct sock_filter *s = &g_filters[i].insns[j];
        if (s->code == (BPF_RET | BPF_K) && s->k == (SECCOMP_RET_TRACE | m)) used = 1;
        if (s->code == (BPF_RET | BPF_A) && m == 0xBEEF)
          fprintf(stderr, "harness: warning: a filter returns A; TRACE|0x%x would read as allow\n", m);
      }
    if (!used) {
      g_magic = (uint16_t)m;
      return;
    }
  }
}

static long raw_syscall6(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                         uint64_t a5) {
  long ret;
  register uint64_t r10 __asm__("r10") = a3;
  register uint64_t r8 __asm__("r8") = a4;
  register uint64_t r9 __asm__("r9") = a5;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8), "r"(r9)
                   : "rcx", "r11", "memory");
  return ret;
}

/*
 * The traced child. After the parent has seized it, it makes exactly these syscalls:
 * setrlimit, prctl x2, seccomp(tracer), seccomp(user filter) x N (oldest first), the target.
 * Then ud2 (SIGILL, no syscall): reaching it means the target returned to user space, i.e. the
 * profile refused it with an errno. Nothing here may allocate, print or otherwise enter the kernel.
 */
static void __attribute__((noreturn)) child_main(int rfd, const query_t *q, unsigned nuser) {
  char c;
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != g_parent) _exit(111);
  if (read(rfd, &c, 1) != 1) _exit(112); /* wait until seized */
  /* A seccomp kill dumps core; core_pattern may be a plain file in the cwd or a pipe helper. */
  struct rlimit nocore = {0, 0};
  setrlimit(RLIMIT_CORE, &nocore);
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) _exit(113);
  if (raw_syscall6(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, (uint64_t)(uintptr_t)&g_tracer_prog, 0, 0, 0) != 0)
    _exit(114);
  /* Oldest first, so kernel filter index i is g_filters[i]. Failures are seen by the parent. */
  for (unsigned i = nuser; i-- > 0;)
    raw_syscall6(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, (uint64_t)(uintptr_t)&g_progs[i], 0, 0, 0);
  raw_syscall6(q->nr, q->args[0], q->args[1], q->args[2], q->args[3], q->args[4], q->args[5]);
  __builtin_trap();
}

static void kill_and_reap(pid_t pid) {
  int st;
  pid_t r;
  kill(pid, SIGKILL);
  /* A stop may still be queued ahead of the death; keep waiting until the child is gone. */
  do {
    r = waitpid(pid, &st, __WALL);
  } while ((r < 0 && errno == EINTR) || (r == pid && !WIFEXITED(st) && !WIFSIGNALED(st)));
}

static void set_timer(int on) {
  /* Re-fires every 100 ms after the first expiry, so a signal landing just before waitpid()
   * blocks is not lost. */
  struct itimerval it = {{0, 0}, {0, 0}};
  if (on) {
    it.it_value.tv_sec = QUERY_TIMEOUT_SEC;
    it.it_interval.tv_usec = 100000;
  }
  setitimer(ITIMER_REAL, &it, NULL);
}

#define RESULT(...) snprintf(r->json, sizeof r->json, __VA_ARGS__)

/* Runs q in a traced child under the tracer filter plus query filters 0..nuser-1
 * (nuser = all of them, or 0 for the exemption probe). */
static void kernel_decide(const query_t *q, kernel_result_t *r, unsigned nuser) {
  int pfd[2];
  memset(r, 0, sizeof *r);
  if (pipe2(pfd, O_CLOEXEC) != 0) {
    RESULT("{\"outcome\":\"error\",\"detail\":\"pipe: %s\"}", strerror(errno));
    return;
  }
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    close(pfd[0]);
    close(pfd[1]);
    RESULT("{\"outcome\":\"error\",\"detail\":\"fork: %s\"}", strerror(errno));
    return;
  }
  if (pid == 0) {
    close(pfd[1]);
    child_main(pfd[0], q, nuser);
  }
  close(pfd[0]);
  if (ptrace(PTRACE_SEIZE, pid, 0L,
             (long)(PTRACE_O_TRACESECCOMP | PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL)) != 0) {
    RESULT("{\"outcome\":\"error\",\"detail\":\"PTRACE_SEIZE: %s\"}", strerror(errno));
    close(pfd[1]);
    kill_and_reap(pid);
    return;
  }
  r->seized = 1;
  g_timed_out = 0;
  set_timer(1);
  if (write(pfd[1], "g", 1) != 1) { /* child then exits 112; reported below */
  }
  close(pfd[1]);

  /*
   * Expected stop sequence (the first install runs before any PTRACE_SYSCALL, so its entry stop
   * is not seen; later ones are):
   *   per install:  [syscall-entry] -> [seccomp stop, magic, if the profile so far allows
   *                 seccomp()] -> syscall-exit (0 = installed)
   *   target:       syscall-entry -> seccomp stop (magic: allow / other: trace)
   *                                | syscall-exit (refused; value rolled back for trap/kill)
   *                                  -> SIGILL stop (errno) | SIGSYS stop (trap) | death by SIGSYS (kill)
   * ptrace entry stops precede seccomp (kernel/entry/common.c), so every decision is observed
   * before the call could run, and the child is SIGKILLed (never resumed) once we know.
   */
  unsigned installs_done = 0;
  int in_target = nuser == 0, target_returned = 0, install_passed = 0;
  int64_t target_rval = 0;
  for (;;) {
    int st;
    pid_t w = waitpid(pid, &st, __WALL);
    if (w < 0) {
      if (errno == EINTR) {
        if (g_timed_out) {
          RESULT("{\"outcome\":\"timeout\"}");
          r->timed_out = 1;
          break;
        }
        continue;
      }
      RESULT("{\"outcome\":\"error\",\"detail\":\"waitpid: %s\"}", strerror(errno));
      break;
    }
    if (WIFEXITED(st)) {
      if (in_target) /* only exit/exit_group can end the child, and the tracer filter lets them through */
        RESULT("{\"outcome\":\"allow\"}");
      else
        RESULT("{\"outcome\":\"error\",\"detail\":\"child exited with %d during setup\"}", WEXITSTATUS(st));
      set_timer(0);
      return; /* already reaped */
    }
    if (WIFSIGNALED(st)) {
      if (in_target && WTERMSIG(st) == SIGSYS)
        RESULT("{\"outcome\":\"kill\"}");
      else
        RESULT("{\"outcome\":\"error\",\"detail\":\"child killed by signal %d %s\"}", WTERMSIG(st),
               in_target ? "at the target" : "while installing filters");
      set_timer(0);
      return;
    }
    if (!WIFSTOPPED(st)) continue;

    int sig = WSTOPSIG(st), event = (unsigned)st >> 16;
    struct __ptrace_syscall_info info;
    if (sig == SIGTRAP && event == PTRACE_EVENT_SECCOMP) {
      unsigned long msg = 0;
      ptrace(PTRACE_GETEVENTMSG, pid, 0L, &msg);
      if (!in_target) {
        memset(&info, 0, sizeof info);
        ptrace(PTRACE_GET_SYSCALL_INFO, pid, (void *)sizeof info, &info);
        if (info.op != PTRACE_SYSCALL_INFO_SECCOMP || info.seccomp.nr != __NR_seccomp) {
          RESULT("{\"outcome\":\"error\",\"detail\":\"unexpected seccomp stop (nr %llu, msg %lu) during setup\"}",
                 (unsigned long long)info.seccomp.nr, msg);
          break;
        }
        /* The filters installed so far let this install through (ALLOW/LOG -> magic, or a TRACE of
         * their own, which the kernel re-checks and then lets run). */
        install_passed = 1;
        ptrace(PTRACE_SYSCALL, pid, 0L, 0L); /* let the install run */
        continue;
      }
      r->seccomp_stop = 1;
      if (msg == g_magic)
        RESULT("{\"outcome\":\"allow\"}");
      else
        RESULT("{\"outcome\":\"trace\",\"data\":%lu}", msg);
      break;
    }
    if (sig == (SIGTRAP | 0x80)) {
      memset(&info, 0, sizeof info);
      if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, (void *)sizeof info, &info) <= 0) {
        RESULT("{\"outcome\":\"error\",\"detail\":\"PTRACE_GET_SYSCALL_INFO: %s\"}", strerror(errno));
        break;
      }
      if (info.op == PTRACE_SYSCALL_INFO_EXIT) {
        if (!in_target) {
          unsigned idx = nuser - 1 - installs_done;
          if (!install_passed) {
            /* No seccomp stop: an older filter of the query refused seccomp() itself (even ERRNO 0,
             * which "succeeds" without installing anything). KILL/TRAP also end up here, with the
             * syscall number rolled back into the return value. */
            RESULT("{\"outcome\":\"error\",\"detail\":\"cannot install filter %u: the older filters refuse "
                   "seccomp() (returned %lld)\"}",
                   idx, (long long)info.exit.rval);
            break;
          }
          if (info.exit.rval != 0) {
            RESULT("{\"outcome\":\"error\",\"detail\":\"the kernel rejected filter %u: %s\"}", idx,
                   info.exit.rval < 0 && info.exit.rval >= -MAX_ERRNO ? strerror((int)-info.exit.rval)
                                                                    : "unexpected return value");
            break;
          }
          install_passed = 0;
          if (++installs_done == nuser) in_target = 1;
        } else {
          target_returned = 1;
          target_rval = info.exit.rval;
        }
      } else if (info.op == PTRACE_SYSCALL_INFO_ENTRY && !in_target && info.entry.nr != __NR_seccomp) {
        RESULT("{\"outcome\":\"error\",\"detail\":\"unexpected syscall %llu during setup\"}",
               (unsigned long long)info.entry.nr);
        break;
      }
      ptrace(PTRACE_SYSCALL, pid, 0L, 0L);
      continue;
    }
    if (event == PTRACE_EVENT_STOP) { /* group-stop / interrupt: nothing to do */
      ptrace(PTRACE_SYSCALL, pid, 0L, 0L);
      continue;
    }
    /* Signal-delivery stop. */
    if (sig == SIGSYS && in_target) {
      siginfo_t si;
      memset(&si, 0, sizeof si);
      ptrace(PTRACE_GETSIGINFO, pid, 0L, &si);
      if (si.si_code == SYS_SECCOMP)
        RESULT("{\"outcome\":\"trap\",\"data\":%d}", si.si_errno);
      else
        RESULT("{\"outcome\":\"error\",\"detail\":\"SIGSYS with si_code %d\"}", si.si_code);
      break;
    }
    if (sig == SIGILL && target_returned) {
      /* ERRNO stores -min(data, MAX_ERRNO); data 0 makes the call "succeed" with 0. */
      if (target_rval <= 0 && target_rval >= -MAX_ERRNO)
        RESULT("{\"outcome\":\"errno\",\"errno\":%d}", (int)-target_rval);
      else
        RESULT("{\"outcome\":\"error\",\"detail\":\"target returned %lld without running\"}",
               (long long)target_rval);
      break;
    }
    RESULT("{\"outcome\":\"error\",\"detail\":\"unexpected signal %d %s\"}", sig,
           in_target ? "at the target" : "while installing filters");
    break;
  }
  set_timer(0);
  kill_and_reap(pid);
}

/*
 * Some syscalls never reach seccomp: since Linux 6.1x kernel/seccomp.c lets x86_64 uretprobe (335)
 * and uprobe (336) through unfiltered (seccomp_uprobe_exception(); they only do something when
 * called from a uprobe trampoline). No filter can stop them, and a traced child cannot be stopped
 * between "seccomp would have run" and "the call runs" for them. So before the first query with a
 * given number, probe the kernel once: a child with only the tracer filter (which TRACEs everything
 * but exit/exit_group) makes the call with zero arguments. A seccomp stop means seccomp evaluates
 * that number (the child is killed, nothing ran); no seccomp stop means the kernel exempts it; the
 * call then ran once, in the probe, with zero arguments. Queries for exempt numbers are answered
 * {"outcome":"allow","bypass":true} without running them again.
 */
typedef struct {
  uint32_t nr;
  int exempt;
} exempt_entry_t;
static exempt_entry_t *g_exempt;
static size_t g_nexempt, g_capexempt;

static int seccomp_exempt(uint32_t nr) {
  if (nr == __NR_exit || nr == __NR_exit_group) return 0; /* the tracer filter allows these itself */
  for (size_t i = 0; i < g_nexempt; i++)
    if (g_exempt[i].nr == nr) return g_exempt[i].exempt;
  query_t probe;
  memset(&probe, 0, sizeof probe);
  probe.arch = AUDIT_ARCH_X86_64;
  probe.nr = nr;
  kernel_result_t r;
  kernel_decide(&probe, &r, 0);
  int exempt = r.seized && !r.timed_out && !r.seccomp_stop;
  if (exempt) fprintf(stderr, "harness: note: the kernel does not run seccomp for x86_64 syscall %u\n", nr);
  if (g_nexempt == g_capexempt) {
    g_capexempt = g_capexempt ? g_capexempt * 2 : 256;
    g_exempt = realloc(g_exempt, g_capexempt * sizeof *g_exempt);
    if (!g_exempt) die("out of memory");
  }
  g_exempt[g_nexempt].nr = nr;
  g_exempt[g_nexempt++].exempt = exempt;
  return exempt;
}

static void kernel_init(void) {
  g_parent = getpid();
  choose_magic();
  build_tracer_filter();
  g_progs = calloc(g_nfilters ? g_nfilters : 1, sizeof *g_progs);
  if (!g_progs) die("out of memory");
  for (unsigned i = 0; i < g_nfilters; i++) {
    g_progs[i].len = (unsigned short)g_filters[i].len;
    g_progs[i].filter = g_filters[i].insns;
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm; /* no SA_RESTART: waitpid() must return EINTR */
  sigaction(SIGALRM, &sa, NULL);
}
#endif /* __x86_64__ */

/* ------------------------------------------------------------------------------------------ */
/* Subcommands                                                                                */

static int parse_query(char *line, query_t *q) {
  char *tok[9];
  int n = 0;
  for (char *s = strtok(line, " \t\r\n"); s; s = strtok(NULL, " \t\r\n")) {
    if (n == 8) return -1;
    tok[n++] = s;
  }
  if (n < 2) return -1;
  uint64_t v[8] = {0};
  for (int i = 0; i < n; i++) {
    char *end;
    errno = 0;
    v[i] = strtoull(tok[i], &end, 0);
    if (errno || *end) return -1;
  }
  if (v[0] > 0xffffffffu) return -1;
  q->arch = (uint32_t)v[0];
  q->nr = v[1];
  for (int i = 0; i < 6; i++) q->args[i] = v[2 + i];
  return 0;
}

static int cmd_eval(const char *path) {
  char *text = read_file(path);
  parse_filters(text);
  free(text);
  for (unsigned i = 0; i < g_nfilters; i++) validate_filter(i, &g_filters[i]);
#ifdef __x86_64__
  kernel_init();
#endif
  char *line = NULL;
  size_t cap = 0;
  unsigned long lineno = 0;
  while (getline(&line, &cap, stdin) >= 0) {
    lineno++;
    const char *p = line;
    while (isspace((unsigned char)*p)) p++;
    if (!*p) continue;
    query_t q;
    if (parse_query(line, &q) != 0) die("stdin line %lu: expected \"ARCH NR [A0..A5]\"", lineno);
    uint32_t ret = run_filters(&q);
    printf("{\"bpf\":{\"ret\":\"0x%08" PRIx32 "\",\"action\":\"%s\",\"data\":%u},\"kernel\":", ret,
           action_name(ret), ret & SECCOMP_RET_DATA);
#ifdef __x86_64__
    if (q.arch == AUDIT_ARCH_X86_64) {
      kernel_result_t r;
      if (seccomp_exempt((uint32_t)q.nr)) {
        fputs("{\"outcome\":\"allow\",\"bypass\":true}", stdout);
      } else {
        kernel_decide(&q, &r, g_nfilters);
        fputs(r.json, stdout);
      }
    } else
#endif
      fputs("null", stdout);
    fputs("}\n", stdout);
    fflush(stdout);
  }
  free(line);
  return 0;
}

static int cmd_dump(const char *pidstr) {
  char *end;
  long pid = strtol(pidstr, &end, 10);
  if (*end || pid <= 0) die("bad pid %s", pidstr);
  if (ptrace(PTRACE_SEIZE, (pid_t)pid, 0L, 0L) != 0) die("PTRACE_SEIZE %ld: %s", pid, strerror(errno));
  if (ptrace(PTRACE_INTERRUPT, (pid_t)pid, 0L, 0L) != 0) die("PTRACE_INTERRUPT %ld: %s", pid, strerror(errno));
  int st, detach_sig = 0;
  for (;;) {
    if (waitpid((pid_t)pid, &st, __WALL) < 0) {
      if (errno == EINTR) continue;
      die("waitpid %ld: %s", pid, strerror(errno));
    }
    if (WIFEXITED(st) || WIFSIGNALED(st)) die("process %ld died while being read", pid);
    if (WIFSTOPPED(st)) {
      /* A signal-delivery stop (not our interrupt) must hand its signal back on detach. */
      if (((unsigned)st >> 16) == 0 && WSTOPSIG(st) != SIGTRAP) detach_sig = WSTOPSIG(st);
      break;
    }
  }
  filter_t *fs = NULL;
  unsigned n = 0;
  const char *err = NULL;
  int saved = 0;
  for (unsigned long idx = 0;; idx++) {
    long len = ptrace(PTRACE_SECCOMP_GET_FILTER, (pid_t)pid, (void *)idx, NULL);
    if (len < 0) {
      if (errno == ENOENT) break; /* past the oldest filter */
      if (errno == EINVAL && idx == 0) break; /* not in filter mode: no filters */
      err = "PTRACE_SECCOMP_GET_FILTER";
      saved = errno;
      break;
    }
    fs = realloc(fs, (n + 1) * sizeof *fs);
    if (!fs) die("out of memory");
    fs[n].len = (unsigned)len;
    fs[n].insns = calloc(len ? len : 1, sizeof(struct sock_filter));
    if (!fs[n].insns) die("out of memory");
    if (ptrace(PTRACE_SECCOMP_GET_FILTER, (pid_t)pid, (void *)idx, fs[n].insns) != len) {
      err = "PTRACE_SECCOMP_GET_FILTER (copy)";
      saved = errno;
      break;
    }
    n++;
  }
  ptrace(PTRACE_DETACH, (pid_t)pid, 0L, (long)detach_sig);
  if (err) die("%s on %ld: %s%s", err, pid, strerror(saved),
               saved == EACCES ? " (needs CAP_SYS_ADMIN and a harness not itself under seccomp)" : "");
  print_filters_json(stdout, fs, n);
  return fflush(stdout) == 0 ? 0 : 1;
}

int main(int argc, char **argv) {
  signal(SIGCHLD, SIG_DFL);
  if (argc == 3 && strcmp(argv[1], "dump") == 0) return cmd_dump(argv[2]);
  if (argc == 3 && strcmp(argv[1], "eval") == 0) return cmd_eval(argv[2]);
  fprintf(stderr, "usage: %s dump PID | %s eval FILTERS.json < queries\n", argv[0], argv[0]);
  return 2;
}
