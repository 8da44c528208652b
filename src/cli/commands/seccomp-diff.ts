export async function run(_a: string, _b: string, _o: unknown): Promise<void> {
  throw new Error('diff: not wired yet');
}
