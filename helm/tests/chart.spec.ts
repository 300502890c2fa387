// Unit tests of the chart (helm-unittest style, over `helm template` output): every component's workload, probes,
// resources, security contexts, PDB, HPA and Service; the network policies evaluated as a cluster would; the
// migrations hook; the Ingress toggle; secrets only from existing Secrets; and each component's rendered environment
// accepted by that service's own configuration schema. Run by scripts/chart-check.mjs (which builds helm first).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { ensureSchemas, helmPath, helmTemplate, K8sObject, parseManifests, repoRoot } from '../../scripts/lib/chart-tools.js';
import { createValidator } from '../../scripts/lib/k8s-schemas.js';
import { lintDockerfile } from '../../scripts/lib/dockerfile-lint.js';
import { edgeConfigSchema } from '../../services/edge/src/config/edge.config';
import { chatConfigSchema } from '../../services/chat/src/config/chat.config';
import { embeddingsConfigSchema } from '../../services/embeddings/src/config/embeddings.config';
import { mediaJobsConfigSchema } from '../../services/media-jobs/src/config/media-jobs.config';
import { billingConfigSchema } from '../../services/billing/src/config/billing.config';
import { rateLimitConfigSchema } from '../../services/rate-limit/src/config/rate-limit.config';
import { routingConfigSchema } from '../../libs/providers/routing/src/routing.config';

if (!existsSync(helmPath())) throw new Error(`no helm at ${helmPath()}: run node scripts/chart-check.mjs, which builds it`);

const production = join(repoRoot, 'deploy/helm/values-production.yaml');
const render = (setJson: Record<string, unknown> = {}, valueFiles: string[] = []) => parseManifests(helmTemplate({ setJson, valueFiles }));
const ofKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
const named = (objects: K8sObject[], kind: string, component: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.labels?.['app.kubernetes.io/component'] === component);
  if (!found) throw new Error(`no ${kind} for ${component}`);
  return found;
};

const grpcPorts: Record<string, number> = { chat: 50051, embeddings: 50052, 'media-jobs': 50053, billing: 50054, 'rate-limit': 50055 };
const components = ['edge', ...Object.keys(grpcPorts)];
const spooling = ['chat', 'embeddings', 'media-jobs'];
const configSchemas: Record<string, z.ZodType> = {
  edge: edgeConfigSchema,
  chat: chatConfigSchema,
  embeddings: embeddingsConfigSchema,
  'media-jobs': mediaJobsConfigSchema,
  billing: billingConfigSchema,
  'rate-limit': rateLimitConfigSchema,
};

const defaults = render();
const prod = render({}, [production]);

