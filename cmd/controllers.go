package main

import (
	ctrl "sigs.k8s.io/controller-runtime"

	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
)

// setupControllers registers the reconcilers and webhooks of every kind.
// The reconcilers come with their issues (Customer, MCAAttestation,
// ResellerPartnership, Subscription); until then the manager serves the API
// types, probes and metrics only.
func setupControllers(mgr ctrl.Manager, pc *partnercenter.Client, cfg config.Operator) error {
	_, _, _ = mgr, pc, cfg
	return nil
}
