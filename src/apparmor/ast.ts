/**
 * AST of an AppArmor policy file (AppArmor 3.0.8 grammar, plus the AppArmor 4 rules `userns`,
 * `io_uring`, `mqueue` kept as generic nodes).
 *
 * The tree stores what a rule means, in a normal form, not how it was spelled: `rw /a` and
 * `/a wr` give the same node (permissions are sorted in the order apparmor's own tools print
 * them), `user` is `owner`, `#include` is `include`, upper-case permission letters that the
 * parser folds with a warning are folded. The optional words `file` and `allow` are kept because
 * they were written on purpose. That makes print(parse(x)) canonical and parse(print(t)) == t.
 *
 * Every node carries a span (1-based, end exclusive column) for diagnostics.
 */

export interface Span {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface Qualifiers {
  audit: boolean;
  /** `allow` (explicit) or `deny`; undefined = implicit allow. */
  access?: 'allow' | 'deny';
  /** `owner` (also spelled `user`) or `other`. */
  owner?: 'owner' | 'other';
}

export interface CommentNode {
  kind: 'comment';
  text: string;
  /** The comment followed other text on its line. */
  trailing: boolean;
  span: Span;
}

export interface IncludeNode {
  kind: 'include';
  path: string;
  /** `<path>`: searched in the include dirs; `"path"`: opened as given. */
  search: boolean;
  ifExists: boolean;
  span: Span;
}

export interface AbiNode {
  kind: 'abi';
  path: string;
  search: boolean;
  span: Span;
}

export interface VarAssignNode {
  kind: 'variable';
  name: string;
  op: '=' | '+=';
  values: string[];
  span: Span;
}

export interface BoolAssignNode {
  kind: 'boolean';
  name: string;
  value: string;
  span: Span;
}

export interface AliasNode {
  kind: 'alias';
  from: string;
  to: string;
  span: Span;
}

/** A conditional `name=value`, `name=(a b)` or `name in (a b)`. */
export interface Cond {
  name: string;
  op: '=' | 'in';
  values: string[];
  /** Written with parentheses (always true for `in`). */
  paren: boolean;
  span: Span;
}

/** `peer=( ... )` / `xattrs=( ... )`. */
export interface CondList {
  name: string;
  conds: Cond[];
  span: Span;
}

export interface ProfileNode {
  kind: 'profile';
  /** How the profile was introduced: `profile NAME`, `hat NAME`, `^NAME`, or a bare name. */
  keyword?: 'profile' | 'hat' | '^';
  name: string;
  attachment?: string;
  xattrs?: CondList;
  flags?: string[];
  /** `flags=(...)` rather than a bare `(...)`. */
  flagsKeyword: boolean;
  items: BlockItem[];
  span: Span;
}

/** The exec transition part of a file permission, spelled canonically (e.g. `Pix`, `PUx`, `x`). */
export type ExecMode = string;

export interface FileRule {
  kind: 'file';
  q: Qualifiers;
  fileKeyword: boolean;
  /** undefined for the bare `file,` rule. */
  path?: string;
  /** Access letters in canonical order, a subset of `mrwalk`. */
  access: string;
  exec?: ExecMode;
  execMode?: 'safe' | 'unsafe';
  /** `-> target` of an exec transition. */
  target?: string;
  /** `l [subset] /a -> /b` written with the permissions first: a link pair. */
  linkTarget?: string;
  subset: boolean;
  span: Span;
}

export interface LinkRule {
  kind: 'link';
  q: Qualifiers;
  subset: boolean;
  path: string;
  target: string;
  span: Span;
}

export interface CapabilityRule {
  kind: 'capability';
  q: Qualifiers;
  names: string[];
  span: Span;
}

export interface NetworkRule {
  kind: 'network';
  q: Qualifiers;
  domain?: string;
  type?: string;
  span: Span;
}

export interface MountRule {
  kind: 'mount';
  q: Qualifiers;
  verb: 'mount' | 'remount' | 'umount';
  conds: Cond[];
  source?: string;
  /** mount: `-> target`; remount/umount: the mount point. */
  target?: string;
  span: Span;
}

export interface PivotRootRule {
  kind: 'pivot_root';
  q: Qualifiers;
  conds: Cond[];
  newRoot?: string;
  profile?: string;
  span: Span;
}

/** ptrace, signal, dbus, unix: a permission list plus conditionals. */
export interface PermCondRule {
  kind: 'ptrace' | 'signal' | 'dbus' | 'unix';
  q: Qualifiers;
  perms: string[];
  /** Perms written in parentheses (a bare perm must be one of the rule's keywords). */
  permsParen: boolean;
  conds: Cond[];
  peer?: CondList;
  span: Span;
}

export interface ChangeProfileRule {
  kind: 'change_profile';
  q: Qualifiers;
  execMode?: 'safe' | 'unsafe';
  exec?: string;
  target?: string;
  span: Span;
}

export interface RlimitRule {
  kind: 'rlimit';
  resource: string;
  value: string;
  unit?: string;
  span: Span;
}

/** AppArmor 4 rules (userns, io_uring, mqueue) kept as their raw text after the keyword. */
export interface GenericRule {
  kind: 'generic';
  q: Qualifiers;
  keyword: 'userns' | 'io_uring' | 'mqueue';
  raw: string;
  span: Span;
}

/** `[audit] [owner] { rules }`. */
export interface QualifierBlock {
  kind: 'block';
  q: Qualifiers;
  items: BlockItem[];
  span: Span;
}

export type BoolExpr =
  | { kind: 'var'; name: string }
  | { kind: 'not'; expr: BoolExpr }
  | { kind: 'defined'; name: string; sigil: '@' | '$' };

export interface IfNode {
  kind: 'if';
  expr: BoolExpr;
  then: BlockItem[];
  else?: BlockItem[] | IfNode;
  span: Span;
}

export type Rule =
  | FileRule
  | LinkRule
  | CapabilityRule
  | NetworkRule
  | MountRule
  | PivotRootRule
  | PermCondRule
  | ChangeProfileRule
  | RlimitRule
  | GenericRule;

export type BlockItem = Rule | QualifierBlock | IfNode | ProfileNode | IncludeNode | AbiNode | CommentNode;

export type TopItem =
  | AbiNode
  | IncludeNode
  | VarAssignNode
  | BoolAssignNode
  | AliasNode
  | ProfileNode
  | CommentNode;

export interface PolicyFile {
  kind: 'policy';
  file: string;
  /** A fragment parsed for inclusion inside a profile holds block items; a file holds top items. */
  context: 'top' | 'rules';
  items: (TopItem | BlockItem)[];
}

/** Deep copy without `span` fields (for structural comparison). */
export function stripSpans<T>(node: T): T {
  return JSON.parse(JSON.stringify(node, (k, v) => (k === 'span' ? undefined : v)));
}
