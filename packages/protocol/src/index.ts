export * from './limits.js';
export * from './frames.js';
export * from './codec.js';
export * from './ids.js';
export * from './validate.js';
export * from './errors.js';
