import { HealthImplementation, ServingStatusMap } from 'grpc-health-check';

export { HealthImplementation };

/**
 * The standard gRPC health protocol (grpc.health.v1). The overall service ('') starts NOT_SERVING and turns
 * SERVING once the service's dependencies are ready; it turns NOT_SERVING again on shutdown.
 */
export function createHealth(serviceNames: string[]): HealthImplementation {
  const initial: ServingStatusMap = { '': 'NOT_SERVING' };
  for (const name of serviceNames) initial[name] = 'NOT_SERVING';
  return new HealthImplementation(initial);
}

export function setServing(health: HealthImplementation, serviceNames: string[], serving: boolean): void {
  const state = serving ? 'SERVING' : 'NOT_SERVING';
  for (const name of ['', ...serviceNames]) health.setStatus(name, state);
}
