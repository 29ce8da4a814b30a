// deploy/k8s and the Dockerfile, checked without a cluster or container engine: Kubernetes schemas, then the facts a deployment relies on.
import { readFileSync, readdirSync } from 'node:fs';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { join, relative } from 'node:path';
import { BUILD_OPTIONS, ROOT } from '../../scripts/build.mjs';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '../../src/config.ts';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

// ---------------------------------------------------------------------------------------------------------------
// The manifests, each validated against its Kubernetes schema by kubernetes-models
// ---------------------------------------------------------------------------------------------------------------

/**
 * Every kind the manifests may use, by apiVersion and kind, with the model that validates it. The models check types,
 * required fields, enums and formats (quantities, ports) but ignore unknown fields, so a misspelt key would pass:
 * the tests below therefore read every field that matters by its exact path.
 */
const MODELS = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
} as const;

interface Manifest {
  file: string;
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

const K8S_DIR = 'deploy/k8s/';
const files = readdirSync(new URL(K8S_DIR, root)).filter((name) => name.endsWith('.yaml'));
const kustomization = parseAllDocuments(read(`${K8S_DIR}kustomization.yaml`))[0]?.toJS() as {
  resources: string[];
  images: { name: string; newName: string; newTag: string }[];
};
const manifests: Manifest[] = files
  .filter((file) => file !== 'kustomization.yaml')
  .flatMap((file) =>
    parseAllDocuments(read(`${K8S_DIR}${file}`)).map((document) => {
      expect(document.errors.map(String), file).toEqual([]);
      return { ...(document.toJS() as Omit<Manifest, 'file'>), file } as Manifest;
    }),
  );

function one<T>(kind: string, name: string): T {
  const found = manifests.filter((m) => m.kind === kind && m.metadata.name === name);
  expect(found, `${kind} ${name}`).toHaveLength(1);
  return found[0] as T;
}

type Labels = Record<string, string>;
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Probe {
  httpGet?: { path: string; port: string | number; httpHeaders?: { name: string; value: string }[] };
  tcpSocket?: { port: string | number };
  exec?: { command: string[] };
}
interface Container {
  name: string;
  image: string;
  args?: string[];
  ports: { name: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string } }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { runAsNonRoot?: boolean; readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean; capabilities?: { drop?: string[] } };
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
  containers: Container[];
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; runAsGroup?: number };
  automountServiceAccountToken?: boolean;
  terminationGracePeriodSeconds?: number;
  topologySpreadConstraints?: { topologyKey: string; labelSelector: { matchLabels: Labels } }[];
  volumes?: { name: string; emptyDir?: { medium?: string; sizeLimit?: string } }[];
}
interface Workload extends Manifest {
  spec: { replicas: number; serviceName?: string; selector: { matchLabels: Labels }; template: { metadata: { labels: Labels }; spec: PodSpec } };
}
interface ServiceManifest extends Manifest {
  spec: { selector: Labels; clusterIP?: string; ports: { name: string; port: number; targetPort: string | number }[] };
}

const deployment = one<Workload>('Deployment', 'bird-graphql');
const pod = deployment.spec.template.spec;
const server = pod.containers[0] as Container;
const service = one<ServiceManifest>('Service', 'bird-graphql');
const redis = one<Workload>('StatefulSet', 'bird-graphql-redis');
const redisService = one<ServiceManifest>('Service', 'bird-graphql-redis');
const configMap = one<Manifest & { data: Record<string, string> }>('ConfigMap', 'bird-graphql');
const secret = one<Manifest & { stringData: Record<string, string> }>('Secret', 'bird-graphql');

const selects = (selector: Labels, labels: Labels) => Object.entries(selector).every(([key, value]) => labels[key] === value);

