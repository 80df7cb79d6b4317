# One image for every service and the gateway; docker-compose.yml picks the module.
FROM node:20-slim AS gateway-assets
WORKDIR /app/gateway
COPY gateway/package.json gateway/package-lock.json ./
RUN npm ci --no-audit --no-fund

# The web portal, built as `make web` builds it (types checked, the first page's
# JavaScript budget enforced); its trusted-documents manifest goes beside the build.
FROM node:20-slim AS portal
WORKDIR /app/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY gateway/api.graphql /app/gateway/api.graphql
COPY web ./
RUN npm run typecheck && npm run build

FROM python:3.11-slim
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY pyproject.toml ./
COPY cbkit ./cbkit
COPY services ./services
COPY gateway ./gateway
COPY --from=gateway-assets /app/gateway/node_modules ./gateway/node_modules
# served at / (CB_PORTAL_DIR's default); the manifest is CB_TRUSTED_DOCUMENTS in compose
COPY --from=portal /app/web/dist ./web/dist
COPY --from=portal /app/web/src/gql/persisted-documents.json ./web/trusted-documents.json
# /definitions: where compose's broker-users job writes RabbitMQ's users (a volume the
# image seeds, so owned by the user that writes it)
RUN pip install --no-cache-dir . && useradd --create-home creditbank && chown creditbank /app \
    && install -d -o creditbank /definitions
USER creditbank
CMD ["python", "-m", "gateway"]
