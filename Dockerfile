# The stack's two images, built from the repository root (one package-lock.json for every workspace):
#   docker build --target gateway .    the gateway: `kibotics-analytics serve`
#   docker build --target grafana .    Grafana with the Kibotics activity panel
ARG NODE_IMAGE=node:20.20.2-bookworm-slim
# 12.4: the panel needs Grafana 12.3 or later (src/plugin.json) and is built against the 12.4 libraries.
ARG GRAFANA_IMAGE=grafana/grafana:12.4.2

# npm ci checks the lockfile against every workspace's package.json, whichever workspace it installs:
# both images start from all of them.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
COPY packages/schema/package.json packages/schema/
COPY packages/test-kit/package.json packages/test-kit/
COPY ingest/package.json ingest/
COPY grafana-plugin/package.json grafana-plugin/
COPY provisioning/package.json provisioning/
COPY clients/django/package.json clients/django/

# The gateway's dependencies, with a C++ toolchain in case better-sqlite3 has no prebuilt binary for
# this platform. No install scripts: the root's postinstall builds ingest, whose sources are not here
# yet. Only the native module needs its own: better-sqlite3 fetches a prebuilt binary or compiles one.
FROM manifests AS deps
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
RUN npm ci -w ingest --include-workspace-root --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3

FROM deps AS build
# The schema package is ingest's first dependency of its own: ingest's build builds it first (prebuild).
COPY packages/schema/tsconfig.json packages/schema/
COPY packages/schema/src packages/schema/src
COPY ingest/tsconfig.json ingest/
COPY ingest/src ingest/src
RUN npm run build -w ingest

# Production dependencies only, built on the same base as the runtime: the native module matches its libc.
FROM deps AS prod-deps
RUN npm ci -w ingest --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3

FROM ${NODE_IMAGE} AS gateway
# HOST stays the gateway's default: every interface of the container.
ENV NODE_ENV=production \
    PORT=8080 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=prod-deps /app/node_modules node_modules
COPY --from=prod-deps /app/package.json package.json
COPY ingest/package.json ingest/
COPY --from=build /app/ingest/dist ingest/dist
# node_modules/@kibotics/schema is a link to here: Node runs the package's built JavaScript.
COPY packages/schema/package.json packages/schema/
COPY --from=build /app/packages/schema/dist packages/schema/dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
ENTRYPOINT ["node", "ingest/dist/cli.js"]
CMD ["serve"]

# The panel, built from source.
FROM manifests AS plugin
RUN npm ci -w grafana-plugin --include-workspace-root --ignore-scripts --no-audit --no-fund
# The panel reads local time as the gateway does (@kibotics/schema/zone): its build builds the package first.
COPY packages/schema/tsconfig.json packages/schema/
COPY packages/schema/src packages/schema/src
COPY grafana-plugin grafana-plugin
RUN npm run build -w grafana-plugin

FROM ${GRAFANA_IMAGE} AS grafana
# Outside /var/lib/grafana (a volume): a rebuilt image brings its new panel, not the volume's old copy.
ENV GF_PATHS_PLUGINS=/opt/kibotics/plugins
COPY --from=plugin /app/grafana-plugin/dist /opt/kibotics/plugins/kibotics-activity-panel
