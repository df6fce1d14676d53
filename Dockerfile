# Multi-stage build: dependencies and the web bundle are built once, the runtime image carries only what runs.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Every workspace of package.json's "workspaces" (dockerfile.test.ts checks): npm ci installs only those it finds.
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
COPY packages/model/package.json packages/model/
COPY packages/pipeline/package.json packages/pipeline/
COPY packages/engine/package.json packages/engine/
COPY packages/cli/package.json packages/cli/
COPY prisma prisma
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
# node itself as PID 1, so docker stop's SIGTERM reaches the server and it shuts down cleanly.
CMD ["node", "--import", "tsx", "apps/server/src/main.ts"]
