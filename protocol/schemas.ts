// Payload schemas of the contract, one per message kind. Every payload carries `v: 1`; unknown
// fields are stripped rather than refused, so a newer minor version stays readable by older peers.
// The schemas live by area in the modules below; this file stays the one import point.

export * from './board-schemas.js';
export * from './device-schemas.js';
export * from './directory-schemas.js';
export * from './phone-schemas.js';
export * from './presence-schemas.js';
export {
  Actor,
  ClockTime,
  DepartmentId,
  DeviceId,
  Ext,
  IsoMinute,
  IsoTime,
  LocalDate,
  Locale,
  QueueId,
  ReasonCode,
} from './schema-primitives.js';
