export * from './acl.js';
export * from './codec.js';
export * from './layouts.js';
export * from './presence-order.js';
export * from './reasons.js';
export * from './rejections.js';
export * from './schemas.js';
export * from './topics.js';
