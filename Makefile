# partnercenter-operator
# Run `make help` for the targets. Everything a target needs is built into bin/
# (tools) or the user cache (the Kubernetes test control plane) on first use.

IMG ?= partnercenter-operator:dev
GOBIN := $(CURDIR)/bin
CONTROLLER_GEN := $(GOBIN)/controller-gen
CONTROLLER_TOOLS_VERSION := v0.23.0
# crd-ref-docs is pinned in go.mod (tools/tools.go).
CRD_REF_DOCS := $(GOBIN)/crd-ref-docs
# promtool checks and unit-tests the alerts (test/monitoring); built from
# source through the Go module proxy (Prometheus v3.x is module v0.3xx).
PROMTOOL := $(GOBIN)/promtool
PROMETHEUS_VERSION := v0.316.0
# Go test flags; CI keeps the default.
GOTESTFLAGS ?=

.DEFAULT_GOAL := help

##@ General

.PHONY: help
help: ## Show the targets.
	@awk 'BEGIN {FS = ":.*##"; printf "Usage:\n  make \033[36m<target>\033[0m\n"} /^[a-zA-Z_0-9-]+:.*?##/ { printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2 } /^##@/ { printf "\n\033[1m%s\033[0m\n", substr($$0, 5) } ' $(MAKEFILE_LIST)

##@ Development

.PHONY: manifests
manifests: $(CONTROLLER_GEN) ## Generate CRDs, RBAC and webhook manifests from the Go markers.
	$(CONTROLLER_GEN) rbac:roleName=manager-role crd webhook paths="./api/..." paths="./internal/..." output:crd:artifacts:config=config/crd/bases output:rbac:artifacts:config=config/rbac output:webhook:artifacts:config=config/webhook

.PHONY: generate
generate: $(CONTROLLER_GEN) ## Generate DeepCopy methods.
	$(CONTROLLER_GEN) object:headerFile="hack/boilerplate.go.txt" paths="./api/..."

.PHONY: docs
docs: $(CRD_REF_DOCS) ## Generate docs/api-reference.md from the API types and the reasons and events tables of docs/operations.md.
	$(CRD_REF_DOCS) --log-level=WARN --source-path=./api/v1alpha1 --config=hack/crd-ref-docs/config.yaml --renderer=markdown --output-path=docs/api-reference.md
	go test ./test/generated -run 'TestReasonsTable|TestEventsTable' -update

.PHONY: fmt
fmt: ## Run go fmt.
	go fmt ./...

.PHONY: vet
vet: ## Run go vet.
	go vet ./...

.PHONY: lint
lint: fmt vet ## Format and vet (golangci-lint is not installed here; gofmt and vet are the gate).
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); echo "files above need gofmt"; exit 1)

.PHONY: envtest-assets
envtest-assets: ## Build kube-apiserver and etcd from source (cached; first time ~12 min) and print their path.
	@hack/envtest-assets.sh

.PHONY: test
test: vet $(PROMTOOL) ## Run every test against a real API server (builds the control plane and promtool on first use). Generated files are checked, not regenerated.
	KUBEBUILDER_ASSETS="$$(hack/envtest-assets.sh)" PROMTOOL="$(PROMTOOL)" go test $(GOTESTFLAGS) ./... -coverprofile cover.out

##@ Build

.PHONY: build
build: manifests generate ## Build the manager and the simulator into bin/.
	go build -o bin/manager ./cmd
	go build -o bin/partnercenter-sim ./cmd/partnercenter-sim

.PHONY: run
run: manifests generate ## Run the manager against the cluster of the current kubeconfig (webhooks off: no serving certificate locally).
	go run ./cmd --enable-webhooks=false $(ARGS)

.PHONY: demo
demo: ## Watch a whole CSP onboarding: local control plane, built-in simulator, config/samples (DEMO_EXIT_WHEN_READY=1: exit when all Ready, for CI).
	@echo "building the demo program: go build -o bin/partnercenter-demo ./hack/demo (first time on a fresh machine: ~5 min of Go compilation on 2 cores; seconds after)"
	@go build -o bin/partnercenter-demo ./hack/demo
	@bin/partnercenter-demo

# Onboardings of `make bench`, rounds (manager and floor measured alternately;
# the wall-time ratio is their median) and extra harness flags (go run
# ./test/bench -h), e.g. BENCH_ARGS="-throttled", BENCH_ARGS="-mode=limits"
# (Partner Center's documented rate limits and latency) or
# BENCH_MANAGER_ARGS="--max-concurrent-reconciles=8".
BENCH_N ?= 1000
BENCH_ROUNDS ?= 3
BENCH_ARGS ?=

