// Package controller holds what every reconciler of this operator shares;
// the reconcilers themselves live in one package per kind below it.
package controller

import (
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
)

// Deps are the dependencies every reconciler and webhook is built with.
type Deps struct {
	// PartnerCenter is the operator's one Partner Center REST client.
	PartnerCenter *partnercenter.Client
	// Config is the operator-wide configuration (role, partner domain, backend, clock).
	Config config.Operator
}

// CustomerRefOf is a field index function: the Customer an MCAAttestation or
// a Subscription names in spec.customerRef. Each controller registers it
// under index names of its own, so two controllers never conflict.
func CustomerRefOf(obj client.Object) []string {
	switch o := obj.(type) {
	case *v1alpha1.MCAAttestation:
		return []string{o.Spec.CustomerRef.Name}
	case *v1alpha1.Subscription:
		return []string{o.Spec.CustomerRef.Name}
	}
	return nil
}
