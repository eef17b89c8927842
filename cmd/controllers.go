package main

import (
	ctrl "sigs.k8s.io/controller-runtime"

	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/controller"
	"github.com/cspforge/partnercenter-operator/internal/controller/customer"
	"github.com/cspforge/partnercenter-operator/internal/controller/mcaattestation"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	webhookv1alpha1 "github.com/cspforge/partnercenter-operator/internal/webhook/v1alpha1"
)

// setupControllers registers the reconcilers and the admission webhooks.
func setupControllers(mgr ctrl.Manager, pc *partnercenter.Client, cfg config.Operator, webhooks bool) error {
	deps := controller.Deps{PartnerCenter: pc, Config: cfg}
	for _, setup := range []func(ctrl.Manager, controller.Deps) error{
		customer.SetupWithManager,
		mcaattestation.SetupWithManager,
	} {
		if err := setup(mgr, deps); err != nil {
			return err
		}
	}
	if !webhooks {
		return nil
	}
	return webhookv1alpha1.SetupWebhooksWithManager(mgr, cfg)
}
