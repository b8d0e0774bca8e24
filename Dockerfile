# Builds the one image that runs either process: `node dist/src/main.js` (api) or `node dist/src/worker.js`.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY . .
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:20-bookworm-slim
ENV NODE_ENV=production
# Fewer glibc malloc arenas keep a worker's resident memory down (docs/benchmarks.md).
ENV MALLOC_ARENA_MAX=2
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/data ./data
# The web pages' templates and own assets are read from src/web at run time.
COPY --from=build /app/src/web/views ./src/web/views
COPY --from=build /app/src/web/public ./src/web/public
COPY --from=build /app/bin ./bin
COPY package.json ./
USER node
EXPOSE 3000
CMD ["node", "dist/src/main.js"]
