// Package testenv starts what a controller test suite runs against: a real
// kube-apiserver and etcd (envtest) with this operator's CRDs and validating
// webhooks, the Partner Center simulator on loopback, the operator's real
// REST client pointed at it over HTTP, and a manager running the reconcilers
// and webhooks the suite registers.
package testenv

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	admissionv1 "k8s.io/api/admissionregistration/v1"
	kruntime "k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
	"sigs.k8s.io/controller-runtime/pkg/webhook"
	"sigs.k8s.io/yaml"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/controller"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/pcsim"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// Options describe the environment a suite wants.
type Options struct {
	// Role is the partner role the operator runs as.
	Role config.PartnerRole
	// PartnerDomain is the partner's own e-mail domain (C4).
	PartnerDomain string
	// Sim configures the simulator. A nil Sim.Clock is replaced by a simulated
	// clock starting now, shared with the operator (Env.Clock).
	Sim pcsim.Config
	// Setup registers the reconcilers and webhooks under test (the shared field
	// indexes, controller.AddIndexes, are already registered).
	Setup func(mgr ctrl.Manager, deps controller.Deps) error
	// WebhookResources names the resources (plural, e.g. "customers") whose
	// validating webhooks are installed; a webhook without a handler in this
	// manager would refuse every request, so only these are installed.
	WebhookResources []string
}

// Env is a running environment.
type Env struct {
	// Client talks to the API server directly (no cache), as kubectl would.
	Client client.Client
	// Sim is the Partner Center simulator.
	Sim *pcsim.Simulator
	// PC is a Partner Center client with the operator's credentials.
	PC *partnercenter.Client
	// Deps are what the reconcilers were built with.
	Deps controller.Deps
	// Clock is the simulated clock shared by the simulator and the operator.
	Clock *pcsim.SimClock

	testEnv *envtest.Environment
	restCfg *rest.Config
	scheme  *kruntime.Scheme
	setup   func(mgr ctrl.Manager, deps controller.Deps) error
	server  *pcsim.Server
	// cancel and done stop and await the running manager; nil: none runs.
	cancel context.CancelFunc
	done   chan error
}

// StartForTest brings the environment up for one Go test and stops it when
// the test ends.
func StartForTest(t testing.TB, o Options) *Env {
	t.Helper()
	e, err := Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := e.Stop(); err != nil {
			t.Error(err)
		}
	})
	return e
}

// Start brings the environment up; call Stop when the suite ends.
func Start(o Options) (*Env, error) {
	root := repoRoot()
	webhooks, err := validatingWebhooks(filepath.Join(root, "config", "webhook", "manifests.yaml"), o.WebhookResources)
	if err != nil {
		return nil, err
	}
	e := &Env{setup: o.Setup, testEnv: &envtest.Environment{
		CRDDirectoryPaths:     []string{filepath.Join(root, "config", "crd", "bases")},
		ErrorIfCRDPathMissing: true,
		WebhookInstallOptions: envtest.WebhookInstallOptions{ValidatingWebhooks: webhooks},
	}}
	if e.restCfg, err = e.testEnv.Start(); err != nil {
		return nil, fmt.Errorf("starting envtest (is KUBEBUILDER_ASSETS set? see hack/envtest-assets.sh): %w", err)
	}
	if err := e.startPartnerCenter(o); err != nil {
		return nil, errors.Join(err, e.Stop())
	}

	e.scheme = kruntime.NewScheme()
	if err := errors.Join(clientgoscheme.AddToScheme(e.scheme), v1alpha1.AddToScheme(e.scheme)); err != nil {
		return nil, errors.Join(err, e.Stop())
	}
	if e.Client, err = client.New(e.restCfg, client.Options{Scheme: e.scheme}); err != nil {
		return nil, errors.Join(err, e.Stop())
	}
	if err := e.startManager(o.Setup, false); err != nil {
		return nil, errors.Join(err, e.Stop())
	}
	return e, nil
}

// Restart ends the running manager, as the operator's process ends, and
// starts the next process's: a new manager and Partner Center client on the
// same API server and simulator, with reconcilers built again by setup (nil:
// Options.Setup). Nothing the old process kept in memory survives (what it
// knew as settled, its work queues, its client's budget); what the API server
// and Partner Center hold does. Env.PC and Env.Deps become the new process's.
func (e *Env) Restart(setup func(mgr ctrl.Manager, deps controller.Deps) error) error {
	if err := e.stopManager(); err != nil {
		return fmt.Errorf("stopping the manager: %w", err)
	}
	pc, err := PartnerCenterClient(e.server)
	if err != nil {
		return err
	}
	e.PC, e.Deps.PartnerCenter = pc, pc
	if setup == nil {
		setup = e.setup
	}
	return e.startManager(setup, true)
}

