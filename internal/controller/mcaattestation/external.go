package mcaattestation

import (
	"context"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// External is exactly the Partner Center surface an MCAAttestation uses, so
// the reconciler reads like the rules and tests can inject faults around it.
// *partnercenter.Client implements it; its agreement calls always send
// agreementType=MicrosoftCustomerAgreement (the API otherwise answers for the
// retired Cloud Agreement).
type External interface {
	// GetAgreementMetadata lists the MCA templates (the template ID when the spec has none).
	GetAgreementMetadata(ctx context.Context) ([]wire.AgreementMetadata, error)
	// CreateAgreement records the partner attestation; replaying requestID
	// returns the original answer, an identical contact again fails with 600061.
	CreateAgreement(ctx context.Context, requestID, customerID string, agreement wire.Agreement) (*wire.Agreement, error)
	// ListAgreements lists the customer's confirmed MCA attestations (M6).
	ListAgreements(ctx context.Context, customerID string) ([]wire.Agreement, error)
	// GetDirectSignedStatus reports the customer's own acceptance in the admin center (M6, M7).
	GetDirectSignedStatus(ctx context.Context, customerID string) (*wire.DirectSignedStatus, error)
	// GetRelationshipRequestURL returns the partner's reseller-relationship
	// invitation, which also asks the customer to accept the MCA (M8).
	GetRelationshipRequestURL(ctx context.Context) (*wire.RelationshipRequest, error)
}

var _ External = (*partnercenter.Client)(nil)
