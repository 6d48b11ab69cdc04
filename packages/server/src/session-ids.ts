/**
 * Session ids: `<node>.<12 base64url chars>` (72 random bits), unguessable and unique per
 * deployment. Random bytes come from a pool refilled every 512 ids (one `randomBytes` call per
 * login showed in the login profile), and each id is one flat string (a concatenated one would
 * keep two heap objects per session for as long as it lives).
 */
import { randomBytes } from 'node:crypto';

const RANDOM_BYTES = 9;
const POOL_IDS = 512;

export class SessionIds {
  private pool = Buffer.alloc(0);
  private at = 0;
  private readonly id: Buffer;
  private readonly prefixLength: number;

  constructor(node: string) {
    const prefix = Buffer.from(node + '.', 'latin1');
    this.prefixLength = prefix.length;
    this.id = Buffer.alloc(prefix.length + (RANDOM_BYTES / 3) * 4);
    prefix.copy(this.id);
  }

  next(): string {
    if (this.at + RANDOM_BYTES > this.pool.length) {
      this.pool = randomBytes(RANDOM_BYTES * POOL_IDS);
      this.at = 0;
    }
    const random = this.pool.toString('base64url', this.at, (this.at += RANDOM_BYTES));
    this.id.write(random, this.prefixLength, 'latin1');
    return this.id.toString('latin1');
  }
}
