/** Injection token of the CreditGateRepository (a Redis-backed instance made at boot). */
export const CREDIT_GATE = Symbol('CREDIT_GATE');
