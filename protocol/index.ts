export * from './codec.js';
export * from './reasons.js';
export * from './schemas.js';
export * from './topics.js';
