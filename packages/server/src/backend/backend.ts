import type { Broker } from './broker.js';
import type { Store } from './store.js';

/** A backend is a Store and a Broker that belong together. */
export interface Backend {
  readonly store: Store;
  readonly broker: Broker;
  close(): Promise<void>;
}
