package customer

import (
	"context"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
)

// External is exactly the Partner Center (and ARM) surface a Customer uses,
// so the reconciler reads like the rules and tests can inject faults around
// it. *partnercenter.Client implements it.
type External interface {
	// CheckDomainAvailable reports whether <prefix>.onmicrosoft.com is free (C13).
	CheckDomainAvailable(ctx context.Context, domain string) (bool, error)
	// ValidateAddress returns Partner Center's verdict on an address (C5).
	ValidateAddress(ctx context.Context, address partnercenter.Address) (*partnercenter.AddressValidationResponse, error)
	// CreateCustomer creates the customer; replaying requestID returns the original response (C12).
	CreateCustomer(ctx context.Context, requestID string, req partnercenter.CustomerCreateRequest) (*partnercenter.Customer, error)
	// FindCustomer reads one customer by tenant ID; found is false when the partner has none (C7 adoption).
	FindCustomer(ctx context.Context, tenantID string) (customer *partnercenter.Customer, found bool, err error)
	// ListAllCustomers lists the partner's customers (crash recovery on delete).
	ListAllCustomers(ctx context.Context, pageSize int, filter *partnercenter.Filter) ([]partnercenter.Customer, error)
	// DeleteCustomer deletes a customer where Partner Center allows it.
	DeleteCustomer(ctx context.Context, requestID, customerID string) error
	// GetBillingProfile reads the billing profile with its etag (C10).
	GetBillingProfile(ctx context.Context, customerID string) (*partnercenter.BillingProfile, error)
	// UpdateBillingProfile writes the billing profile with its etag (C10).
	UpdateBillingProfile(ctx context.Context, requestID, customerID string, profile partnercenter.BillingProfile) (*partnercenter.BillingProfile, error)
	// GetAccountValidationStatus reads the account status; nil means none (C10).
	GetAccountValidationStatus(ctx context.Context, customerID string) (*partnercenter.ValidationStatus, error)
	// ListQualifications reads the customer's qualifications (C8).
	ListQualifications(ctx context.Context, customerID string) ([]partnercenter.Qualification, error)
	// CreateQualification requests a segment qualification (C8).
	CreateQualification(ctx context.Context, requestID, customerID string, req partnercenter.QualificationRequest) (*partnercenter.Qualification, error)
	// GetRelationshipRequestURL returns the partner's reseller relationship request link (C7).
	GetRelationshipRequestURL(ctx context.Context) (*partnercenter.RelationshipRequest, error)
	// ListAgreements lists the customer's confirmed MCA attestations (M6).
	ListAgreements(ctx context.Context, customerID string) ([]partnercenter.Agreement, error)
	// GetDirectSignedStatus reports the customer's own MCA acceptance (M6).
	GetDirectSignedStatus(ctx context.Context, customerID string) (*partnercenter.DirectSignedStatus, error)
	// SetCostManagementPolicy sets the ARM viewCharges policy of the customer (C11).
	SetCostManagementPolicy(ctx context.Context, requestID, billingAccountName, customerID, viewCharges string) (*partnercenter.CostManagementPolicy, error)
}

var _ External = (*partnercenter.Client)(nil)