// startManager builds a manager running what setup registers, starts it and
// waits for its cache. A restart reuses the controller names of this process,
// which controller-runtime refuses unless told (it keeps every name a process
// registered, for the metrics they label).
func (e *Env) startManager(setup func(mgr ctrl.Manager, deps controller.Deps) error, restart bool) error {
	wh := e.testEnv.WebhookInstallOptions
	opts := ctrl.Options{
		Scheme:         e.scheme,
		Metrics:        metricsserver.Options{BindAddress: "0"},
		WebhookServer:  webhook.NewServer(webhook.Options{Host: wh.LocalServingHost, Port: wh.LocalServingPort, CertDir: wh.LocalServingCertDir}),
		LeaderElection: false,
		// The cache the manager runs with, so no reconciler reads what it drops.
		Cache: cache.Options{DefaultTransform: controller.CacheTransform(true, true)},
	}
	if restart {
		opts.Controller.SkipNameValidation = new(true)
	}
	mgr, err := ctrl.NewManager(e.restCfg, opts)
	if err != nil {
		return err
	}
	if err := controller.AddIndexes(context.Background(), mgr); err != nil {
		return err
	}
	if setup != nil {
		if err := setup(mgr, e.Deps); err != nil {
			return fmt.Errorf("suite setup: %w", err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	e.cancel, e.done = cancel, make(chan error, 1)
	go func() { e.done <- mgr.Start(ctx) }()
	if !mgr.GetCache().WaitForCacheSync(ctx) {
		return errors.New("the manager's cache did not sync")
	}
	return nil
}

// stopManager stops the running manager, if any, and waits until it has.
func (e *Env) stopManager() error {
	if e.cancel == nil {
		return nil
	}
	e.cancel()
	err := <-e.done
	e.cancel, e.done = nil, nil
	return err
}

// startPartnerCenter starts the simulator and the operator's client for it.
func (e *Env) startPartnerCenter(o Options) error {
	if o.Sim.Clock == nil {
		o.Sim.Clock = pcsim.NewSimClock(time.Now().UTC())
	}
	e.Clock = o.Sim.Clock
	server, err := pcsim.NewServer(o.Sim)
	if err != nil {
		return err
	}
	e.server, e.Sim = server, server.Sim
	if e.PC, err = PartnerCenterClient(server); err != nil {
		return err
	}
	e.Deps = controller.Deps{PartnerCenter: e.PC, Config: config.Operator{
		Role: o.Role, PartnerDomain: o.PartnerDomain, ResellerInvitationURL: e.Sim.ResellerInvitationURL(),
		Backend: v1alpha1.BackendSimulated, ResyncPeriod: time.Hour, Clock: e.Clock,
	}}
	return nil
}

// Stop shuts the manager, the simulator and the control plane down.
func (e *Env) Stop() error {
	errs := []error{e.stopManager()}
	if e.server != nil {
		e.server.Close()
	}
	return errors.Join(append(errs, e.testEnv.Stop())...)
}

// validatingWebhooks loads the generated webhook configuration and keeps the
// webhooks for the given resources.
func validatingWebhooks(path string, resources []string) ([]*admissionv1.ValidatingWebhookConfiguration, error) {
	if len(resources) == 0 {
		return nil, nil
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the webhook configuration (run `make manifests`): %w", err)
	}
	var configs []*admissionv1.ValidatingWebhookConfiguration
	for _, doc := range strings.Split(string(raw), "\n---\n") {
		cfg := &admissionv1.ValidatingWebhookConfiguration{}
		if err := yaml.Unmarshal([]byte(doc), cfg); err != nil {
			return nil, fmt.Errorf("parsing %s: %w", path, err)
		}
		if cfg.Kind == "ValidatingWebhookConfiguration" {
			configs = append(configs, cfg)
		}
	}
	var kept []*admissionv1.ValidatingWebhookConfiguration
	for _, cfg := range configs {
		cfg.Webhooks = slices.DeleteFunc(cfg.Webhooks, func(w admissionv1.ValidatingWebhook) bool {
			return !slices.ContainsFunc(w.Rules, func(r admissionv1.RuleWithOperations) bool {
				return slices.ContainsFunc(r.Resources, func(res string) bool { return slices.Contains(resources, res) })
			})
		})
		kept = append(kept, cfg)
	}
	return kept, nil
}

// repoRoot is the checkout's top directory (this file is internal/testenv/testenv.go).
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		return "."
	}
	return root
}

// FastPolls makes the operator's retries and polls wait milliseconds, not
// seconds, for a suite: time in Partner Center moves on the simulated clock.
func FastPolls() {
	status.FastDelay = 50 * time.Millisecond
	status.SlowMinDelay = 100 * time.Millisecond
	status.SlowMaxDelay = 300 * time.Millisecond
}
