# One image for every service and the gateway; docker-compose.yml picks the module.
FROM node:20-slim AS gateway-assets
WORKDIR /app/gateway
COPY gateway/package.json gateway/package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY pyproject.toml ./
COPY cbkit ./cbkit
COPY services ./services
COPY gateway ./gateway
COPY --from=gateway-assets /app/gateway/node_modules ./gateway/node_modules
# /definitions: where compose's broker-users job writes RabbitMQ's users (a volume the
# image seeds, so owned by the user that writes it)
RUN pip install --no-cache-dir . && useradd --create-home creditbank && chown creditbank /app \
    && install -d -o creditbank /definitions
USER creditbank
CMD ["python", "-m", "gateway"]
