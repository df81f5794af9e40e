# syntax=docker/dockerfile:1.7
# One image recipe for the whole product; SERVICE picks which image (default: api).
# Build context is the repository root (npm workspaces):
#   docker build --build-arg SERVICE=api     -t todo-api .
#   docker build --build-arg SERVICE=workers -t todo-workers .
#   docker build --build-arg SERVICE=socket  -t todo-socket .
#   docker build --build-arg SERVICE=client  -t todo-client .
# manifests:   every workspace manifest and the lockfile (npm resolves the workspace tree from
#              the lockfile, so every manifest is needed before any npm ci).
# build:       installs what the compiler needs for the three Node services (one cached layer
#              they share), compiles the shared workspaces, then the chosen service.
# deps:        production dependencies of the chosen service only (no dev tools, no scripts).
# runtime:     node + those node_modules + compiled dist, run as the unprivileged node user.
# service-*:   what differs per service: its port and the environment its image defaults to.
# client-build, service-client: the Angular build, served by nginx (ADR 012).
# Why one file: docs/decisions/130-shared-platform-package.md.
ARG NODE_IMAGE=node:22.21.1-bookworm-slim
ARG NGINX_IMAGE=nginxinc/nginx-unprivileged:1.29.3-alpine
ARG SERVICE=api

FROM ${NODE_IMAGE} AS manifests
ARG SERVICE
WORKDIR /app
# A typo in SERVICE fails here with a clear message rather than as a missing stage.
RUN case "$SERVICE" in api|workers|socket|client) ;; \
      *) echo "SERVICE must be api, workers, socket or client, not '$SERVICE'" >&2; exit 1 ;; esac
# Manifests first: the dependency layers stay cached until a manifest or the lockfile changes.
COPY package.json package-lock.json .npmrc tsconfig.base.json ./
COPY contracts/package.json contracts/
COPY language/package.json language/
COPY platform/package.json platform/
COPY api/package.json api/
COPY workers/package.json workers/
COPY socket/package.json socket/
COPY client/package.json client/
COPY ops/package.json ops/

FROM manifests AS build
ARG SERVICE
RUN npm ci --no-audit --no-fund --ignore-scripts \
      --workspace @todo/contracts --workspace @todo/language --workspace @todo/platform \
      --workspace @todo/api --workspace @todo/workers --workspace @todo/socket \
      --include-workspace-root
COPY contracts/ contracts/
COPY language/ language/
COPY platform/ platform/
RUN npm run build -w @todo/contracts && npm run build -w @todo/language \
    && npm run build -w @todo/platform
COPY ${SERVICE}/ ${SERVICE}/
RUN npm run build -w "@todo/${SERVICE}"

FROM ${NODE_IMAGE} AS deps
ARG SERVICE
WORKDIR /app
# Only the manifests of what runs: npm tolerates the other workspace folders being absent, and
# leaving out ops/ (dev tooling: embedded PostgreSQL, ~60 MB) keeps its dependencies out too.
COPY --from=build /app/package.json /app/package-lock.json /app/.npmrc ./
COPY --from=build /app/contracts/package.json contracts/
COPY --from=build /app/language/package.json language/
COPY --from=build /app/platform/package.json platform/
COPY --from=build /app/${SERVICE}/package.json ${SERVICE}/
# Versions that conflict with the hoisted ones land in <workspace>/node_modules: keep both.
RUN npm ci --no-audit --no-fund --ignore-scripts --omit=dev \
      --workspace @todo/contracts --workspace @todo/language --workspace @todo/platform \
      --workspace "@todo/${SERVICE}" \
    && mkdir -p contracts/node_modules language/node_modules platform/node_modules \
      "${SERVICE}/node_modules" \
    && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules node_modules
COPY --from=deps /app/contracts/node_modules contracts/node_modules
COPY --from=deps /app/language/node_modules language/node_modules
COPY --from=deps /app/platform/node_modules platform/node_modules
COPY --from=deps /app/${SERVICE}/node_modules ${SERVICE}/node_modules
COPY --from=build /app/package.json ./
COPY --from=build /app/contracts/package.json contracts/
COPY --from=build /app/contracts/dist contracts/dist
COPY --from=build /app/language/package.json language/
COPY --from=build /app/language/dist language/dist
COPY --from=build /app/platform/package.json platform/
COPY --from=build /app/platform/dist platform/dist
COPY --from=build /app/${SERVICE}/package.json ${SERVICE}/
COPY --from=build /app/${SERVICE}/dist ${SERVICE}/dist
WORKDIR /app/${SERVICE}
# uid 1000 is the image's unprivileged "node" user; the files it runs stay root-owned (read-only).
USER 1000:1000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/main.js"]

# Express REST API, Better Auth, outbox relay, OpenAPI. Migrations run as a separate step of
# the same image (Helm hook Job, compose "migrate"), never on start.
FROM runtime AS service-api
ENV PORT=3000 \
    EVENT_TRANSPORT=dapr \
    MIGRATE_ON_START=false
EXPOSE 3000

# Dapr subscriber bridge, BullMQ workers, Bull Board.
FROM runtime AS service-workers
ENV PORT=3001 \
    EVENT_TRANSPORT=dapr
EXPOSE 3001

# Socket.IO nodes with the Redis adapter.
FROM runtime AS service-socket
ENV PORT=3002 \
    PUBSUB_NAME=pubsub
EXPOSE 3002

# The Angular SPA (ADR 012): built with the workspaces it compiles from source (contracts and
# the task-language parser), compressed once, served by nginx. In docker-compose this nginx is
# also the single origin for the browser: it proxies /api/ to the api and /socket.io/ to the
# socket nodes (ip_hash = sticky). On Kubernetes the Ingress does that routing.
FROM manifests AS client-build
# Install scripts stay on here: the Angular toolchain (esbuild) may need them.
RUN npm ci --no-audit --no-fund \
      --workspace @todo/contracts --workspace @todo/language --workspace @todo/client \
      --include-workspace-root
COPY contracts/ contracts/
COPY language/ language/
COPY client/ client/
RUN npm run build -w @todo/contracts && npm run build -w @todo/client
# Compressed once here, served as is by gzip_static: nginx never recompresses per request.
RUN find client/dist/client/browser -type f \
      \( -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.json' -o -name '*.svg' -o -name '*.txt' \) \
      -size +1k -exec gzip -k -9 -n {} +

FROM ${NGINX_IMAGE} AS service-client
# The entrypoint renders /etc/nginx/templates/*.template into /etc/nginx/conf.d with envsubst
# (only variables that are set are replaced, nginx's own $variables stay as they are).
ENV API_UPSTREAM=api:3000 \
    SOCKET_UPSTREAM_SERVERS="server socket:3002;"
COPY client/nginx/default.conf.template /etc/nginx/templates/default.conf.template
COPY --from=client-build /app/client/dist/client/browser /usr/share/nginx/html
# uid 101 is the nginx user of the unprivileged image; it listens on 8080, not 80.
USER 101
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=5s --retries=3 \
  CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/health"]

# The image built: the stage of the chosen service.
FROM service-${SERVICE}
