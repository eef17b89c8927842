package wire

import (
	"fmt"
	"time"
)

// Object types carried in attributes.objectType.
const (
	ObjectTypeCustomer            = "Customer"
	ObjectTypeCompanyProfile      = "CustomerCompanyProfile"
	ObjectTypeBillingProfile      = "CustomerBillingProfile"
	ObjectTypeCollection          = "Collection"
	ObjectTypePartnerRelationship = "PartnerRelationship"
	ObjectTypeRelationshipRequest = "RelationshipRequest"
	ObjectTypeOrder               = "Order"
	ObjectTypeOrderLineItem       = "OrderLineItem"
	ObjectTypeSubscription        = "Subscription"
	ObjectTypeSupportContact      = "SupportContact"
	ObjectTypeAgreement           = "Agreement"
	ObjectTypeAgreementMetaData   = "AgreementMetaData"
)

// Attributes is the resource envelope's attributes object.
type Attributes struct {
	// ObjectType names the resource kind, e.g. "Customer".
	ObjectType string `json:"objectType,omitempty"`
	// Etag is the opaque concurrency token of billing profiles and subscriptions.
	Etag string `json:"etag,omitempty"`
}

// LinkHeader is one header attached to a Link.
type LinkHeader struct {
	// Key is the header name.
	Key string `json:"key"`
	// Value is the header value.
	Value string `json:"value"`
}

// Link is one navigation link of a resource.
type Link struct {
	// URI is the link target, usually relative to the API root.
	URI string `json:"uri"`
	// Method is the HTTP method to use on URI.
	Method string `json:"method"`
	// Headers are extra headers to send, e.g. MS-ContinuationToken for paging.
	Headers []LinkHeader `json:"headers"`
}

// Links maps a relation name ("self", "next", "provisioningStatus", ...) to its link.
type Links map[string]Link

// Collection is the envelope of list responses.
type Collection[T any] struct {
	// TotalCount is the number of items on this page.
	TotalCount int `json:"totalCount"`
	// Items are the resources on this page.
	Items []T `json:"items"`
	// ContinuationToken is set when more pages exist (customer lists).
	ContinuationToken string `json:"continuationToken,omitempty"`
	// Links holds paging links such as "next".
	Links Links `json:"links,omitempty"`
	// Attributes has objectType "Collection".
	Attributes Attributes `json:"attributes"`
}

// Address is a postal address as used by billing profiles and address validation.
type Address struct {
	Country      string `json:"country,omitempty"`
	Region       string `json:"region,omitempty"`
	City         string `json:"city,omitempty"`
	State        string `json:"state,omitempty"`
	AddressLine1 string `json:"addressLine1,omitempty"`
	AddressLine2 string `json:"addressLine2,omitempty"`
	AddressLine3 string `json:"addressLine3,omitempty"`
	PostalCode   string `json:"postalCode,omitempty"`
	FirstName    string `json:"firstName,omitempty"`
	MiddleName   string `json:"middleName,omitempty"`
	LastName     string `json:"lastName,omitempty"`
	PhoneNumber  string `json:"phoneNumber,omitempty"`
}

// CompanyProfile is a customer's company profile (no documented PUT).
type CompanyProfile struct {
	// TenantID equals the customer id (the Entra tenant id).
	TenantID string `json:"tenantId,omitempty"`
	// Domain is the initial domain, e.g. contoso.onmicrosoft.com.
	Domain      string `json:"domain,omitempty"`
	CompanyName string `json:"companyName,omitempty"`
	// OrganizationRegistrationNumber is required for the countries listed in RegistrationNumberCountries.
	OrganizationRegistrationNumber string     `json:"organizationRegistrationNumber,omitempty"`
	Address                        *Address   `json:"address,omitempty"`
	Email                          string     `json:"email,omitempty"`
	Links                          Links      `json:"links,omitempty"`
	Attributes                     Attributes `json:"attributes,omitzero"`
}

