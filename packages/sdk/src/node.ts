/** Node entry: the same API, with the `ws` transport installed. */
import './transport-node.js';

export * from './index.js';
export { default } from './index.js';
