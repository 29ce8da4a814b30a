# syntax=docker/dockerfile:1
# The production image: bundle with the full dependency tree, then run `node dist/server.mjs` as a non-root user on
# production dependencies only. Build: docker build -t bird-graphql . (README "Container image and Kubernetes").

# One pinned base for every stage; override with --build-arg NODE_IMAGE=node:<version>-bookworm-slim@sha256:<digest>
# to pin by digest. The Node line must be one that package.json `engines` admits (22.17+ or 24).
ARG NODE_IMAGE=node:22.23.5-bookworm-slim

# ---- build: every dependency (esbuild is a devDependency), then the bundle -------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/build.mjs ./scripts/
COPY src ./src
RUN npm run build

# ---- deps: production dependencies only (no install scripts among them; allowScripts covers the rest) ----------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund

# ---- runtime: the bundle, production node_modules, nothing else -------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000
WORKDIR /app
# Owned by root and read-only to the server's user: the process cannot rewrite its own code.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json persisted-operations.json ./
# The base image's `node` user, by number: Kubernetes' runAsNonRoot can verify a numeric user, not a name. Uploads
# spool to /tmp (os.tmpdir()), the only place the server writes.
USER 1000:1000
EXPOSE 4000
# For docker and compose (Kubernetes uses its own probes on /health and /ready, deploy/k8s/server.yaml).
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node itself is PID 1: the server handles SIGTERM (drains requests in flight, SHUTDOWN_TIMEOUT_MS) and spawns no
# children, so no init process is needed.
CMD ["node", "dist/server.mjs"]