// BillingProfile is a customer's billing profile; PUT it whole with its etag.
type BillingProfile struct {
	ID             string     `json:"id,omitempty"`
	FirstName      string     `json:"firstName,omitempty"`
	LastName       string     `json:"lastName,omitempty"`
	Email          string     `json:"email,omitempty"`
	Culture        string     `json:"culture,omitempty"`
	Language       string     `json:"language,omitempty"`
	CompanyName    string     `json:"companyName,omitempty"`
	DefaultAddress *Address   `json:"defaultAddress,omitempty"`
	Links          Links      `json:"links,omitempty"`
	Attributes     Attributes `json:"attributes,omitzero"`
}

// UserCredentials are the new tenant's admin credentials, returned only once by create customer.
type UserCredentials struct {
	// UserName is the bare alias ("admin"); the UPN is admin@<domain>.
	UserName string `json:"userName,omitempty"`
	// Password is the temporary admin password. Never log it.
	Password string `json:"password,omitempty"`
}

// String redacts the password so the credentials are safe in %v output.
func (u UserCredentials) String() string {
	return fmt.Sprintf("{userName:%s password:[REDACTED]}", u.UserName)
}

// GoString redacts the password in %#v output.
func (u UserCredentials) GoString() string { return u.String() }

// Relationship of a customer to the partner (customer.relationshipToPartner, lower case).
const (
	RelationshipNone     = "none"
	RelationshipReseller = "reseller"
	RelationshipAdvisor  = "advisor"
)

// Customer is the customer resource as returned by the API.
type Customer struct {
	// ID is the customer tenant id (== CompanyProfile.TenantID).
	ID             string          `json:"id,omitempty"`
	CommerceID     string          `json:"commerceId,omitempty"`
	CompanyProfile *CompanyProfile `json:"companyProfile,omitempty"`
	BillingProfile *BillingProfile `json:"billingProfile,omitempty"`
	// RelationshipToPartner is RelationshipReseller, RelationshipNone, ...
	RelationshipToPartner string `json:"relationshipToPartner,omitempty"`
	// AllowDelegatedAccess is the legacy DAP indicator (GET by id only).
	AllowDelegatedAccess *bool `json:"allowDelegatedAccess,omitempty"`
	// UserCredentials is present only in the create response.
	UserCredentials *UserCredentials `json:"userCredentials,omitempty"`
	// AssociatedPartnerID is the indirect reseller's tenant id (indirect customers only).
	AssociatedPartnerID string     `json:"associatedPartnerId,omitempty"`
	CustomDomains       []string   `json:"customDomains,omitempty"`
	Links               Links      `json:"links,omitempty"`
	Attributes          Attributes `json:"attributes,omitzero"`
}

// CustomerCreateRequest is the body of POST /v1/customers.
type CustomerCreateRequest struct {
	// EnableGDAPByDefault: true or nil creates the default GDAP relationship, false does not (C9).
	EnableGDAPByDefault *bool          `json:"enableGDAPByDefault,omitempty"`
	CompanyProfile      CompanyProfile `json:"companyProfile"`
	BillingProfile      BillingProfile `json:"billingProfile"`
	// AssociatedPartnerID is the indirect reseller's TENANT id (not MPN id); App+User only.
	AssociatedPartnerID string `json:"associatedPartnerId,omitempty"`
}

// RegistrationNumberCountries are the ISO alpha-2 countries whose customers must give
// organizationRegistrationNumber and defaultAddress.phoneNumber (errors 600049/600051).
var RegistrationNumberCountries = []string{
	"AM", "AZ", "BY", "HU", "KZ", "KG", "MD", "RU", "TJ", "UZ", "UA",
	"IN", "BR", "ZA", "PL", "AE", "SA", "TR", "TH", "VN", "MM", "IQ", "SS", "VE",
}

// Customer list filter fields and operator (PascalCase keys, as documented).
const (
	FilterFieldCompanyName                   = "CompanyName"
	FilterFieldDomain                        = "Domain"
	FilterFieldIndirectReseller              = "IndirectReseller"
	FilterFieldIndirectCloudSolutionProvider = "IndirectCloudSolutionProvider"
	FilterFieldName                          = "Name"
	FilterOperatorStartsWith                 = "starts_with"
)

// Filter is the JSON object passed URL-encoded in the filter query parameter.
type Filter struct {
	Field    string `json:"Field"`
	Value    string `json:"Value"`
	Operator string `json:"Operator"`
}

