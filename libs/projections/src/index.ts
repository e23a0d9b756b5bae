export * from './projections.tokens';
export * from './newsroom.projection';
export * from './sqlite/read-model.schema';
export * from './sqlite/sqlite-read-models';
export * from './runner/projection-runner';
export * from './queries/claim-cut';
export * from './queries/claim-event-cache';
export * from './queries/source-history';
export * from './queries/read-model-queries';
export * from './queries/read-queries';
export * from './queries/historical-claims';
export * from './queries/claim-timeline';
export * from './queries/read-query.handlers';
export * from './port/read-model-store.port';
export { sameLog, describeLog } from './runner/log-identity';
export { PostgresReadModels } from './postgres/postgres-read-models';
export {
  PROJECTED_CHANNEL,
  POSTGRES_READ_MODEL_SCHEMA_VERSION,
  readModelLockKey,
} from './postgres/postgres-read-model.schema';
export { ProjectorLease, type ProjectorLeaseOptions } from './postgres/projector-lease';
export * from './queries/claim-history.handlers';