describe.each([
  ['default values', defaults],
  ['production values', prod],
])('every component, %s', (_label, objects) => {
  const deployments = ofKind(objects, 'Deployment');

  it('has exactly one Deployment per service, and no other workload kind', () => {
    expect(deployments.map((d) => d.metadata.labels?.['app.kubernetes.io/component']).sort()).toEqual([...components].sort());
    expect(objects.filter((o) => ['StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(o.kind))).toEqual([]);
  });

  it.each(components)('%s: startup, readiness and liveness probes on its serving port', (component) => {
    const [container] = named(objects, 'Deployment', component).spec.template.spec.containers;
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      expect(container[probe]).toBeDefined();
      expect(container[probe].periodSeconds).toBeGreaterThan(0);
      expect(container[probe].timeoutSeconds).toBeGreaterThan(0);
      expect(container[probe].failureThreshold).toBeGreaterThan(0);
    }
    if (component === 'edge') {
      expect(container.startupProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
      expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    } else {
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe'])
        expect(container[probe].grpc).toEqual({ port: grpcPorts[component], service: '' });
    }
    // The startup probe gives a slow start room before liveness may kill it.
    expect(container.startupProbe.periodSeconds * container.startupProbe.failureThreshold).toBeGreaterThanOrEqual(60);
  });

  it.each(components)('%s: CPU and memory requests and a memory limit', (component) => {
    const [container] = named(objects, 'Deployment', component).spec.template.spec.containers;
    expect(container.resources.requests.cpu).toBeTruthy();
    expect(container.resources.requests.memory).toBeTruthy();
    expect(container.resources.limits.memory).toBeTruthy();
  });

  it.each([...components, 'migrations'])('%s: a non-root, read-only, unprivileged security context', (component) => {
    const kind = component === 'migrations' ? 'Job' : 'Deployment';
    const pod = named(objects, kind, component).spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.hostNetwork ?? false).toBe(false);
    for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
      expect(container.securityContext).toMatchObject({
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        privileged: false,
        capabilities: { drop: ['ALL'] },
      });
      expect(container.securityContext.capabilities.add).toBeUndefined();
      // The read-only root filesystem needs a writable /tmp.
      const tmp = container.volumeMounts.find((m: { mountPath: string }) => m.mountPath === '/tmp');
      expect(pod.volumes.find((v: { name: string }) => v.name === tmp.name).emptyDir).toBeDefined();
    }
  });

  it.each(components)('%s: a PodDisruptionBudget over its pods that always lets one go', (component) => {
    const deployment = named(objects, 'Deployment', component);
    const pdb = named(objects, 'PodDisruptionBudget', component);
    expect(pdb.apiVersion).toBe('policy/v1');
    expect(deployment.spec.template.metadata.labels).toMatchObject(pdb.spec.selector.matchLabels);
    expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(pdb.spec.maxUnavailable).toBeGreaterThanOrEqual(1);
    expect(pdb.spec.unhealthyPodEvictionPolicy).toBe('AlwaysAllow');
  });

  it.each(components)('%s: a HorizontalPodAutoscaler on the Deployment, which leaves replicas to it', (component) => {
    const deployment = named(objects, 'Deployment', component);
    const hpa = named(objects, 'HorizontalPodAutoscaler', component);
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec.maxReplicas).toBeGreaterThanOrEqual(hpa.spec.minReplicas);
    expect(deployment.spec.replicas).toBeUndefined();
    // Utilization needs requests to measure against.
    const [container] = deployment.spec.template.spec.containers;
    expect(container.resources.requests.cpu).toBeTruthy();
  });

  it.each(components)('%s: a Service selecting its pods, to a port the container declares', (component) => {
    const deployment = named(objects, 'Deployment', component);
    const service = named(objects, 'Service', component);
    expect(deployment.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    const declared = deployment.spec.template.spec.containers[0].ports.map((p: { name: string }) => p.name);
    for (const port of service.spec.ports) expect(declared).toContain(port.targetPort);
    expect(service.spec.type).toBe('ClusterIP');
    if (component !== 'edge') expect(service.spec.ports[0]).toMatchObject({ port: grpcPorts[component], appProtocol: 'grpc' });
  });

  it.each(spooling)('%s: its usage spool on a writable volume of its own', (component) => {
    const pod = named(objects, 'Deployment', component).spec.template.spec;
    const env = Object.fromEntries(pod.containers[0].env.map((e: { name: string; value?: string }) => [e.name, e.value]));
    const mount = pod.containers[0].volumeMounts.find((m: { mountPath: string }) => m.mountPath === env.USAGE_SPOOL_DIR);
    expect(mount).toBeDefined();
    expect(mount.readOnly ?? false).toBe(false);
    const volume = pod.volumes.find((v: { name: string }) => v.name === mount.name);
    expect(volume.emptyDir.sizeLimit).toBeTruthy();
  });

  it.each(components)("%s: the rendered environment passes the service's own configuration schema", (component) => {
    const container = named(objects, 'Deployment', component).spec.template.spec.containers[0];
    const env = resolveEnv(container.env);
    const result = configSchemas[component].safeParse(env);
    expect(result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([]);
  });

  it('validates strictly against the Kubernetes API schemas (as chart-check does)', () => {
    const validate = createValidator(ensureSchemas());
    expect(objects.flatMap((o) => validate(o).map((p) => `${o.kind}/${o.metadata.name}: ${p}`))).toEqual([]);
  });
});

/** The container's environment as the kubelet would give it, with stand-ins for Secret and downward-API values. */
function resolveEnv(entries: { name: string; value?: string; valueFrom?: { secretKeyRef?: { key: string }; fieldRef?: { fieldPath: string } } }[]) {
  const secrets: Record<string, string> = {
    DATABASE_URL: 'postgresql://apitopmix:secret@postgres.data.svc:5432/apitopmix',
    REDIS_URL: 'rediss://:secret@redis.data.svc:6380',
    MEDIA_URL_SIGNING_KEY: 'x'.repeat(43),
    ADMIN_TOKEN: 'y'.repeat(43),
  };
  const env: Record<string, string> = {};
  for (const entry of entries) {
    let value: string;
    if (entry.valueFrom?.secretKeyRef) value = secrets[entry.valueFrom.secretKeyRef.key] ?? 'sk-test-key';
    else if (entry.valueFrom?.fieldRef) value = entry.valueFrom.fieldRef.fieldPath === 'metadata.name' ? 'apitopmix-media-jobs-6d9f7c-x2x7q' : 'apitopmix';
    else value = entry.value ?? '';
    env[entry.name] = value.replace(/\$\(([A-Z_][A-Z0-9_]*)\)/g, (whole, name: string) => env[name] ?? whole);
  }
  return env;
}

/** Who may open a connection to a component's port, judged as a NetworkPolicy implementation would. */
function reachable(
  objects: K8sObject[],
  from: { labels: Record<string, string>; namespace: string; namespaceLabels?: Record<string, string> },
  component: string,
  portName: string,
) {
  const deployment = named(objects, 'Deployment', component);
  const podLabels = deployment.spec.template.metadata.labels;
  const container = deployment.spec.template.spec.containers[0];
  const portNumber = container.ports.find((p: { name: string }) => p.name === portName).containerPort;
  const matches = (selector: { matchLabels?: Record<string, string> } | undefined, labels: Record<string, string>) =>
    Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const policies = ofKind(objects, 'NetworkPolicy').filter((p) => p.spec.policyTypes.includes('Ingress') && matches(p.spec.podSelector, podLabels));
  if (policies.length === 0) return true;
  const sameNamespace = from.namespace === 'apitopmix';
  const namespaceLabels = { 'kubernetes.io/metadata.name': from.namespace, ...from.namespaceLabels };
  return policies.some((policy) =>
    (policy.spec.ingress ?? []).some((rule: { ports?: { port: string | number }[]; from?: Record<string, unknown>[] }) => {
      const portOk = !rule.ports || rule.ports.some((p) => p.port === portName || p.port === portNumber);
      const peerOk =
        !rule.from ||
        rule.from.some((peer) => {
          const podSelector = peer.podSelector as { matchLabels?: Record<string, string> } | undefined;
          const namespaceSelector = peer.namespaceSelector as { matchLabels?: Record<string, string> } | undefined;
          if (peer.ipBlock) return true;
          if (namespaceSelector) return matches(namespaceSelector, namespaceLabels) && (!podSelector || matches(podSelector, from.labels));
          return sameNamespace && matches(podSelector, from.labels);
        });
      return portOk && peerOk;
    }),
  );
}

describe('network policies', () => {
  const pod = (component: string) => ({ labels: named(defaults, 'Deployment', component).spec.template.metadata.labels, namespace: 'apitopmix' });
  const outsider = { labels: { app: 'something-else' }, namespace: 'other' };
  const neighbour = { labels: { app: 'something-else' }, namespace: 'apitopmix' };

  it('lets anyone reach the edge by default, and nothing else', () => {
    expect(reachable(defaults, outsider, 'edge', 'http')).toBe(true);
    for (const component of Object.keys(grpcPorts)) {
      expect(reachable(defaults, outsider, component, 'grpc')).toBe(false);
      expect(reachable(defaults, neighbour, component, 'grpc')).toBe(false);
      expect(reachable(defaults, outsider, component, 'metrics')).toBe(false);
    }
  });

  it('lets only the edge reach each gRPC service', () => {
    for (const component of Object.keys(grpcPorts)) {
      expect(reachable(defaults, pod('edge'), component, 'grpc')).toBe(true);
      for (const other of Object.keys(grpcPorts)) expect(reachable(defaults, pod(other), component, 'grpc')).toBe(false);
    }
  });

  it('in production, the edge only from the Ingress controller, metrics only from monitoring', () => {
    const ingressController = { labels: { 'app.kubernetes.io/name': 'ingress-nginx' }, namespace: 'ingress-nginx' };
    const prometheus = { labels: { app: 'prometheus' }, namespace: 'monitoring' };
    expect(reachable(prod, ingressController, 'edge', 'http')).toBe(true);
    expect(reachable(prod, outsider, 'edge', 'http')).toBe(false);
    expect(reachable(prod, ingressController, 'chat', 'grpc')).toBe(false);
    for (const component of components) {
      expect(reachable(prod, prometheus, component, 'metrics')).toBe(true);
      expect(reachable(prod, outsider, component, 'metrics')).toBe(false);
    }
    // The chart's own test pod still reaches the edge.
    const testPod = ofKind(prod, 'Pod').find((p) => p.metadata.name.endsWith('edge-ready'));
    expect(reachable(prod, { labels: testPod!.metadata.labels!, namespace: 'apitopmix' }, 'edge', 'http')).toBe(true);
  });

  it('in production, egress is limited to DNS, the edge to its gRPC peers, and the listed destinations', () => {
    const edge = named(prod, 'NetworkPolicy', 'edge');
    expect(edge.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    const toPeers = edge.spec.egress.filter((rule: { to?: { podSelector?: object }[] }) => rule.to?.some((peer) => peer.podSelector));
    expect(toPeers.map((rule: { ports: { port: number }[] }) => rule.ports[0].port).sort()).toEqual(Object.values(grpcPorts).sort());
    const chat = named(prod, 'NetworkPolicy', 'chat');
    expect(chat.spec.egress.some((rule: { to?: { podSelector?: object }[] }) => rule.to?.some((peer) => peer.podSelector))).toBe(false);
  });

  it('are all off with networkPolicy.enabled=false', () => {
    expect(ofKind(render({ 'networkPolicy.enabled': false }), 'NetworkPolicy')).toEqual([]);
  });
});

describe('the migrations Job', () => {
  const job = named(defaults, 'Job', 'migrations');

  it('runs prisma migrate deploy as a pre-install and pre-upgrade hook, before everything else', () => {
    expect(job.metadata.annotations).toMatchObject({
      'helm.sh/hook': 'pre-install,pre-upgrade',
      'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
    });
    expect(Number(job.metadata.annotations!['helm.sh/hook-weight'])).toBeLessThan(0);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(job.spec.template.spec.containers[0].image).toBe('ghcr.io/apitopmix/migrations:0.1.0');
    expect(job.spec.activeDeadlineSeconds).toBeGreaterThan(0);
  });

  it('reads DATABASE_URL from the existing database Secret', () => {
    const env = job.spec.template.spec.containers[0].env;
    expect(env.find((e: { name: string }) => e.name === 'DATABASE_URL').valueFrom.secretKeyRef).toEqual({ name: 'apitopmix-database', key: 'DATABASE_URL' });
  });

  it('is left out with migrations.enabled=false', () => {
    expect(ofKind(render({ 'migrations.enabled': false }), 'Job')).toEqual([]);
  });
});

describe('the Ingress', () => {
  it('is off by default', () => {
    expect(ofKind(defaults, 'Ingress')).toEqual([]);
  });

  it('sends every host to the edge Service, and the media URLs use its base URL', () => {
    const objects = render({ 'ingress.enabled': true, 'ingress.tls': [{ secretName: 'tls', hosts: ['api.apitopmix.example'] }] });
    const [ingress] = ofKind(objects, 'Ingress');
    const edgeService = named(objects, 'Service', 'edge');
    expect(ingress.spec.rules[0].http.paths[0].backend.service).toEqual({ name: edgeService.metadata.name, port: { name: 'http' } });
    const env = named(objects, 'Deployment', 'edge').spec.template.spec.containers[0].env;
    expect(env.find((e: { name: string }) => e.name === 'PUBLIC_BASE_URL').value).toBe('https://api.apitopmix.example');
  });

  it('has TLS in production', () => {
    const [ingress] = ofKind(prod, 'Ingress');
    expect(ingress.spec.tls[0].hosts).toEqual(['api.apitopmix.example']);
  });
});

describe('secrets', () => {
  const envOf = (objects: K8sObject[], component: string) => named(objects, 'Deployment', component).spec.template.spec.containers[0].env;
  const secretRef = (objects: K8sObject[], component: string, name: string) =>
    envOf(objects, component).find((e: { name: string }) => e.name === name)?.valueFrom?.secretKeyRef;

  it('the chart creates no Secret: every secret comes from an existing one', () => {
    expect(ofKind(defaults, 'Secret')).toEqual([]);
    expect(ofKind(prod, 'Secret')).toEqual([]);
  });

  it('provider keys reach only the services that call providers, each key optional', () => {
    for (const component of ['chat', 'embeddings', 'media-jobs']) {
      expect(secretRef(defaults, component, 'OPENAI_API_KEY')).toEqual({ name: 'apitopmix-providers', key: 'OPENAI_API_KEY', optional: true });
    }
    expect(secretRef(defaults, 'media-jobs', 'XAI_API_KEY')).toMatchObject({ name: 'apitopmix-providers', optional: true });
    expect(secretRef(defaults, 'chat', 'XAI_API_KEY')).toBeUndefined();
    for (const component of ['edge', 'billing', 'rate-limit']) {
      expect(envOf(defaults, component).filter((e: { name: string }) => e.name.endsWith('_API_KEY'))).toEqual([]);
    }
    expect(secretRef(prod, 'chat', 'OPENAI_API_KEY_EU')).toEqual({ name: 'apitopmix-providers', key: 'OPENAI_API_KEY_EU', optional: true });
  });

  it('DATABASE_URL, MEDIA_URL_SIGNING_KEY and ADMIN_TOKEN come from Secrets; the signing key is required, the token optional', () => {
    for (const component of ['edge', 'billing', 'media-jobs'])
      expect(secretRef(defaults, component, 'DATABASE_URL')).toEqual({ name: 'apitopmix-database', key: 'DATABASE_URL' });
    expect(secretRef(defaults, 'edge', 'MEDIA_URL_SIGNING_KEY')).toEqual({ name: 'apitopmix-edge', key: 'MEDIA_URL_SIGNING_KEY' });
    expect(secretRef(defaults, 'edge', 'ADMIN_TOKEN')).toEqual({ name: 'apitopmix-edge', key: 'ADMIN_TOKEN', optional: true });
    expect(secretRef(prod, 'rate-limit', 'REDIS_URL')).toEqual({ name: 'apitopmix-redis', key: 'REDIS_URL' });
  });

  it('no secret-looking variable carries a literal value', () => {
    for (const objects of [defaults, prod]) {
      for (const workload of [...ofKind(objects, 'Deployment'), ...ofKind(objects, 'Job')]) {
        for (const entry of workload.spec.template.spec.containers[0].env as { name: string; value?: string }[]) {
          if (/(_API_KEY|TOKEN|SIGNING_KEY|PASSWORD|DATABASE_URL)/.test(entry.name)) expect({ [entry.name]: entry.value }).toEqual({ [entry.name]: undefined });
        }
      }
    }
  });
});

describe('external endpoints and telemetry', () => {
  it('points every service at the configured Postgres, Redis and Kafka', () => {
    const env = (component: string) =>
      Object.fromEntries(
        named(prod, 'Deployment', component).spec.template.spec.containers[0].env.map((e: { name: string; value?: string }) => [e.name, e.value]),
      );
    expect(env('billing').KAFKA_BROKERS).toBe('kafka-0.kafka.data.svc:9092,kafka-1.kafka.data.svc:9092,kafka-2.kafka.data.svc:9092');
    expect(env('edge').CHAT_GRPC_URL).toBe('apitopmix-chat:50051');
    expect(env('chat').CHAT_GRPC_URL).toBe('0.0.0.0:50051');
  });

  it('exports traces to the OTLP endpoint only when one is set', () => {
    const otlp = (objects: K8sObject[], component: string) =>
      named(objects, 'Deployment', component).spec.template.spec.containers[0].env.find((e: { name: string }) => e.name === 'OTEL_EXPORTER_OTLP_ENDPOINT')
        ?.value;
    for (const component of components) {
      expect(otlp(defaults, component)).toBeUndefined();
      expect(otlp(prod, component)).toBe('http://otel-collector.observability.svc:4318');
    }
  });

  it('mounts the routing configuration where chat, embeddings and media-jobs read it', () => {
    const [configMap] = ofKind(prod, 'ConfigMap');
    const routing = routingConfigSchema.safeParse(JSON.parse(configMap.data['routing.json']));
    expect(routing.success ? routing.data.deployments.map((d) => d.name) : routing.error.issues).toEqual(['openai-us', 'openai-eu', 'anthropic', 'gemini']);
    for (const component of spooling) {
      const pod = named(prod, 'Deployment', component).spec.template.spec;
      const file = pod.containers[0].env.find((e: { name: string }) => e.name === 'ROUTING_CONFIG_FILE').value;
      const mount = pod.containers[0].volumeMounts.find((m: { name: string }) => m.name === 'routing');
      expect(file.startsWith(`${mount.mountPath}/`)).toBe(true);
      expect(pod.volumes.find((v: { name: string }) => v.name === 'routing').configMap.name).toBe(configMap.metadata.name);
    }
    expect(ofKind(defaults, 'ConfigMap')).toEqual([]);
  });
});

describe('chart tests (helm test)', () => {
  it('check the edge, and with network policies that a non-edge pod cannot reach a gRPC service', () => {
    const tests = ofKind(defaults, 'Pod');
    expect(tests.map((p) => p.metadata.annotations!['helm.sh/hook'])).toEqual(['test', 'test']);
    const isolation = tests.find((p) => p.metadata.name.endsWith('grpc-isolation'))!;
    for (const port of Object.values(grpcPorts)) expect(isolation.spec.containers[0].args[0]).toContain(` ${port}; then`);
    expect(ofKind(render({ 'networkPolicy.enabled': false }), 'Pod')).toHaveLength(1);
    for (const pod of tests) expect(pod.spec.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true });
  });
});

describe('values.schema.json', () => {
  it('refuses unknown keys and a missing Redis', () => {
    expect(() => render({ 'edge.replicas': 3 })).toThrow(/additional properties 'replicas' not allowed/);
    expect(() => render({ 'redis.url': '' })).toThrow(/redis/);
  });
});

describe('the validators themselves', () => {
  const validate = createValidator(ensureSchemas());
  const deployment = () => structuredClone(named(defaults, 'Deployment', 'chat'));

  it('refuses an unknown field, a wrong type and an unknown kind', () => {
    const unknownField = deployment();
    unknownField.spec.template.spec.containers[0].readinessprobe = {};
    expect(validate(unknownField)).toEqual([expect.stringContaining('must NOT have additional properties "readinessprobe"')]);
    const wrongType = deployment();
    wrongType.spec.template.spec.terminationGracePeriodSeconds = 'soon';
    expect(validate(wrongType).join()).toContain('terminationGracePeriodSeconds: must be integer');
    expect(validate({ apiVersion: 'apps/v1beta1', kind: 'Deployment', metadata: { name: 'x' } })).toEqual([expect.stringContaining('unknown apiVersion/kind')]);
    expect(validate(deployment())).toEqual([]);
  });

  it('the Dockerfile lint refuses an unpinned, single-stage, root image', () => {
    expect(lintDockerfile('FROM node:latest\nADD https://example.com/x /x\nRUN npm install\nCMD node main.js\n')).toEqual([
      'line 1: base image node:latest is not pinned to a version',
      'line 2: ADD of a URL: download in a RUN step with a checksum, or COPY',
      'line 3: use `npm ci` (the lockfile), not `npm install`',
      'line 4: CMD in shell form: use the exec form ["node", ...] so the process gets signals',
      'single-stage build: build in one stage, copy the output into a small runtime stage',
      'the final stage sets no USER: it would run as root',
    ]);
    const good =
      'FROM node:20.20.2-bookworm-slim AS build\nRUN true\nFROM build AS deps\nFROM node:20.20.2-bookworm-slim\nUSER 1000:1000\nENTRYPOINT ["node", "main.js"]\n';
    expect(lintDockerfile(good)).toEqual([]);
    expect(lintDockerfile(good.replace('USER 1000:1000', 'USER node'))).toEqual([
      'line 5: USER node is not numeric: Kubernetes cannot verify runAsNonRoot for a name',
    ]);
  });
});
