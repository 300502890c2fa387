# syntax=docker/dockerfile:1
# chat: docker build -f deploy/docker/chat.Dockerfile -t apitopmix/chat .   (from the repository root)
# Multi-stage: the whole repository is built once (identical build stages in every Dockerfile share the cache), the
# runtime stage holds only dist/services/chat, the compiled libraries, proto/ and the runtime node_modules. Runs as uid 1000
# with a read-only root filesystem: only /tmp and the usage spool need to be writable.

FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app
# protoc generates the gRPC contracts (scripts/generate-contracts.mjs).
RUN apt-get update \
  && apt-get install -y --no-install-recommends protobuf-compiler \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY . .
# tsc into dist/, then the development dependencies go (the generated Prisma client in node_modules/.prisma stays).
RUN node scripts/build.mjs \
  && cp -a node_modules/.prisma /tmp/prisma-client \
  && npm prune --omit=dev --no-audit --no-fund \
  && rm -rf node_modules/.prisma && mv /tmp/prisma-client node_modules/.prisma

FROM build AS runtime-deps
# Without the Prisma CLI and TypeScript (only the migrations image runs them).
RUN node deploy/docker/prune-to-runtime.js

FROM node:20.20.2-bookworm-slim
ENV NODE_ENV=production \
    APITOPMIX_PROTO_ROOT=/app/proto \
    CHAT_GRPC_URL=0.0.0.0:50051 \
    USAGE_SPOOL_DIR=/var/lib/apitopmix/spool/chat
WORKDIR /app
# npm, npx, corepack and yarn are not needed to run a service: less to patch, less to misuse.
RUN rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /opt/yarn-* \
    /usr/local/bin/yarn /usr/local/bin/yarnpkg \
  && mkdir -p /var/lib/apitopmix/spool/chat && chown 1000:1000 /var/lib/apitopmix/spool/chat
COPY --from=runtime-deps /app/node_modules ./node_modules
COPY --from=build /app/package.json ./
COPY --from=build /app/proto ./proto
COPY --from=build /app/dist/libs ./dist/libs
COPY --from=build /app/dist/services/chat ./dist/services/chat
USER 1000:1000
EXPOSE 50051 9102
ENTRYPOINT ["node", "--enable-source-maps", "dist/services/chat/src/main.js"]