// Address validation verdicts (PascalCase).
const (
	AddressStatusVerifiedShippable   = "VerifiedShippable"
	AddressStatusVerified            = "Verified"
	AddressStatusInteractionRequired = "InteractionRequired"
	AddressStatusStreetPartial       = "StreetPartial"
	AddressStatusPremisesPartial     = "PremisesPartial"
	AddressStatusMultiple            = "Multiple"
	AddressStatusNone                = "None"
	AddressStatusNotValidated        = "NotValidated"
)

// AddressValidationResponse is the 200 body of POST /v1/validations/address.
type AddressValidationResponse struct {
	OriginalAddress    Address   `json:"originalAddress"`
	SuggestedAddresses []Address `json:"suggestedAddresses,omitempty"`
	// Status is one of the AddressStatus* constants.
	Status            string `json:"status"`
	ValidationMessage string `json:"validationMessage,omitempty"`
}

// Passed reports whether the verdict counts as a valid address (Verified or VerifiedShippable).
func (r AddressValidationResponse) Passed() bool {
	return r.Status == AddressStatusVerified || r.Status == AddressStatusVerifiedShippable
}

// Account validation statuses (PascalCase; "Not Ready" has a space).
const (
	AccountStatusUnknown     = "Unknown"
	AccountStatusUnderReview = "UnderReview"
	AccountStatusAllowed     = "Allowed"
	AccountStatusNotAllowed  = "NotAllowed"
	AccountStatusNotReady    = "Not Ready"
	// ValidationTypeAccount is the only validation type the operator queries.
	ValidationTypeAccount = "account"
)

// ValidationStatus is the 200 body of GET /v1/customers/{id}/validationStatus?type=account.
type ValidationStatus struct {
	Type string `json:"type"`
	// Status is one of the AccountStatus* constants.
	Status string `json:"status"`
	// LastUpdateDateTime is UTC without a zone suffix; see ParseTime.
	LastUpdateDateTime string `json:"lastUpdateDateTime,omitempty"`
}

// Qualification types and vetting statuses (PascalCase).
const (
	QualificationNone                     = "None"
	QualificationEducation                = "Education"
	QualificationNonprofit                = "Nonprofit"
	QualificationGovernmentCommunityCloud = "GovernmentCommunityCloud"
	QualificationStateOwnedEntity         = "StateOwnedEntity"
	VettingInReview                       = "InReview"
	VettingApproved                       = "Approved"
	VettingDenied                         = "Denied"
	EducationSegmentK12                   = "K12"
	EducationSegmentHigherEducation       = "HigherEducation"
)

// Qualification is one entry of the qualifications array.
type Qualification struct {
	Qualification string `json:"qualification"`
	VettingStatus string `json:"vettingStatus,omitempty"`
	VettingReason string `json:"vettingReason,omitempty"`
	// VettingCreatedDate is the GET spelling.
	VettingCreatedDate string `json:"vettingCreatedDate,omitempty"`
	// VettingCreateDate is the POST-response spelling; use CreatedDate to read either.
	VettingCreateDate string `json:"vettingCreateDate,omitempty"`
}

// CreatedDate returns the vetting creation date whichever spelling the server used.
func (q Qualification) CreatedDate() string {
	if q.VettingCreatedDate != "" {
		return q.VettingCreatedDate
	}
	return q.VettingCreateDate
}

// QualificationRequest is the body of POST /v1/customers/{id}/qualifications.
type QualificationRequest struct {
	Qualification    string `json:"qualification"`
	EducationSegment string `json:"educationSegment,omitempty"`
	Website          string `json:"website,omitempty"`
	ValidationCode   string `json:"validationCode,omitempty"`
}

// Agreement types and templates.
const (
	AgreementTypeMCA   = "MicrosoftCustomerAgreement"
	AgreementTypeCloud = "MicrosoftCloudAgreement"
	AgreementTypeAll   = "*"
	// MCATemplateID is the Microsoft Customer Agreement template.
	MCATemplateID = "117a77b0-9360-443b-8795-c6dedc750cf9"
	// CloudAgreementTemplateID is the retired Microsoft Cloud Agreement template.
	CloudAgreementTemplateID = "998b88de-aa99-4388-a42c-1b3517d49490"
	// MCAAgreementLink is the MCA's public link.
	MCAAgreementLink = "https://aka.ms/customeragreement"
	// MCADirectAcceptanceURL is where a customer accepts the MCA directly (portal, not API).
	MCADirectAcceptanceURL = "https://admin.microsoft.com/AdminPortal/Home?ref=/BillingAccounts/agreement"
)

