/** Injection tokens shared by every service's Nest module. */
export const CONFIG = Symbol('CONFIG');
export const LOGGER = Symbol('LOGGER');
export const HEALTH = Symbol('HEALTH');
export const METRICS = Symbol('METRICS');
