export * from './audit-trail';
export { SENSITIVE_EVENTS, AUDIT_METRIC_NAMESPACE, MAX_SELECTOR_VALUES } from './defaults';
export type { SensitiveEvent, SensitiveEventName } from './defaults';
