package wire

import "time"

// OpListAuditRecords is GET /v1/auditrecords?startDate=..&endDate=..&size=..[&filter=..]
// (paging: the MS-ContinuationToken header). App-only and App+User both OK. Partner Center
// keeps 90 days of records; a start date further back is answered 400.
const OpListAuditRecords = "ListAuditRecords"

// AuditRecord is one entry of the partner's activity log (the auditing-resources page and
// the get-a-record-of-partner-center-activity sample).
type AuditRecord struct {
	// ID identifies the record.
	ID string `json:"id,omitempty"`
	// PartnerID is the partner tenant the record belongs to.
	PartnerID string `json:"partnerId,omitempty"`
	// Participants are the partner tenants that see the record.
	Participants []string `json:"participants,omitempty"`
	// CustomerID is the customer tenant the operation acted on.
	CustomerID string `json:"customerId,omitempty"`
	// CustomerName is the customer's company name.
	CustomerName string `json:"customerName,omitempty"`
	// UserPrincipalName is the partner user who acted (empty for an application alone).
	UserPrincipalName string `json:"userPrincipalName,omitempty"`
	// ApplicationID identifies the application that acted.
	ApplicationID string `json:"applicationId,omitempty"`
	// ResourceType is the kind of resource acted on (AuditResource*).
	ResourceType string `json:"resourceType"`
	// ResourceOldValue is the resource before the operation, as a JSON string.
	ResourceOldValue string `json:"resourceOldValue,omitempty"`
	// ResourceNewValue is the resource after the operation, as a JSON string.
	ResourceNewValue string `json:"resourceNewValue,omitempty"`
	// OperationType is what was done (AuditOperation*).
	OperationType string `json:"operationType"`
	// OriginalCorrelationID is the MS-CorrelationId of the request that did it.
	OriginalCorrelationID string `json:"originalCorrelationId,omitempty"`
	// OperationDate is when it was done (UTC).
	OperationDate time.Time `json:"operationDate"`
	// OperationStatus is AuditStatusSucceeded, "failed" or "progress".
	OperationStatus string `json:"operationStatus"`
	// CustomizedData are operation-specific key/value pairs (e.g. OrderId, SubscriptionId-0).
	CustomizedData []KeyValuePair `json:"customizedData,omitempty"`
	// Attributes has objectType "AuditRecord".
	Attributes Attributes `json:"attributes"`
}

// KeyValuePair is one customizedData entry; a null value decodes as "".
type KeyValuePair struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Value returns the customizedData value for key, and whether it is present.
func (r AuditRecord) Value(key string) (string, bool) {
	for _, kv := range r.CustomizedData {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return "", false
}

// ObjectTypeAuditRecord is an audit record's attributes.objectType.
const ObjectTypeAuditRecord = "AuditRecord"

// AuditStatusSucceeded is the operationStatus of a completed operation.
const AuditStatusSucceeded = "succeeded"

// Resource types (documented values) of the operations the operator and the simulator use.
const (
	AuditResourceCustomer                    = "customer"
	AuditResourceOrder                       = "order"
	AuditResourceSubscription                = "subscription"
	AuditResourceAgreement                   = "agreement"
	AuditResourcePartnerCustomerRelationship = "partner_customer_relationship"
)

// Operation types (documented values, except AuditOperationCreateCustomerAgreement and
// AuditOperationCreateEnhancedAttestation, which no page names: choices).
const (
	AuditOperationAddCustomer                       = "add_customer"
	AuditOperationDeleteCustomer                    = "delete_customer"
	AuditOperationRemovePartnerCustomerRelationship = "remove_partner_customer_relationship"
	AuditOperationUpdateCustomerBillingProfile      = "update_customer_billing_profile"
	AuditOperationUpdateCustomerQualification       = "update_customer_qualification"
	AuditOperationCreateOrder                       = "create_order"
	AuditOperationUpdateSubscription                = "update_subscription"
	AuditOperationCreateCustomerAgreement           = "create_customer_agreement"
	AuditOperationCreateEnhancedAttestation         = "create_enhanced_attestation"
)

// Audit record filter fields and their operators (the request-syntax table).
const (
	AuditFilterFieldCustomerID   = "CustomerId"
	AuditFilterFieldCompanyName  = "CompanyName"
	AuditFilterFieldResourceType = "ResourceType"
	AuditFilterOperatorEquals    = "equals"
	AuditFilterOperatorSubstring = "substring"
)

// Customized-data keys the records carry (documented for add_customer and create_order;
// AuditKeySubscriptionID on update_subscription and AuditKeyAttestationID on
// create_enhanced_attestation are the simulator's choices).
const (
	AuditKeyPrimaryDomainName = "PrimaryDomainName"
	AuditKeyOrderID           = "OrderId"
	AuditKeySubscriptionID    = "SubscriptionId"
	AuditKeyAttestationID     = "AttestationId"
)

// AuditRetention is how far back Partner Center keeps audit records; AuditMaxWindow is the
// longest start-to-end range one request may ask for (REST reference: 90 days, 30 days).
const (
	AuditRetention = 90 * 24 * time.Hour
	AuditMaxWindow = 30 * 24 * time.Hour
)
