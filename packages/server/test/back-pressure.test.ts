/**
 * Back-pressure: a channel member that stops reading, in a process of its own, is closed with
 * 4413 and a reason naming PARLEY_MAX_SOCKET_BUFFER_BYTES once that much waits to be sent to
 * it; the server does not buffer for it without end, and the other member gets every message.
 * On two Redis nodes the sender is on the first node, the slow reader and the other member on
 * the second (the messages reach it through Redis).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CloseCode } from '@parley/protocol';
import { APP, eventually, loggedIn, startTopology, TOPOLOGIES, until } from '@parley/testkit';

const SLOW_READER = fileURLToPath(new URL('./slow-reader.ts', import.meta.url));

for (const kind of TOPOLOGIES)
  test(`${kind}: a member that stops reading is closed with 4413 naming the limit; the others get every message`, async (t) => {
    const limit = 256 * 1024;
    const topo = await startTopology(kind, {
      maxSocketBufferBytes: limit,
      sendRateCount: 1_000_000,
    });
    t.after(() => topo.close());
    const [near, server] = topo.nodes;
    const args = [
      '--conditions=source',
      '--import',
      'tsx',
      SLOW_READER,
      server.url,
      APP,
      'bp-slow',
      'bp-room',
    ];
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    t.after(() => child.kill('SIGKILL'));
    const lines: string[] = [];
    createInterface({ input: child.stdout }).on('line', (l) => lines.push(l));
    await until(() => lines.includes('joined'), 'the slow reader joined', 30_000);

    const sender = await loggedIn(near, 'bp-tx');
    const ch = sender.createChannel('bp-room');
    await ch.join();
    const other = await loggedIn(server, 'bp-rx');
    const och = other.createChannel('bp-room');
    let otherGot = 0;
    och.on('ChannelMessage', () => otherGot++);
    await och.join();

    const text = 'x'.repeat(16 * 1024);
    let sent = 0;
    // Until the server cuts the slow one (the kernel's socket buffers take some MB first); 80 MB
    // sent without a cut fails the test.
    while (server.hub.overflows === 0 && sent < 5000) {
      await Promise.all(Array.from({ length: 20 }, () => ch.sendMessage({ text })));
      sent += 20;
    }
    assert.equal(server.hub.overflows, 1, `cut after ${sent} messages of 16 KB`);
    assert.equal(near.hub.overflows, kind === 'memory' ? 1 : 0, 'the sender node cut nobody');
    t.diagnostic(`${kind}: the slow reader was cut after ${sent} messages of 16 KB`);
    await until(() => otherGot === sent, 'the other member got every message');

    child.stdin.write('read\n'); // it reads what was buffered, then the close frame
    await until(() => lines.some((l) => l.startsWith('closed ')), 'the slow reader closed', 30_000);
    const closed = lines.find((l) => l.startsWith('closed '))!;
    assert.equal(
      closed,
      `closed ${CloseCode.SOCKET_BUFFER_FULL} more than ${limit} bytes unsent (PARLEY_MAX_SOCKET_BUFFER_BYTES)`,
    );
    // A drop, not a leave: the session waits for a resume and stays a member.
    assert.ok(server.hub.byUserId(APP, 'bp-slow'), 'the session is kept for a resume');
    assert.deepEqual((await och.getMembers()).sort(), ['bp-rx', 'bp-slow', 'bp-tx']);
    await eventually(
      async () =>
        (await fetch(`http://127.0.0.1:${server.port}/metrics`).then((r) => r.text())).includes(
          'parley_socket_buffer_overflows_total 1',
        ),
      'the overflow counted',
    );
    await Promise.all([sender.logout(), other.logout()]);
  });
