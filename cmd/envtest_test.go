package main

import (
	"context"
	"os"
	"testing"

	. "github.com/onsi/gomega"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
)

// startAPIServer starts a real API server for the test (skipped without
// KUBEBUILDER_ASSETS) and stops it when the test ends.
func startAPIServer(t *testing.T, g *WithT) *rest.Config {
	if os.Getenv("KUBEBUILDER_ASSETS") == "" {
		t.Skip("KUBEBUILDER_ASSETS is not set (see hack/envtest-assets.sh)")
	}
	env := &envtest.Environment{}
	restCfg, err := env.Start()
	g.Expect(err).NotTo(HaveOccurred())
	t.Cleanup(func() { _ = env.Stop() })
	return restCfg
}

// startManager runs mgr until the test ends; cancelling ctx stops it too.
func startManager(t *testing.T, ctx context.Context, mgr ctrl.Manager) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- mgr.Start(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
}
