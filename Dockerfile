# Dovetail controller image. Build the distribution first, then the image from the repository root:
#   mvn -B package -DskipTests && docker build -t dovetail .
FROM eclipse-temurin:17-jre

# A fixed non-root uid/gid (65532, as in distroless "nonroot"), so Pod securityContexts can name it.
RUN groupadd --system --gid 65532 dovetail \
 && useradd --system --uid 65532 --gid 65532 --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin dovetail

# Owned by root and read-only for the process; plugins/ can be replaced by a volume
# (the Helm chart mounts one) or pointed elsewhere with DOVETAIL_PLUGINS_DIR.
COPY distribution/target/dovetail /opt/dovetail

ENV DOVETAIL_PLUGINS_DIR=/opt/dovetail/plugins
USER 65532:65532
WORKDIR /tmp
# the controller's HTTP ports (metrics and health probes; see the Helm chart)
EXPOSE 8080 8081
ENTRYPOINT ["/opt/dovetail/bin/dovetail"]
CMD ["--help"]
