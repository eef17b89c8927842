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
	// CreateEnhancedAttestation creates the attestation whose link the
	// customer accepts (M11, App-only); replaying requestID returns the same one.
	CreateEnhancedAttestation(ctx context.Context, requestID string, req wire.EnhancedAttestationRequest) (*wire.EnhancedAttestation, error)
	// GetEnhancedAttestation reads an attestation's state (Pending, Accepted, Expired).
	GetEnhancedAttestation(ctx context.Context, attestationID string) (*wire.EnhancedAttestation, error)
	// CreateAttestedAgreement records the agreement referencing an accepted
	// attestation; replaying requestID returns the original answer, an
	// identical agreement again fails with 600061.
	CreateAttestedAgreement(ctx context.Context, requestID, customerID string, agreement wire.Agreement) (*wire.Agreement, error)
	// ListAgreements lists the customer's confirmed MCA attestations (M6).
	ListAgreements(ctx context.Context, customerID string) ([]wire.Agreement, error)
	// GetDirectSignedStatus reports the customer's own acceptance in the admin center (M6, M7).
	GetDirectSignedStatus(ctx context.Context, customerID string) (*wire.DirectSignedStatus, error)
	// GetBillingProfile reads the company name, country and language of a
	// customer whose Customer object does not declare them (an existing tenant, M11).
	GetBillingProfile(ctx context.Context, customerID string) (*wire.BillingProfile, error)
	// GetRelationshipRequestURL returns the partner's reseller-relationship
	// invitation, which also asks the customer to accept the MCA (M8).
	GetRelationshipRequestURL(ctx context.Context) (*wire.RelationshipRequest, error)
}

var _ External = (*partnercenter.Client)(nil)
