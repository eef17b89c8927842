package wire

import "slices"

// Operation names. The client labels metrics with them and the simulator
// counts calls per operation with the same strings. Each comment gives the
// method and path (relative to the base URL) and the credential it needs:
// "App+User only" operations reject app-only tokens (API notes, section 1).
const (
	// OpCheckDomain is HEAD /v1/domains/{domain}: 200 = taken, 404 = free. App-only OK.
	OpCheckDomain = "CheckDomain"
	// OpValidateAddress is POST /v1/validations/address. App-only OK.
	OpValidateAddress = "ValidateAddress"
	// OpCreateCustomer is POST /v1/customers → 201. App-only OK for a direct customer;
	// App+User only when associatedPartnerId (indirect reseller) is set.
	OpCreateCustomer = "CreateCustomer"
	// OpGetCustomer is GET /v1/customers/{id}. App-only OK.
	OpGetCustomer = "GetCustomer"
	// OpListCustomers is GET /v1/customers?size=N[&filter=...] (paging: seekOperation=Next +
	// MS-ContinuationToken). App-only OK, except App+User only with the IndirectReseller filter.
	OpListCustomers = "ListCustomers"
	// OpDeleteCustomer is DELETE /v1/customers/{id} → 204 (integration sandbox only). App-only OK.
	OpDeleteCustomer = "DeleteCustomer"
	// OpGetBillingProfile is GET /v1/customers/{id}/profiles/billing. App-only OK.
	OpGetBillingProfile = "GetBillingProfile"
	// OpUpdateBillingProfile is PUT /v1/customers/{id}/profiles/billing with If-Match. App-only OK.
	OpUpdateBillingProfile = "UpdateBillingProfile"
	// OpGetAccountValidationStatus is GET /v1/customers/{id}/validationStatus?type=account. App+User only.
	OpGetAccountValidationStatus = "GetAccountValidationStatus"
	// OpListQualifications is GET /v1/customers/{id}/qualifications (plain JSON array). App-only OK.
	OpListQualifications = "ListQualifications"
	// OpCreateQualification is POST /v1/customers/{id}/qualifications → 201. App+User only.
	OpCreateQualification = "CreateQualification"
	// OpGetAgreementMetadata is GET /v1/agreements?agreementType=MicrosoftCustomerAgreement. App+User only.
	OpGetAgreementMetadata = "GetAgreementMetadata"
	// OpCreateAgreement is POST /v1/customers/{id}/agreements → 201. App+User only.
	OpCreateAgreement = "CreateAgreement"
	// OpListAgreements is GET /v1/customers/{id}/agreements?agreementType=MicrosoftCustomerAgreement. App+User only.
	OpListAgreements = "ListAgreements"
	// OpGetDirectSignedStatus is GET /v1/customers/{id}/directSignedMicrosoftCustomerAgreementStatus. App+User only.
	OpGetDirectSignedStatus = "GetDirectSignedStatus"
	// OpGetRelationshipRequest is GET /v1/customers/relationshiprequests. App+User only.
	OpGetRelationshipRequest = "GetRelationshipRequest"
	// OpListIndirectResellers is GET /v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf. App+User only.
	OpListIndirectResellers = "ListIndirectResellers"
	// OpGetResellerAgreementStatus is GET /v1/compliance/csp/agreementstatus?mpnId={mpnId}. App+User only.
	OpGetResellerAgreementStatus = "GetResellerAgreementStatus"
	// OpCreateOrder is POST /v1/customers/{id}/orders → 201. App-only OK.
	OpCreateOrder = "CreateOrder"
	// OpGetOrder is GET /v1/customers/{id}/orders/{orderId}. App-only OK.
	OpGetOrder = "GetOrder"
	// OpListSubscriptions is GET /v1/customers/{id}/subscriptions[?order_id={orderId}]. App-only OK.
	OpListSubscriptions = "ListSubscriptions"
	// OpGetSubscription is GET /v1/customers/{id}/subscriptions/{subId}. App-only OK.
	OpGetSubscription = "GetSubscription"
	// OpUpdateSubscription is PATCH /v1/customers/{id}/subscriptions/{subId} with If-Match → 200 or 202. App-only OK.
	OpUpdateSubscription = "UpdateSubscription"
	// OpUpdateSupportContact is PUT /v1/customers/{id}/subscriptions/{subId}/supportcontact. App+User only.
	OpUpdateSupportContact = "UpdateSupportContact"
	// OpSetCostManagementPolicy is the ARM call PUT {arm}/providers/Microsoft.Billing/billingAccounts/{account}/
	// customers/{customerId}/policies/default?api-version=2020-05-01 (ARM token, not Partner Center).
	OpSetCostManagementPolicy = "SetCostManagementPolicy"
)