describe('Kubernetes manifests (deploy/k8s) against the Kubernetes schemas', () => {
  it('every document is a known kind and valid against its schema', () => {
    expect(manifests.map((m) => `${m.kind} ${m.metadata.name}`).sort()).toEqual([
      'ConfigMap bird-graphql',
      'Deployment bird-graphql',
      'NetworkPolicy bird-graphql-redis',
      'PodDisruptionBudget bird-graphql',
      'Secret bird-graphql',
      'Service bird-graphql',
      'Service bird-graphql-redis',
      'StatefulSet bird-graphql-redis',
    ]);
    for (const { file, ...manifest } of manifests) {
      const Model = MODELS[`${manifest.apiVersion}/${manifest.kind}` as keyof typeof MODELS];
      expect(Model, `${file}: ${manifest.apiVersion} ${manifest.kind}`).toBeDefined();
      const model = new Model(manifest as never);
      expect(() => model.validate(), `${file}: ${manifest.kind} ${manifest.metadata.name}`).not.toThrow();
    }
  });

  it('the schema check bites: a wrong type or a malformed quantity is refused', () => {
    const broken = structuredClone(deployment) as unknown as Workload;
    (broken.spec as { replicas: unknown }).replicas = 'two';
    expect(() => new Deployment(broken as never).validate()).toThrow(/replicas must be integer/);
    const badQuantity = structuredClone(deployment) as unknown as Workload;
    (badQuantity.spec.template.spec.containers[0] as Container).resources = { limits: { memory: '512 MB' } };
    expect(() => new Deployment(badQuantity as never).validate()).toThrow(/memory/);
  });

  it('kustomization.yaml lists every manifest file and names the server image', () => {
    expect([...kustomization.resources].sort()).toEqual(files.filter((file) => file !== 'kustomization.yaml').sort());
    expect(kustomization.images.map((image) => image.name)).toEqual([server.image]);
  });
});

describe('the server Deployment', () => {
  it('runs 2 replicas, spread over machines, replaced one at a time with no capacity lost', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec).toMatchObject({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } });
    const keys = (pod.topologySpreadConstraints ?? []).map((constraint) => constraint.topologyKey);
    expect(keys).toContain('kubernetes.io/hostname');
    for (const constraint of pod.topologySpreadConstraints ?? []) expect(selects(constraint.labelSelector.matchLabels, deployment.spec.template.metadata.labels)).toBe(true);
    const budget = one<Manifest & { spec: { minAvailable: number; selector: { matchLabels: Labels } } }>('PodDisruptionBudget', 'bird-graphql');
    expect(budget.spec.minAvailable).toBe(1);
    expect(selects(budget.spec.selector.matchLabels, deployment.spec.template.metadata.labels)).toBe(true);
  });

  it('serves /metrics on a port of its own, where a scraper reaching the pod by IP is not refused by the Host check', () => {
    expect(configMap.data.METRICS_PORT).toBe('9464');
    expect((deployment.spec.template.metadata as { annotations?: Record<string, string> }).annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': configMap.data.METRICS_PORT });
  });

  it('probes /health for liveness (and start-up) and /ready for readiness, on the server port', () => {
    expect(server.livenessProbe?.httpGet).toMatchObject({ path: '/health', port: 'http' });
    expect(server.startupProbe?.httpGet).toMatchObject({ path: '/health', port: 'http' });
    expect(server.readinessProbe?.httpGet).toMatchObject({ path: '/ready', port: 'http' });
    expect(server.ports).toEqual([
      { name: 'http', containerPort: 4000, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9464, protocol: 'TCP' },
    ]);
    expect(configMap.data.PORT).toBe('4000');
    // The probes name the Service host, which ALLOWED_HOSTS admits (a kubelet would otherwise send the pod IP).
    for (const probe of [server.livenessProbe, server.readinessProbe, server.startupProbe]) {
      const host = probe?.httpGet?.httpHeaders?.find((header) => header.name === 'Host')?.value;
      expect(host).toBe(service.metadata.name);
      expect(configMap.data.ALLOWED_HOSTS?.split(',')).toContain(host);
    }
  });

  it('runs as a non-root user on a read-only root filesystem, with a writable /tmp for upload spooling', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000 });
    expect(server.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(pod.automountServiceAccountToken).toBe(false);
    const tmp = server.volumeMounts?.find((mount) => mount.mountPath === '/tmp');
    expect(tmp).toBeDefined();
    const volume = pod.volumes?.find((v) => v.name === tmp?.name);
    // On disk (no `medium: Memory`): uploads of up to 100 MiB must not count as RAM.
    expect(volume?.emptyDir).toEqual({ sizeLimit: '1Gi' });
  });

  it('has CPU and memory requests and limits, and room for the spool within its ephemeral-storage limit', () => {
    expect(Object.keys(server.resources?.requests ?? {}).sort()).toEqual(['cpu', 'ephemeral-storage', 'memory']);
    expect(Object.keys(server.resources?.limits ?? {}).sort()).toEqual(['cpu', 'ephemeral-storage', 'memory']);
    const mebibytes = (quantity: string) => Number(/^(\d+)(Mi|Gi)$/.exec(quantity)?.[1]) * (quantity.endsWith('Gi') ? 1024 : 1);
    expect(mebibytes(server.resources?.limits?.['ephemeral-storage'] ?? '')).toBeGreaterThan(mebibytes(pod.volumes?.[0]?.emptyDir?.sizeLimit ?? ''));
  });

  it('gives requests in flight time to finish: preStop pause + SHUTDOWN_TIMEOUT_MS < terminationGracePeriodSeconds', () => {
    const pause = Number(server.lifecycle?.preStop?.exec?.command[1]);
    expect(server.lifecycle?.preStop?.exec?.command[0]).toBe('sleep');
    expect(pause * 1000 + Number(configMap.data.SHUTDOWN_TIMEOUT_MS)).toBeLessThan((pod.terminationGracePeriodSeconds ?? 30) * 1000);
  });

  it('is selected by its Service and PDB, and by nothing meant for Redis', () => {
    const labels = deployment.spec.template.metadata.labels;
    expect(selects(deployment.spec.selector.matchLabels, labels)).toBe(true);
    expect(selects(service.spec.selector, labels)).toBe(true);
    expect(selects(service.spec.selector, redis.spec.template.metadata.labels)).toBe(false);
    expect(service.spec.ports).toEqual([{ name: 'http', port: 4000, targetPort: 'http', protocol: 'TCP' }]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Configuration: what the container's environment comes to, and src/config.ts's verdict on it
// ---------------------------------------------------------------------------------------------------------------

/** Settings other parts of the server add (live updates, hardening); each is named in the README notes. */
const SETTINGS_ADDED_ELSEWHERE = ['REDIS_URL', 'WEBHOOK_SIGNING_KEY', 'ROUTER_SECRET', 'ALLOWED_HOSTS'];
/** Set only to compose another value (REDIS_URL), never read by the server. */
const COMPOSITION_ONLY = ['REDIS_PASSWORD'];
const SECRET_SETTINGS = ['BIRD_ACCESS_KEY', 'MEDIA_LINK_SECRET', 'WEBHOOK_SIGNING_KEY', 'ROUTER_SECRET', 'REDIS_PASSWORD'];

/** The server container's environment as the kubelet builds it: envFrom, then env with $(VAR) expanded. */
function containerEnv(secretValues: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of server.envFrom ?? []) {
    expect(source.configMapRef?.name).toBe(configMap.metadata.name);
    Object.assign(env, configMap.data);
  }
  for (const variable of server.env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef;
    if (ref) {
      expect(ref.name).toBe(secret.metadata.name);
      expect(Object.keys(secretValues)).toContain(ref.key);
      env[variable.name] = secretValues[ref.key] as string;
    } else {
      env[variable.name] = (variable.value ?? '').replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string) => env[name] ?? whole);
    }
  }
  return env;
}

