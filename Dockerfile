# One image for every service and the gateway; docker-compose.yml picks the module.
FROM python:3.11-slim
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY pyproject.toml ./
COPY cbkit ./cbkit
COPY services ./services
COPY gateway ./gateway
RUN pip install --no-cache-dir . && useradd --create-home creditbank && chown creditbank /app
USER creditbank
CMD ["python", "-m", "gateway"]
