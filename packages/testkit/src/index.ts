/** Test helpers shared by every package's tests. */
export { ManualClock } from './manual-clock.js';