const filled = {
  BIRD_ACCESS_KEY: 'test-access-key-0123456789',
  MEDIA_LINK_SECRET: 'm'.repeat(48),
  WEBHOOK_SIGNING_KEY: 'w'.repeat(64),
  ROUTER_SECRET: 'r'.repeat(64),
  REDIS_PASSWORD: 'p'.repeat(64),
};
const ORGANIZATION = '5f3c2a10-8d4e-4b6f-9a1c-0e7d2b4c6a80';

describe('the server configuration in the manifests', () => {
  it('keeps the keys in the Secret, not in the ConfigMap or inline, and commits only placeholders', () => {
    expect(Object.keys(secret.stringData).sort()).toEqual([...SECRET_SETTINGS].sort());
    for (const name of SECRET_SETTINGS) expect(configMap.data[name], name).toBeUndefined();
    for (const variable of server.env ?? []) if (SECRET_SETTINGS.includes(variable.name)) expect(variable.valueFrom?.secretKeyRef?.key).toBe(variable.name);
    for (const [key, value] of Object.entries(secret.stringData)) expect(value, key).toMatch(/^<[^<>]+>$/);
  });

  it('sets only settings the server reads', () => {
    const readByConfig = new Set([...read('src/config.ts').matchAll(/'([A-Z][A-Z0-9_]+)'/g)].map((match) => match[1]));
    const set = Object.keys(containerEnv(filled));
    expect(set.filter((name) => !readByConfig.has(name) && !SETTINGS_ADDED_ELSEWHERE.includes(name) && !COMPOSITION_ONLY.includes(name))).toEqual([]);
    expect(set).toEqual(expect.arrayContaining(['PUBLIC_URL', 'REDIS_URL', 'BIRD_ACCESS_KEY', 'MEDIA_LINK_SECRET', 'WEBHOOK_SIGNING_KEY', 'ROUTER_SECRET']));
  });

  it('filled in, boots in production mode on 0.0.0.0:4000 with the shared media secret and the public URL', () => {
    const env = { ...containerEnv(filled), BIRD_ORGANIZATION_ID: ORGANIZATION };
    const config = loadConfig(env);
    expect(config).toMatchObject({ production: true, demo: false, host: '0.0.0.0', port: 4000, publicUrl: 'https://graphql.example.com' });
    expect(config.media.linkSecret).toBe(filled.MEDIA_LINK_SECRET);
    expect(config.bird.accessKey).toBe(filled.BIRD_ACCESS_KEY);
    expect(config.shutdownTimeoutMs).toBe(20_000);
    expect(config.metricsPort).toBe(9464);
  });

  it('unfilled, refuses to boot and names every placeholder the server validates', () => {
    const env = containerEnv(secret.stringData);
    const message = (() => {
      try {
        loadConfig(env);
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    for (const name of ['BIRD_ACCESS_KEY', 'BIRD_ORGANIZATION_ID', 'MEDIA_LINK_SECRET']) expect(message).toContain(name);
    // The placeholder values themselves never appear in the message (secrets are not echoed).
    expect(message).not.toContain(secret.stringData.MEDIA_LINK_SECRET);
  });

  it('REDIS_URL points at the Redis Service with the password from the Secret', () => {
    const url = new URL(containerEnv(filled).REDIS_URL ?? '');
    expect(url.protocol).toBe('redis:');
    expect(url.hostname).toBe(redisService.metadata.name);
    expect(Number(url.port)).toBe(redisService.spec.ports[0]?.port);
    expect(url.password).toBe(filled.REDIS_PASSWORD);
  });
});

describe('the Redis the replicas share', () => {
  const container = redis.spec.template.spec.containers[0] as Container;

  it('is a single password-protected instance with an append-only file on a persistent volume', () => {
    expect(redis.spec.replicas).toBe(1);
    expect(redis.spec.serviceName).toBe(redisService.metadata.name);
    expect(redisService.spec.clusterIP).toBe('None');
    expect(selects(redisService.spec.selector, redis.spec.template.metadata.labels)).toBe(true);
    expect(container.args?.slice(0, 2)).toEqual(['--requirepass', '$(REDIS_PASSWORD)']);
    expect(container.env?.find((v) => v.name === 'REDIS_PASSWORD')?.valueFrom?.secretKeyRef).toEqual({ name: secret.metadata.name, key: 'REDIS_PASSWORD' });
    expect(container.args?.join(' ')).toContain('--appendonly yes --dir /data');
    expect(container.volumeMounts).toEqual([{ name: 'data', mountPath: '/data' }]);
    expect(redis.spec).toMatchObject({ volumeClaimTemplates: [{ metadata: { name: 'data' } }] });
  });

  it('runs as non-root on a read-only root filesystem, reachable only from the server pods', () => {
    expect(redis.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999 });
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(container.readinessProbe?.exec?.command).toEqual(['redis-cli', 'ping']);
    const policy = one<Manifest & { spec: { podSelector: { matchLabels: Labels }; ingress: { from: { podSelector: { matchLabels: Labels } }[] }[] } }>(
      'NetworkPolicy',
      'bird-graphql-redis',
    );
    expect(selects(policy.spec.podSelector.matchLabels, redis.spec.template.metadata.labels)).toBe(true);
    const from = policy.spec.ingress.flatMap((rule) => rule.from.map((peer) => peer.podSelector.matchLabels));
    expect(from.every((labels) => selects(labels, deployment.spec.template.metadata.labels))).toBe(true);
    expect(from.some((labels) => selects(labels, redis.spec.template.metadata.labels))).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The Dockerfile
// ---------------------------------------------------------------------------------------------------------------

interface Instruction {
  keyword: string;
  args: string;
}
interface Stage {
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** Dockerfile instructions by stage (comments dropped, `\` continuations joined); enough for the facts below. */
function parseDockerfile(text: string): { args: Record<string, string>; stages: Stage[] } {
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const [, keyword = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(trimmed) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), args: rest.replace(/\s+/g, ' ') };
    if (instruction.keyword === 'FROM') {
      const [, from = '', name] = /^(\S+)(?: AS (\S+))?$/i.exec(instruction.args) ?? [];
      stages.push({ from, name, instructions: [] });
    } else if (stages.length === 0 && instruction.keyword === 'ARG') {
      const [name = '', value = ''] = instruction.args.split('=');
      args[name] = value;
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return { args, stages };
}

describe('the Dockerfile', () => {
  const { args, stages } = parseDockerfile(read('Dockerfile'));
  const runtime = stages.at(-1) as Stage;
  const all = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
  const stageNamed = (name: string) => stages.find((stage) => stage.name === name) as Stage;

  it('is multi-stage: build (npm ci, npm run build), deps (production only), runtime (copies, runs nothing)', () => {
    expect(stages.map((stage) => stage.name)).toEqual(['build', 'deps', 'runtime']);
    expect(all(stageNamed('build'), 'RUN')).toEqual([expect.stringMatching(/npm ci\b(?!.*--omit)/), 'npm run build']);
    expect(all(stageNamed('deps'), 'RUN')).toEqual([expect.stringMatching(/npm ci --omit=dev\b/)]);
    expect(all(runtime, 'RUN')).toEqual([]);
    expect(all(runtime, 'COPY')).toEqual(expect.arrayContaining(['--from=deps /app/node_modules ./node_modules', '--from=build /app/dist ./dist']));
  });

  it('builds from one pinned Node image that engines admits', () => {
    expect(new Set(stages.map((stage) => stage.from))).toEqual(new Set(['${NODE_IMAGE}']));
    const image = args.NODE_IMAGE ?? '';
    const [, version = ''] = /^node:(\d+\.\d+\.\d+)-[a-z]+-slim$/.exec(image) ?? [];
    expect(version, image).not.toBe('');
    const { engines } = JSON.parse(read('package.json')) as { engines: { node: string } };
    const major = Number(version.split('.')[0]);
    expect([22, 24]).toContain(major);
    expect(engines.node).toContain(`${major === 22 ? '^22.' : '>=24'}`);
  });

  it('runs `node dist/server.mjs`, the file `npm run build` writes, as a numeric non-root user', () => {
    expect(all(runtime, 'CMD')).toEqual(['["node", "dist/server.mjs"]']);
    const { scripts } = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(scripts.build).toBe('node scripts/build.mjs');
    expect(relative(ROOT, BUILD_OPTIONS.outfile)).toBe(join('dist', 'server.mjs'));
    const users = all(runtime, 'USER');
    expect(users).toHaveLength(1);
    const [uid, gid] = (users[0] ?? '').split(':').map(Number);
    expect(uid).toBeGreaterThan(0);
    expect(gid).toBeGreaterThan(0);
    // The Deployment runs as the same user, so runAsNonRoot is checked against the number.
    expect(pod.securityContext).toMatchObject({ runAsUser: uid, runAsGroup: gid });
    // USER comes before CMD and after every COPY: nothing the process runs is owned by it.
    const order = runtime.instructions.map((i) => i.keyword);
    expect(order.indexOf('USER')).toBeGreaterThan(order.lastIndexOf('COPY'));
  });

  it('listens where the Deployment looks: production, 0.0.0.0, port 4000, health on /health', () => {
    const env = all(runtime, 'ENV').join(' ');
    expect(env).toContain('NODE_ENV=production');
    expect(env).toContain('HOST=0.0.0.0');
    expect(env).toContain('PORT=4000');
    expect(all(runtime, 'EXPOSE')).toEqual([String(server.ports[0]?.containerPort)]);
    expect(all(runtime, 'HEALTHCHECK').join(' ')).toContain('/health');
  });

  it('sends the builder only what it copies (.dockerignore is an allowlist)', () => {
    const ignore = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    expect(ignore[0]).toBe('*');
    const allowed = ignore.filter((line) => line.startsWith('!')).map((line) => line.slice(1).replace(/\/$/, ''));
    const copied = stages.flatMap((stage) =>
      all(stage, 'COPY')
        .filter((copy) => !copy.startsWith('--from='))
        .flatMap((copy) => copy.split(' ').slice(0, -1)),
    );
    expect(copied.length).toBeGreaterThan(0);
    expect(copied.filter((path) => !allowed.includes(path.replace(/\/$/, '')))).toEqual([]);
    expect(ignore).toEqual(expect.arrayContaining(['**/.env', '**/.env.*']));
  });
});
