package main

import (
	"context"

	ctrl "sigs.k8s.io/controller-runtime"

	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/controller"
	"github.com/cspforge/partnercenter-operator/internal/controller/changefeed"
	"github.com/cspforge/partnercenter-operator/internal/controller/customer"
	"github.com/cspforge/partnercenter-operator/internal/controller/mcaattestation"
	"github.com/cspforge/partnercenter-operator/internal/controller/resellerpartnership"
	"github.com/cspforge/partnercenter-operator/internal/controller/subscription"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
)

// setupControllers registers the shared field indexes and one reconciler per
// kind; feed (nil: none) wakes the objects changed outside the operator.
func setupControllers(mgr ctrl.Manager, pc *partnercenter.Client, cfg config.Operator, feed *changefeed.Feed) error {
	if err := controller.AddIndexes(context.Background(), mgr); err != nil {
		return err
	}
	deps := controller.Deps{PartnerCenter: pc, Config: cfg, ChangeFeed: feed}
	for _, setup := range []func(ctrl.Manager, controller.Deps) error{
		customer.SetupWithManager,
		mcaattestation.SetupWithManager,
		resellerpartnership.SetupWithManager,
		subscription.SetupWithManager,
	} {
		if err := setup(mgr, deps); err != nil {
			return err
		}
	}
	return nil
}