// AgreementMetadata is one item of GET /v1/agreements.
type AgreementMetadata struct {
	TemplateID    string `json:"templateId"`
	AgreementType string `json:"agreementType"`
	AgreementLink string `json:"agreementLink,omitempty"`
	VersionRank   int    `json:"versionRank"`
}

// Contact is an agreement's primary contact.
type Contact struct {
	FirstName   string `json:"firstName"`
	LastName    string `json:"lastName"`
	Email       string `json:"email"`
	PhoneNumber string `json:"phoneNumber,omitempty"`
}

// Agreement is a partner attestation of a customer's agreement acceptance.
type Agreement struct {
	PrimaryContact Contact `json:"primaryContact"`
	TemplateID     string  `json:"templateId"`
	// DateAgreed is a UTC date-time string, e.g. 2018-06-14T00:00:00.000Z. The
	// enhanced flow sends none: Partner Center records the customer's acceptance.
	DateAgreed string `json:"dateAgreed,omitempty"`
	// Type is AgreementTypeMCA for the operator.
	Type string `json:"type"`
	// UserID is set by the server from the App+User token.
	UserID string `json:"userId,omitempty"`
	// AttestationID references the enhanced attestation the customer accepted
	// (2026 flow). Choice: the property name; Microsoft's sample is unreadable.
	AttestationID string     `json:"attestationId,omitempty"`
	AgreementLink string     `json:"agreementLink,omitempty"`
	Attributes    Attributes `json:"attributes,omitzero"`
}

// DirectSignedStatus reports whether the customer accepted the MCA in the admin center.
type DirectSignedStatus struct {
	IsSigned bool `json:"isSigned"`
}

// Relationship types (snake_case in bodies, PascalCase in the relationship_type query).
const (
	RelationshipTypeIndirectCSPOf       = "is_indirect_cloud_solution_provider_of"
	RelationshipTypeIndirectResellerOf  = "is_indirect_reseller_of"
	RelationshipQueryIndirectCSPOf      = "IsIndirectCloudSolutionProviderOf"
	RelationshipQueryIndirectResellerOf = "IsIndirectResellerOf"
	RelationshipStateActive             = "Active"
)

// PartnerRelationship is an indirect reseller in the provider's relationship list.
type PartnerRelationship struct {
	// ID is the reseller's TENANT id (use as AssociatedPartnerID).
	ID               string     `json:"id"`
	Name             string     `json:"name,omitempty"`
	RelationshipType string     `json:"relationshipType,omitempty"`
	State            string     `json:"state,omitempty"`
	MpnID            string     `json:"mpnId,omitempty"`
	Location         string     `json:"location,omitempty"`
	Attributes       Attributes `json:"attributes,omitzero"`
}

// RelationshipRequest carries the per-partner reseller-relationship invitation URL.
type RelationshipRequest struct {
	URL        string     `json:"url"`
	Attributes Attributes `json:"attributes,omitzero"`
}

// ResellerAgreementStatus is the body of GET /v1/compliance/csp/agreementstatus.
type ResellerAgreementStatus struct {
	IsAgreementSigned bool `json:"isAgreementSigned"`
}

// Billing cycles (lower/snake case).
const (
	BillingCycleMonthly   = "monthly"
	BillingCycleAnnual    = "annual"
	BillingCycleTriennial = "triennial"
	BillingCycleBiennial  = "biennial"
	BillingCycleOneTime   = "one_time"
	BillingCycleNone      = "none"
	BillingCycleUnknown   = "unknown"
)

// Term durations (ISO 8601).
const (
	TermP1M = "P1M"
	TermP1Y = "P1Y"
	TermP3Y = "P3Y"
)

// Order statuses (lower case).
const (
	OrderStatusUnknown   = "unknown"
	OrderStatusCompleted = "completed"
	OrderStatusPending   = "pending"
	OrderStatusCancelled = "cancelled"
)

// RenewsTo is the term a line item renews into.
type RenewsTo struct {
	TermDuration string `json:"termDuration"`
}

