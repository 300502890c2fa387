/** Injection tokens shared by every service's Nest module. */
export const CONFIG = Symbol('CONFIG');
export const LOGGER = Symbol('LOGGER');
export const HEALTH = Symbol('HEALTH');
export const METRICS = Symbol('METRICS');
/**
 * Optional: a function a gRPC service's module provides, called when the shutdown's grace period is over and calls
 * are still running, to end them cleanly (chat cuts its streams with an error event) before the server resets what
 * is left.
 */
export const GRACE_EXPIRED = Symbol('GRACE_EXPIRED');
