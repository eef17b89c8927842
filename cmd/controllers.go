package main

import (
	ctrl "sigs.k8s.io/controller-runtime"

	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	webhookv1alpha1 "github.com/cspforge/partnercenter-operator/internal/webhook/v1alpha1"
)

// setupControllers registers the admission webhooks of every kind. The
// reconcilers are registered here as their issues land (Customer,
// MCAAttestation, ResellerPartnership, Subscription); each takes pc and cfg.
func setupControllers(mgr ctrl.Manager, pc *partnercenter.Client, cfg config.Operator, webhooks bool) error {
	_ = pc // used by the reconcilers
	if !webhooks {
		return nil
	}
	return webhookv1alpha1.SetupWebhooksWithManager(mgr, cfg)
}