// OrderLineItem is one line of an order.
type OrderLineItem struct {
	// LineItemNumber runs 0..count-1 and is always sent (0 is valid).
	LineItemNumber int    `json:"lineItemNumber"`
	OfferID        string `json:"offerId"`
	// SubscriptionID is set by the server.
	SubscriptionID  string `json:"subscriptionId,omitempty"`
	TermDuration    string `json:"termDuration,omitempty"`
	TransactionType string `json:"transactionType,omitempty"`
	FriendlyName    string `json:"friendlyName,omitempty"`
	Quantity        int    `json:"quantity"`
	// PartnerIDOnRecord is the reseller's MPN id (never the provider's).
	PartnerIDOnRecord            string            `json:"partnerIdOnRecord,omitempty"`
	AdditionalPartnerIDsOnRecord []string          `json:"additionalPartnerIdsOnRecord,omitempty"`
	ProvisioningContext          map[string]string `json:"provisioningContext,omitempty"`
	RenewsTo                     *RenewsTo         `json:"renewsTo,omitempty"`
	PromotionID                  string            `json:"promotionId,omitempty"`
	AttestationAccepted          *bool             `json:"attestationAccepted,omitempty"`
	Links                        Links             `json:"links,omitempty"`
}

// Order is both the create-order request and the order resource.
type Order struct {
	ID                  string `json:"id,omitempty"`
	AlternateID         string `json:"alternateId,omitempty"`
	ReferenceCustomerID string `json:"referenceCustomerId,omitempty"`
	BillingCycle        string `json:"billingCycle,omitempty"`
	// PartnerOnRecordAttestationAccepted is required by newer API versions on create.
	PartnerOnRecordAttestationAccepted bool            `json:"partnerOnRecordAttestationAccepted,omitempty"`
	CurrencyCode                       string          `json:"currencyCode,omitempty"`
	CurrencySymbol                     string          `json:"currencySymbol,omitempty"`
	LineItems                          []OrderLineItem `json:"lineItems"`
	CreationDate                       string          `json:"creationDate,omitempty"`
	// Status is one of the OrderStatus* constants.
	Status          string     `json:"status,omitempty"`
	TransactionType string     `json:"transactionType,omitempty"`
	Links           Links      `json:"links,omitempty"`
	Attributes      Attributes `json:"attributes,omitzero"`
}

// Subscription statuses (lower case). SubscriptionStatusDeleted on PATCH is the NCE cancel.
const (
	SubscriptionStatusNone      = "none"
	SubscriptionStatusActive    = "active"
	SubscriptionStatusSuspended = "suspended"
	SubscriptionStatusDeleted   = "deleted"
	SubscriptionStatusExpired   = "expired"
	SubscriptionStatusPending   = "pending"
	SubscriptionStatusDisabled  = "disabled"
)

// Subscription unit and billing types.
const (
	UnitTypeLicenses         = "Licenses"
	UnitTypeUsageBased       = "Usage-based"
	BillingTypeLicense       = "license"
	BillingTypeUsage         = "usage"
	BillingTypeNone          = "none"
	ContractTypeSubscription = "subscription"
)

