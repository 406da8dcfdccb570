#!/usr/bin/env bash
# CI steps of the container tests, on a machine of the project's kind (Debian 12, root, no registry).
#
#   eval "$(bash docker/ci-docker.sh up)"    install docker.io, docker-compose and what the local images are
#                                            made of; start the engine unless one answers; build the local
#                                            base and socat images; print the environment the tests need
#                                            (as `export` lines: everything else goes to stderr)
#   bash docker/ci-docker.sh down            remove the containers and networks the tests made, and stop the
#                                            engine if `up` started it
#
# With INETKIT_REQUIRE_DOCKER=1 exported, the container tests fail instead of skipping when no engine answers.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pidfile="${TMPDIR:-/tmp}/inetkit-ci-dockerd.pid"
log() { echo "ci-docker: $*" >&2; }

up() {
  #   docker.io docker-compose  the engine and compose v1 (DockerComposeContainer runs the local binary)
  #   busybox-static libpcap0.8 the local Java base image (shell; the sniffer's capture library)
  #   socat                     the local socat image (Testcontainers' ambassador for withExposedService)
  #   mmdebstrap                the plain Debian image the package test installs on (build-debian-image.sh)
  #   prometheus                the local Prometheus image of the compose demo (build-prometheus-image.sh)
  local packages=(docker.io docker-compose busybox-static libpcap0.8 socat mmdebstrap prometheus) missing=() p
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2
    apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
  fi

  if docker info >/dev/null 2>&1; then
    log "a Docker engine already answers"
  else
    log "starting dockerd (log: /tmp/dockerd.log)"
    setsid dockerd >/tmp/dockerd.log 2>&1 </dev/null &
    echo $! >"$pidfile"
    local _
    for _ in $(seq 1 150); do
      docker info >/dev/null 2>&1 && break
      if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        log "dockerd exited; its log:"; tail -20 /tmp/dockerd.log >&2; exit 1
      fi
      sleep 0.2
    done
    docker info >/dev/null 2>&1 || { log "dockerd did not answer within 30 s"; tail -20 /tmp/dockerd.log >&2; exit 1; }
    log "dockerd answers ($(docker version -f '{{.Server.Version}}'))"
  fi

  bash "$here/build-base-image.sh" inetkit-jre:17 >&2
  bash "$here/build-socat-image.sh" inetkit-socat:1 >&2

  echo "export INETKIT_BASE_IMAGE=inetkit-jre:17"
  echo "export INETKIT_REQUIRE_DOCKER=1"
}

down() {
  docker info >/dev/null 2>&1 || { log "no engine answers: nothing to remove"; return 0; }
  # containers Testcontainers made (it labels them), and the compose demo's (project names start with inetkit)
  local ids
  ids="$( { docker ps -aq --filter label=org.testcontainers=true
            docker ps -a --filter label=com.docker.compose.project --format '{{.ID}} {{.Label "com.docker.compose.project"}}' \
              | awk '$2 ~ /^inetkit/ {print $1}'; } | sort -u)"
  if [ -n "$ids" ]; then
    log "removing containers: $(echo "$ids" | tr '\n' ' ')"
    # shellcheck disable=SC2086
    docker rm -f -v $ids >/dev/null
  fi
  local nets
  nets="$(docker network ls --filter label=com.docker.compose.project --format '{{.ID}} {{.Label "com.docker.compose.project"}}' \
            | awk '$2 ~ /^inetkit/ {print $1}')"
  # shellcheck disable=SC2086
  [ -z "$nets" ] || docker network rm $nets >/dev/null
  if [ -f "$pidfile" ]; then
    local pid
    pid="$(cat "$pidfile")"
    rm -f "$pidfile"
    if kill -0 "$pid" 2>/dev/null; then
      log "stopping the dockerd this script started (pid $pid)"
      kill -TERM "$pid"
      local _
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    fi
  fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
