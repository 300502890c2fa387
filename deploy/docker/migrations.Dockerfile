# syntax=docker/dockerfile:1
# migrations: docker build -f deploy/docker/migrations.Dockerfile -t apitopmix/migrations .   (from the repository root)
# `prisma migrate deploy` with the committed migrations (libs/platform/prisma/migrations), as the chart's
# pre-install/pre-upgrade hook Job runs it. Prisma 6.19 runs them through its WebAssembly schema engine and the pg
# driver adapter (prisma.config.ts): nothing is downloaded at run time. Runs as uid 1000, read-only root filesystem.

FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends protobuf-compiler \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN node scripts/build.mjs \
  && cp -a node_modules/.prisma /tmp/prisma-client \
  && npm prune --omit=dev --no-audit --no-fund \
  && rm -rf node_modules/.prisma && mv /tmp/prisma-client node_modules/.prisma

FROM node:20.20.2-bookworm-slim
ENV NODE_ENV=production \
    HOME=/tmp \
    CHECKPOINT_DISABLE=1 \
    PRISMA_HIDE_UPDATE_MESSAGE=1 \
    JITI_FS_CACHE=false
WORKDIR /app
RUN rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /opt/yarn-* \
    /usr/local/bin/yarn /usr/local/bin/yarnpkg
# The runtime dependencies keep the Prisma CLI (an optional peer of @prisma/client that npm keeps).
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/package.json /app/prisma.config.ts ./
COPY --from=build /app/libs/platform/prisma/schema.prisma ./libs/platform/prisma/schema.prisma
COPY --from=build /app/libs/platform/prisma/migrations ./libs/platform/prisma/migrations
COPY --from=build /app/libs/platform/prisma/src ./libs/platform/prisma/src
USER 1000:1000
ENTRYPOINT ["node", "node_modules/prisma/build/index.js"]
CMD ["migrate", "deploy"]
