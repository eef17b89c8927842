# partnercenter-operator
# Run `make help` for the targets. Everything a target needs is built into bin/
# (tools) or the user cache (the Kubernetes test control plane) on first use.

IMG ?= partnercenter-operator:dev
GOBIN := $(CURDIR)/bin
CONTROLLER_GEN := $(GOBIN)/controller-gen
CONTROLLER_TOOLS_VERSION := v0.23.0
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
test: vet ## Run every test against a real API server (builds the control plane on first use). Generated files are checked, not regenerated.
	KUBEBUILDER_ASSETS="$$(hack/envtest-assets.sh)" go test $(GOTESTFLAGS) ./... -coverprofile cover.out

##@ Build

.PHONY: build
build: manifests generate ## Build the manager and the simulator into bin/.
	go build -o bin/manager ./cmd
	go build -o bin/partnercenter-sim ./cmd/partnercenter-sim

.PHONY: run
run: manifests generate ## Run the manager against the cluster of the current kubeconfig (webhooks off: no serving certificate locally).
	go run ./cmd --enable-webhooks=false $(ARGS)

.PHONY: demo
demo: ## Start a local control plane and the simulator and watch a whole CSP onboarding.
	@echo "make demo is not built yet (issue 8). It will build the control plane (kube-apiserver + etcd, cached),"
	@echo "start it on loopback with the built-in Partner Center simulator, apply config/samples/ and show the"
	@echo "onboarding live until every object is Ready. Today: make test, and see README.md."
	@exit 2

.PHONY: bench
bench: ## Measure convergence time, API calls and footprint (issue 10; today: the simulator and client micro-benchmarks).
	go test ./internal/... -run '^$$' -bench . -benchmem

.PHONY: docker-build
docker-build: ## Build the container image (needs a Docker engine).
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

.PHONY: undeploy
undeploy: ## Remove the operator deployed by `make deploy`.
	kubectl delete -k config/default

$(CONTROLLER_GEN):
	GOBIN=$(GOBIN) go install sigs.k8s.io/controller-tools/cmd/controller-gen@$(CONTROLLER_TOOLS_VERSION)