.PHONY: bench
bench: ## Micro-benchmarks, then N onboardings (BENCH_N, default 1000) against envtest + simulator vs the floor, in BENCH_ROUNDS (3) rounds; prints the table, writes bench/results/.
	go test ./internal/... -run '^$$' -bench . -benchmem
	# The manager is built like the image's (Dockerfile), so its measured RSS is the shipped binary's.
	go build -trimpath -ldflags="-s -w" -o bin/manager ./cmd
	go build -o bin/partnercenter-sim ./cmd/partnercenter-sim
	KUBEBUILDER_ASSETS="$$(hack/envtest-assets.sh)" go run ./test/bench -n $(BENCH_N) -rounds $(BENCH_ROUNDS) $(BENCH_ARGS)

IMAGE_TAR ?= bin/image.tar

.PHONY: image
image: ## Build the manager image without a container engine into $(IMAGE_TAR) (docker archive; tag $(IMG)).
	go run ./hack/image -tag $(IMG) -o $(IMAGE_TAR)

.PHONY: image-push
image-push: ## Build the image and push it as $(IMG) (registry credentials of ~/.docker/config.json).
	go run ./hack/image -tag $(IMG) -o $(IMAGE_TAR) -push

.PHONY: image-load
image-load: image ## Load $(IMAGE_TAR) into the local cluster: kind, k3d or minikube, whichever is installed.
	@if command -v kind >/dev/null; then kind load image-archive $(IMAGE_TAR); \
	elif command -v k3d >/dev/null; then k3d image import $(IMAGE_TAR); \
	elif command -v minikube >/dev/null; then minikube image load $(IMAGE_TAR); \
	else echo "no kind, k3d or minikube found: push the image instead (make image-push IMG=<registry>/partnercenter-operator:<tag>)"; exit 1; fi

BENCH_EXPORT_N ?= 5000

.PHONY: bench-export
bench-export: ## Measure `manager export` of a seeded book of BENCH_EXPORT_N customers (time, calls, memory); writes bench/results/export-n<N>.md.
	go build -trimpath -ldflags="-s -w" -o bin/manager ./cmd
	go build -o bin/partnercenter-sim ./cmd/partnercenter-sim
	go run ./hack/exportbench -n $(BENCH_EXPORT_N)

.PHONY: docker-build
docker-build: ## Build the container image with the Dockerfile (needs a Docker engine; make image does not).
	docker build -t $(IMG) .

##@ Deployment

.PHONY: install
install: manifests ## Install the CRDs into the cluster of the current kubeconfig.
	kubectl apply --server-side -k config/crd

.PHONY: uninstall
uninstall: ## Remove the CRDs (and so every object of this API) from the cluster.
	kubectl delete -k config/crd

.PHONY: deploy
deploy: manifests ## Deploy the operator with config/default to the cluster of the current kubeconfig.
	cd config/manager && kubectl kustomize . >/dev/null
	kubectl apply --server-side -k config/default

.PHONY: helm-chart
helm-chart: manifests ## Regenerate dist/chart's CRDs, manager ClusterRole and webhook configuration from config/.
	go test ./test/deploy -run TestChartGeneratedTemplatesInSync -count=1 -args -update

.PHONY: deploy-test
deploy-test: ## Render config/ (both certificate modes, live) and dist/chart and server-side dry-run apply them to a real API server.
	KUBEBUILDER_ASSETS="$$(hack/envtest-assets.sh)" go test ./test/deploy/ -count=1
	KUBEBUILDER_ASSETS="$$(hack/envtest-assets.sh)" go test ./cmd/ -run TestSelfManagedWebhookCertificates -count=1

.PHONY: undeploy
undeploy: ## Remove the operator deployed by `make deploy`.
	kubectl delete -k config/default

$(CRD_REF_DOCS):
	GOBIN=$(GOBIN) go install github.com/elastic/crd-ref-docs

$(PROMTOOL):
	@echo "building promtool $(PROMETHEUS_VERSION) from source (first time on a fresh machine: a few minutes on 2 cores)"
	GOBIN=$(GOBIN) go install github.com/prometheus/prometheus/cmd/promtool@$(PROMETHEUS_VERSION)

$(CONTROLLER_GEN):
	GOBIN=$(GOBIN) go install sigs.k8s.io/controller-tools/cmd/controller-gen@$(CONTROLLER_TOOLS_VERSION)
