#!/usr/bin/env bash
# Builds the Kubernetes test control plane (kube-apiserver, etcd, kubectl) from
# source through the Go module proxy and prints the directory to use as
# KUBEBUILDER_ASSETS. setup-envtest downloads prebuilt binaries from the
# internet, which air-gapped CI (and this project's CI) cannot reach.
#
# Idempotent: when the binaries are already cached it prints the path at once.
# Progress goes to stderr; stdout carries only the path.
#
# Environment:
#   PCO_ENVTEST_ASSETS   use binaries you already have (a directory holding
#                        kube-apiserver and etcd); nothing is built.
#   K8S_VERSION          Kubernetes version to build (default 1.37.2)
#   ETCD_VERSION         etcd version to build (default 3.6.7)
set -euo pipefail

K8S_VERSION="${K8S_VERSION:-1.37.2}"
ETCD_VERSION="${ETCD_VERSION:-3.6.7}"
GOOS="$(go env GOOS)"
GOARCH="$(go env GOARCH)"

log() { echo "envtest-assets: $*" >&2; }

if [[ -n "${PCO_ENVTEST_ASSETS:-}" ]]; then
  for b in kube-apiserver etcd; do
    [[ -x "${PCO_ENVTEST_ASSETS}/${b}" ]] || { log "PCO_ENVTEST_ASSETS=${PCO_ENVTEST_ASSETS} has no ${b}"; exit 1; }
  done
  echo "${PCO_ENVTEST_ASSETS}"
  exit 0
fi

# Cached under the checkout's bin/ (git-ignored, like every tool the Makefile
# builds), so a clean clone builds them once and `rm -rf bin` starts over.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${ROOT}/bin/k8s/${K8S_VERSION}-${GOOS}-${GOARCH}"
mkdir -p "${CACHE}"

# One build at a time per cache directory (make test and make demo may race).
exec 9>"${CACHE}/.lock"
flock 9

build_apiserver() {
  local work gomod staging
  work="$(mktemp -d)"
  log "building kube-apiserver v${K8S_VERSION} from source (about 10 minutes on 2 cores the first time)..."
  (
    cd "${work}"
    go mod init envtest.local/apiserver >/dev/null 2>&1
    go mod edit -require="k8s.io/kubernetes@v${K8S_VERSION}"
    gomod="$(go mod download -json "k8s.io/kubernetes@v${K8S_VERSION}" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
    # k8s.io/kubernetes replaces its staging modules with ./staging/...; a
    # consumer must pin each of them to the matching v0.x release instead.
    staging="$(sed -n '/^replace (/,/^)/p' "${gomod}" | awk '$1 ~ /^k8s\.io\// {print $1}')"
    for m in ${staging}; do
      go mod edit -replace="${m}=${m}@v0.${K8S_VERSION#1.}"
    done
    GOFLAGS=-mod=mod go mod tidy >/dev/null 2>&1 || true
    cat > tools.go <<'GO'
//go:build tools

package tools

import _ "k8s.io/kubernetes/cmd/kube-apiserver"
GO
    GOFLAGS=-mod=mod go get "k8s.io/kubernetes/cmd/kube-apiserver@v${K8S_VERSION}" >/dev/null 2>&1 || true
    CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags="-s -w" -o "${CACHE}/kube-apiserver.tmp" k8s.io/kubernetes/cmd/kube-apiserver
  )
  mv "${CACHE}/kube-apiserver.tmp" "${CACHE}/kube-apiserver"
  rm -rf "${work}"
}

build_etcd() {
  local work
  work="$(mktemp -d)"
  log "building etcd v${ETCD_VERSION} from source (about 2 minutes)..."
  (
    cd "${work}"
    go mod init envtest.local/etcd >/dev/null 2>&1
    GOFLAGS=-mod=mod go get "go.etcd.io/etcd/server/v3@v${ETCD_VERSION}" >/dev/null 2>&1
    CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags="-s -w" -o "${CACHE}/etcd.tmp" go.etcd.io/etcd/server/v3
  )
  mv "${CACHE}/etcd.tmp" "${CACHE}/etcd"
  rm -rf "${work}"
}

provide_kubectl() {
  if command -v kubectl >/dev/null 2>&1; then
    ln -sf "$(command -v kubectl)" "${CACHE}/kubectl"
    return
  fi
  local work
  work="$(mktemp -d)"
  log "building kubectl v${K8S_VERSION} from source (about 3 minutes)..."
  (
    cd "${work}"
    go mod init envtest.local/kubectl >/dev/null 2>&1
    GOFLAGS=-mod=mod go get "k8s.io/kubectl@v0.${K8S_VERSION#1.}" >/dev/null 2>&1
    cat > main.go <<'GO'
package main

import (
	"k8s.io/component-base/cli"
	"k8s.io/kubectl/pkg/cmd"
)

func main() { cli.RunNoErrOutput(cmd.NewDefaultKubectlCommand()) }
GO
    GOFLAGS=-mod=mod go mod tidy >/dev/null 2>&1
    CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags="-s -w" -o "${CACHE}/kubectl.tmp" .
  )
  mv "${CACHE}/kubectl.tmp" "${CACHE}/kubectl"
  rm -rf "${work}"
}

[[ -x "${CACHE}/etcd" ]] || build_etcd
[[ -x "${CACHE}/kube-apiserver" ]] || build_apiserver
[[ -x "${CACHE}/kubectl" ]] || provide_kubectl

echo "${CACHE}"
