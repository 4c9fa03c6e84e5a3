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
# JDK 25: its AOT cache (below) starts the gateway faster than class data sharing on 21 does.
FROM eclipse-temurin:25-jre
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
# Start time: one training start at build time (the built-in demo configuration, on a scratch H2
# database) until /health/ready answers, then SIGTERM; as it exits the JVM writes the classes it
# loaded and linked, with their profiles, to an AOT cache that every start then maps
# (bench/RESULTS-capacity.md, "Start to ready"). Same JVM options as the ENTRYPOINT.
RUN cd /tmp; \
    java -XX:+UseG1GC -XX:SurvivorRatio=4 -XX:MaxRAMPercentage=50 -XX:AOTCacheOutput=/app/tokenrouter.aot \
      -jar /app/tokenrouter.jar demo --port 18080 > /tmp/training.log 2>&1 & pid=$!; \
    for i in $(seq 1 240); do \
      bash -c "exec 3<>/dev/tcp/127.0.0.1/18080 && printf 'GET /health/ready HTTP/1.0\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '" 2>/dev/null && break; \
      sleep 0.5; \
    done; \
    kill -TERM $pid; wait $pid; \
    test -s /app/tokenrouter.aot || { cat /tmp/training.log; exit 1; }; \
    rm -rf /tmp/data /tmp/training.log
USER 10001:10001
EXPOSE 8080
# Liveness only (readiness is /health/ready); bash's /dev/tcp needs no curl in the image.
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health HTTP/1.0\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]
# java runs as PID 1, so SIGTERM reaches the JVM and its shutdown hook drains usage records.
# Memory (bench/RESULTS-capacity.md, "Open streams"): 9,900 open streams peaked at about 700 MiB
# RSS with a 512 MB heap (about 60 MB live when idle, 27 KB more per stream), so the heap is half
# of the container's memory and the other half is left to metaspace, code, threads and buffers:
# 512 MB in the 1 GiB of deploy/k8s. G1 is named because a 1 GiB, 2-CPU container would otherwise
# get the serial collector (the JVM's choice below 1792 MB), whose full collections of ~330 MB
# of live streams stop every stream at once, and because the AOT cache was trained with it. Its
# survivor space is a quarter of the young generation instead of an eighth, so that agents'
# requests in flight do not overflow into the old generation (the launcher's comment says more).
ENTRYPOINT ["java", "-XX:+UseG1GC", "-XX:SurvivorRatio=4", "-XX:MaxRAMPercentage=50", "-XX:AOTCache=/app/tokenrouter.aot", "-jar", "/app/tokenrouter.jar"]
CMD ["serve", "--config", "/etc/tokenrouter/tokenrouter.yaml"]
