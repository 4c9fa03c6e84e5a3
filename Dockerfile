# syntax=docker/dockerfile:1
#
# TokenRouter image: builds the fat jar with Maven, runs it on a JRE as a non-root user.
#
#   docker build -t tokenrouter:0.1.0 .
#   docker run -p 8080:8080 -v $PWD/deploy/tokenrouter.yaml:/etc/tokenrouter/tokenrouter.yaml:ro \
#     -e TOKENROUTER_DATABASE_URL=jdbc:postgresql://HOST:5432/tokenrouter ... tokenrouter:0.1.0
#
# deploy/docker-compose.yml and deploy/k8s/ use this image.

# ---- build stage -----------------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
# Dependencies first, from the pom alone: this layer is reused until pom.xml changes.
COPY pom.xml ./
RUN mvn -B -ntp -q dependency:go-offline
COPY src ./src
# Tests run in CI (.ci/run), which needs PostgreSQL and Redis; the image build only packages.
RUN mvn -B -ntp -q -DskipTests package

# ---- runtime stage ---------------------------------------------------------------------------
FROM eclipse-temurin:21-jre
RUN groupadd --system --gid 10001 tokenrouter \
 && useradd --system --uid 10001 --gid tokenrouter --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin tokenrouter \
 && mkdir -p /app/data /etc/tokenrouter /var/lib/tokenrouter/spool \
 && chown tokenrouter:tokenrouter /app/data /var/lib/tokenrouter/spool
WORKDIR /app
COPY --from=build /src/target/tokenrouter.jar /app/tokenrouter.jar
# A default configuration (mock provider, PostgreSQL from TOKENROUTER_DATABASE_*); compose and
# Kubernetes mount their own file over it.
COPY deploy/tokenrouter.yaml /etc/tokenrouter/tokenrouter.yaml
ENV TOKENROUTER_SERVER_HOST=0.0.0.0
USER 10001:10001
EXPOSE 8080
# Liveness only (readiness is /health/ready); bash's /dev/tcp needs no curl in the image.
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health HTTP/1.0\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]
# java runs as PID 1, so SIGTERM reaches the JVM and its shutdown hook drains usage records.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/tokenrouter.jar"]
CMD ["serve", "--config", "/etc/tokenrouter/tokenrouter.yaml"]
