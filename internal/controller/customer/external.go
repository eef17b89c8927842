package customer

import (
	"context"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// External is exactly the Partner Center (and ARM) surface a Customer uses,
// so the reconciler reads like the rules and tests can inject faults around
// it. *partnercenter.Client implements it.
type External interface {
	// CheckDomainAvailable reports whether <prefix>.onmicrosoft.com is free (C13).
	CheckDomainAvailable(ctx context.Context, domain string) (bool, error)
	// ValidateAddress returns Partner Center's verdict on an address (C5).
	ValidateAddress(ctx context.Context, address wire.Address) (*wire.AddressValidationResponse, error)
	// CreateCustomer creates the customer; replaying requestID returns the original response (C12).
	CreateCustomer(ctx context.Context, requestID string, req wire.CustomerCreateRequest) (*wire.Customer, error)
	// FindCustomer reads one customer by tenant ID; found is false when the partner has none (C7 adoption).
	FindCustomer(ctx context.Context, tenantID string) (customer *wire.Customer, found bool, err error)
	// ListAllCustomers lists the partner's customers (crash recovery on delete).
	ListAllCustomers(ctx context.Context, pageSize int, filter *wire.Filter) ([]wire.Customer, error)
	// DeleteCustomer deletes a customer where Partner Center allows it.
	DeleteCustomer(ctx context.Context, requestID, customerID string) error
	// GetBillingProfile reads the billing profile with its etag (C10).
	GetBillingProfile(ctx context.Context, customerID string) (*wire.BillingProfile, error)
	// UpdateBillingProfile writes the billing profile with its etag (C10).
	UpdateBillingProfile(ctx context.Context, requestID, customerID string, profile wire.BillingProfile) (*wire.BillingProfile, error)
	// GetAccountValidationStatus reads the account status; nil means none (C10).
	GetAccountValidationStatus(ctx context.Context, customerID string) (*wire.ValidationStatus, error)
	// ListQualifications reads the customer's qualifications (C8).
	ListQualifications(ctx context.Context, customerID string) ([]wire.Qualification, error)
	// CreateQualification requests a segment qualification (C8).
	CreateQualification(ctx context.Context, requestID, customerID string, req wire.QualificationRequest) (*wire.Qualification, error)
	// GetRelationshipRequestURL returns the partner's reseller relationship request link (C7).
	GetRelationshipRequestURL(ctx context.Context) (*wire.RelationshipRequest, error)
	// ListAgreements lists the customer's confirmed MCA attestations (M6).
	ListAgreements(ctx context.Context, customerID string) ([]wire.Agreement, error)
	// GetDirectSignedStatus reports the customer's own MCA acceptance (M6).
	GetDirectSignedStatus(ctx context.Context, customerID string) (*wire.DirectSignedStatus, error)
	// SetCostManagementPolicy sets the ARM viewCharges policy of the customer (C11).
	SetCostManagementPolicy(ctx context.Context, requestID, billingAccountName, customerID, viewCharges string) (*wire.CostManagementPolicy, error)
}

var _ External = (*partnercenter.Client)(nil)