// AllOperations lists every operation name, for metrics initialisation and simulator counters.
var AllOperations = append(append([]string{
	OpCheckDomain, OpValidateAddress, OpCreateCustomer, OpGetCustomer, OpListCustomers,
	OpDeleteCustomer, OpGetBillingProfile, OpUpdateBillingProfile, OpGetAccountValidationStatus,
	OpListQualifications, OpCreateQualification, OpGetAgreementMetadata, OpCreateAgreement,
	OpListAgreements, OpGetDirectSignedStatus, OpGetRelationshipRequest, OpListIndirectResellers,
	OpGetResellerAgreementStatus, OpCreateOrder, OpGetOrder, OpListSubscriptions, OpGetSubscription,
	OpUpdateSubscription, OpUpdateSupportContact, OpSetCostManagementPolicy, OpListAuditRecords,
}, AttestationOperations...), CartOperations...)

// ChangingOperations are the operations that change something in Partner Center (or ARM);
// every other operation only reads (ValidateAddress is a POST that stores nothing). The
// client's audit trail and the simulator's write counter both use this one list.
var ChangingOperations = []string{
	OpCreateCustomer, OpDeleteCustomer, OpUpdateBillingProfile, OpCreateQualification,
	OpCreateAgreement, OpCreateOrder, OpUpdateSubscription, OpUpdateSupportContact,
	OpSetCostManagementPolicy, OpCreateEnhancedAttestation, OpCreateCart, OpCheckoutCart,
}

// Changes reports whether op changes something in Partner Center (ChangingOperations).
func Changes(op string) bool { return slices.Contains(ChangingOperations, op) }

// appUserOnly are the operations that always reject app-only tokens.
var appUserOnly = map[string]bool{
	OpGetAccountValidationStatus: true,
	OpCreateQualification:        true,
	OpGetAgreementMetadata:       true,
	OpCreateAgreement:            true,
	OpListAgreements:             true,
	OpGetDirectSignedStatus:      true,
	OpGetRelationshipRequest:     true,
	OpListIndirectResellers:      true,
	OpGetResellerAgreementStatus: true,
	OpUpdateSupportContact:       true,
}

// RequiresAppUser reports whether op always needs an App+User token. CreateCustomer with an
// associatedPartnerId and ListCustomers with the IndirectReseller filter need one too;
// those depend on the request, not the operation name.
func RequiresAppUser(op string) bool { return appUserOnly[op] }

// Header names used on the wire.
const (
	HeaderRequestID         = "MS-RequestId"
	HeaderCorrelationID     = "MS-CorrelationId"
	HeaderContinuationToken = "MS-ContinuationToken"
	HeaderRetryAfter        = "Retry-After"
	HeaderIfMatch           = "If-Match"
	HeaderLocale            = "X-Locale"
)

// Well-known endpoints and scopes.
const (
	// DefaultBaseURL is the global Partner Center endpoint.
	DefaultBaseURL = "https://api.partnercenter.microsoft.com"
	// DefaultARMBaseURL is the Azure Resource Manager endpoint (cost-management policy, C11).
	DefaultARMBaseURL = "https://management.azure.com"
	// ScopeAppOnly is the scope for app-only (client credentials) tokens.
	ScopeAppOnly = "https://api.partnercenter.microsoft.com/.default"
	// ScopeAppUser is the delegated scope for App+User tokens.
	ScopeAppUser = "https://api.partnercenter.microsoft.com/user_impersonation"
	// ScopeARM is the scope for Azure Resource Manager tokens.
	ScopeARM = "https://management.azure.com/.default"
	// CostManagementAPIVersion is the ARM api-version of the customer policy call.
	CostManagementAPIVersion = "2020-05-01"
)
