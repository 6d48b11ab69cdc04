/**
 * Summarises a `.heapsnapshot` (from `npm run bench -- --only S5 --heap-snapshot`): self size
 * and count by constructor / node name, largest first. Given a second snapshot, prints the
 * difference (first minus second), e.g. Parley minus bare ws at the same connection count.
 *
 *   node --import tsx bench/tools/heap-top.ts A.heapsnapshot [B.heapsnapshot] [N]
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

function summarise(file: string): Map<string, { size: number; count: number }> {
  const s = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = s.snapshot.meta.node_fields;
  const types = s.snapshot.meta.node_types[0];
  const width = fields.length;
  const iType = fields.indexOf('type');
  const iName = fields.indexOf('name');
  const iSize = fields.indexOf('self_size');
  const out = new Map<string, { size: number; count: number }>();
  for (let k = 0; k < s.nodes.length; k += width) {
    const type = types[s.nodes[k + iType]!]!;
    const name =
      type === 'object' || type === 'closure' ? s.strings[s.nodes[k + iName]!]! : `(${type})`;
    const key = type === 'closure' ? `closure ${name}` : name;
    const e = out.get(key) ?? { size: 0, count: 0 };
    e.size += s.nodes[k + iSize]!;
    e.count++;
    out.set(key, e);
  }
  return out;
}

process.stdout.on('error', () => process.exit(0));
const args = process.argv.slice(2);
const top = Number(args.find((a) => /^\d+$/.test(a)) ?? 30);
const [a, b] = args.filter((x) => !/^\d+$/.test(x));
if (!a) throw new Error('usage: heap-top.ts A.heapsnapshot [B.heapsnapshot] [N]');
const sa = summarise(a);
const sb = b ? summarise(b) : new Map<string, { size: number; count: number }>();
const rows = [...new Set([...sa.keys(), ...sb.keys()])].map((k) => {
  const x = sa.get(k) ?? { size: 0, count: 0 };
  const y = sb.get(k) ?? { size: 0, count: 0 };
  return { k, size: x.size - y.size, count: x.count - y.count };
});
rows.sort((p, q) => Math.abs(q.size) - Math.abs(p.size));
const total = rows.reduce((t, r) => t + r.size, 0);
process.stdout.write(`${b ? 'difference' : 'total'}: ${(total / 2 ** 20).toFixed(2)} MiB\n`);
for (const r of rows.slice(0, top))
  process.stdout.write(`${String(r.size).padStart(12)} B ${String(r.count).padStart(9)}  ${r.k}\n`);