// ProductType is a subscription's product type item.
type ProductType struct {
	ID          string `json:"id,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
}

// RefundOption is one refund option of a subscription.
type RefundOption struct {
	Type      string `json:"type,omitempty"`
	ExpiresAt string `json:"expiresAt,omitempty"`
}

// ScheduledProduct is the product part of scheduled next-term instructions.
type ScheduledProduct struct {
	ProductID      string `json:"productId,omitempty"`
	SkuID          string `json:"skuId,omitempty"`
	AvailabilityID string `json:"availabilityId,omitempty"`
	BillingCycle   string `json:"billingCycle,omitempty"`
	TermDuration   string `json:"termDuration,omitempty"`
}

// ScheduledNextTermInstructions are applied when the subscription renews.
type ScheduledNextTermInstructions struct {
	Product  ScheduledProduct `json:"product"`
	Quantity int              `json:"quantity"`
}

// Subscription is the subscription resource; PATCH it whole with its etag.
type Subscription struct {
	ID                           string       `json:"id"`
	EntitlementID                string       `json:"entitlementId,omitempty"`
	OfferID                      string       `json:"offerId,omitempty"`
	OfferName                    string       `json:"offerName,omitempty"`
	FriendlyName                 string       `json:"friendlyName,omitempty"`
	ProductType                  *ProductType `json:"productType,omitempty"`
	Quantity                     int          `json:"quantity"`
	UnitType                     string       `json:"unitType,omitempty"`
	ParentSubscriptionID         string       `json:"parentSubscriptionId,omitempty"`
	CreationDate                 string       `json:"creationDate,omitempty"`
	EffectiveStartDate           string       `json:"effectiveStartDate,omitempty"`
	CommitmentEndDate            string       `json:"commitmentEndDate,omitempty"`
	CancellationAllowedUntilDate string       `json:"cancellationAllowedUntilDate,omitempty"`
	BillingCycleEndDate          string       `json:"billingCycleEndDate,omitempty"`
	// Status is one of the SubscriptionStatus* constants.
	Status              string `json:"status,omitempty"`
	AutoRenewEnabled    bool   `json:"autoRenewEnabled"`
	BillingType         string `json:"billingType,omitempty"`
	BillingCycle        string `json:"billingCycle,omitempty"`
	TermDuration        string `json:"termDuration,omitempty"`
	RenewalTermDuration string `json:"renewalTermDuration,omitempty"`
	IsTrial             bool   `json:"isTrial"`
	// PartnerID is the reseller-of-record MPN id.
	PartnerID                     string                         `json:"partnerId,omitempty"`
	SuspensionReasons             []string                       `json:"suspensionReasons,omitempty"`
	RefundOptions                 []RefundOption                 `json:"refundOptions,omitempty"`
	ScheduledNextTermInstructions *ScheduledNextTermInstructions `json:"scheduledNextTermInstructions,omitempty"`
	ContractType                  string                         `json:"contractType,omitempty"`
	OrderID                       string                         `json:"orderId,omitempty"`
	Links                         Links                          `json:"links,omitempty"`
	Attributes                    Attributes                     `json:"attributes,omitzero"`
	RefundableQuantity            *RefundableQuantity            `json:"refundableQuantity,omitempty"`
	ScheduledActions              []ScheduledAction              `json:"scheduledActions,omitempty"`

	// asRead is the resource as Partner Center sent it (resource.go).
	asRead []byte
}

// SubscriptionUpdateResult is the outcome of a subscription PATCH.
type SubscriptionUpdateResult struct {
	// Subscription is the updated resource (200), or nil when the change was accepted (202).
	Subscription *Subscription
	// Accepted is true for 202 Accepted: poll the subscription (Location says where).
	Accepted bool
	// Location is the Location header of a 202.
	Location string
}

// SupportContact is a subscription's designated support contact (an indirect reseller).
type SupportContact struct {
	SupportTenantID string     `json:"supportTenantId"`
	SupportMpnID    string     `json:"supportMpnId"`
	Name            string     `json:"name,omitempty"`
	Links           Links      `json:"links,omitempty"`
	Attributes      Attributes `json:"attributes,omitzero"`
}

// Cost-management viewCharges values (C11).
const (
	ViewChargesAllowed    = "Allowed"
	ViewChargesNotAllowed = "NotAllowed"
)

// CostManagementPolicyProperties are the properties of the ARM customer policy.
type CostManagementPolicyProperties struct {
	ViewCharges string `json:"viewCharges"`
}

// CostManagementPolicy is the ARM customer policy body (.../policies/default).
type CostManagementPolicy struct {
	ID         string                         `json:"id,omitempty"`
	Name       string                         `json:"name,omitempty"`
	Type       string                         `json:"type,omitempty"`
	Properties CostManagementPolicyProperties `json:"properties"`
}

// zonelessLayouts are the time layouts the API uses; several omit the zone (meaning UTC).
var zonelessLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02"}

// ParseTime parses an API date-time, treating a missing zone as UTC.
func ParseTime(s string) (time.Time, error) {
	var firstErr error
	for _, layout := range zonelessLayouts {
		t, err := time.Parse(layout, s)
		if err == nil {
			return t.UTC(), nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return time.Time{}, firstErr
}

// FormatTime renders t the way the API writes date-times (UTC, RFC 3339).
func FormatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
