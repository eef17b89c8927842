package resellerpartnership

import (
	"context"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// External is exactly the Partner Center surface a ResellerPartnership uses,
// so the reconciler reads like the rules and tests can inject faults around
// it. *partnercenter.Client implements it. Both calls are reads: Partner
// Center has no API to send or remove a partnership request.
type External interface {
	// GetResellerAgreementStatus checks the reseller's MPN ID: enrolled in
	// CSP as an indirect reseller, migrated, Microsoft Partner Agreement
	// signed (R1). Failures carry codes 2200/2201/2203/2204.
	GetResellerAgreementStatus(ctx context.Context, mpnID string) (*wire.ResellerAgreementStatus, error)
	// ListIndirectResellers lists the resellers with an active partnership
	// (R2, R6): each item's ID is the reseller's tenant ID, MpnID its MPN ID.
	ListIndirectResellers(ctx context.Context) ([]wire.PartnerRelationship, error)
}

var _ External = (*partnercenter.Client)(nil)
