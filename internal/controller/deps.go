// Package controller holds what every reconciler of this operator shares;
// the reconcilers themselves live in one package per kind below it.
package controller

import (
	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/controller/changefeed"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
)

// Deps are the dependencies every reconciler and webhook is built with.
type Deps struct {
	// PartnerCenter is the operator's one Partner Center REST client.
	PartnerCenter *partnercenter.Client
	// Config is the operator-wide configuration (role, partner domain, backend, clock).
	Config config.Operator
	// ChangeFeed wakes the objects the partner's audit records name; nil: none.
	ChangeFeed *changefeed.Feed
}
