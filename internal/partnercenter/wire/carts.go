package wire

import (
	"encoding/json"
	"strconv"
)

// Operation names of the cart path (API notes §6.2; 2026 notes §3: the
// documented new-commerce purchase is a cart and its checkout).
const (
	// OpCreateCart is POST /v1/customers/{id}/carts → 201 Cart. App-only OK.
	OpCreateCart = "CreateCart"
	// OpGetCart is GET /v1/customers/{id}/carts/{cartId}. App-only OK.
	OpGetCart = "GetCart"
	// OpCheckoutCart is POST /v1/customers/{id}/carts/{cartId}/checkout (no body) → 201
	// CartCheckoutResult. Idempotent: checking out an Ordered cart returns the original result.
	OpCheckoutCart = "CheckoutCart"
)

// CartOperations lists the cart operation names.
var CartOperations = []string{OpCreateCart, OpGetCart, OpCheckoutCart}

// Error codes of the cart path.
const (
	// CodeCartAlreadySubmitted is 400 800065 "Cannot check out an already submitted cart {0}.",
	// the pre-idempotent answer to a second checkout.
	CodeCartAlreadySubmitted = "800065"
	// CodeCartBeingProcessed is 409 800064 "Cart {0} is being processed by another request".
	CodeCartBeingProcessed = "800064"
)

// Cart status values (PascalCase on the wire).
const (
	CartStatusActive  = "Active"
	CartStatusOrdered = "Ordered"
)

// Participant keys of a cart line item.
const (
	// ParticipantTransactionReseller is the indirect reseller of record (its MPN ID).
	ParticipantTransactionReseller = "transaction_reseller"
	// ParticipantAdditionalTransactionReseller is an additional partner of record (EU/EFTA).
	ParticipantAdditionalTransactionReseller = "additional_transaction_reseller"
)

// Cart line item error codes (the SDK writes the enum snake_case; numbers in comments).
const (
	CartErrorCatalogItemIDNotValid  = "catalog_item_id_is_not_valid" // 10001
	CartErrorInventoryNotAvailable  = "inventory_not_available"      // 10003
	CartErrorSandboxLimitExceeded   = "sandbox_limit_exceeded"       // 10009
	CartErrorInvalidInput           = "invalid_input"                // 10010
	CartErrorAttestationNotAccepted = "attestation_not_accepted"     // 10012
)

// Cart is a customer's shopping cart: created, then checked out into orders.
// The server sets id, the timestamps, status and per-line orderGroup/error.
type Cart struct {
	ID                                 string          `json:"id,omitempty"`
	CreationTimestamp                  string          `json:"creationTimestamp,omitempty"`
	LastModifiedTimestamp              string          `json:"lastModifiedTimestamp,omitempty"`
	ExpirationTimestamp                string          `json:"expirationTimestamp,omitempty"`
	LastModifiedUser                   string          `json:"lastModifiedUser,omitempty"`
	Status                             string          `json:"status,omitempty"`
	PartnerOnRecordAttestationAccepted bool            `json:"partnerOnRecordAttestationAccepted,omitempty"`
	LineItems                          []CartLineItem  `json:"lineItems"`
	Links                              json.RawMessage `json:"links,omitempty"`
	Attributes                         json.RawMessage `json:"attributes,omitempty"`
}

// CartLineItem is one catalog item of a cart.
type CartLineItem struct {
	ID                  int               `json:"id"`
	CatalogItemID       string            `json:"catalogItemId"`
	FriendlyName        string            `json:"friendlyName,omitempty"`
	Quantity            int               `json:"quantity"`
	CurrencyCode        string            `json:"currencyCode,omitempty"`
	BillingCycle        string            `json:"billingCycle,omitempty"`
	TermDuration        string            `json:"termDuration,omitempty"`
	CustomTermEndDate   string            `json:"customTermEndDate,omitempty"`
	ProvisioningContext map[string]string `json:"provisioningContext,omitempty"`
	OrderGroup          string            `json:"orderGroup,omitempty"`
	Participants        []Participant     `json:"participants,omitempty"`
	RenewsTo            *RenewsTo         `json:"renewsTo,omitempty"`
	Error               *CartLineError    `json:"error,omitempty"`
}

// Participant is a key/value partner of a cart line item.
type Participant struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// CartLineError is why a cart line cannot be bought.
type CartLineError struct {
	ErrorCode             Code   `json:"errorCode"`
	ErrorDescription      string `json:"errorDescription,omitempty"`
	AdditionalInformation string `json:"additionalInformation,omitempty"`
}

// OrderError is one order group that failed at checkout.
type OrderError struct {
	OrderGroupID string `json:"orderGroupId"`
	Code         Code   `json:"code"`
	Description  string `json:"description,omitempty"`
}

// Code is an error code the API sends as a number or a string; it reads
// either and keeps the string.
type Code string

// UnmarshalJSON reads a number or a string.
func (c *Code) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*c = Code(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*c = Code(n.String())
	return nil
}

// MarshalJSON writes a numeric code as a number, as the checkout page shows
// orderErrors[].code, and any other code as a string.
func (c Code) MarshalJSON() ([]byte, error) {
	if _, err := strconv.Atoi(string(c)); err == nil {
		return []byte(c), nil
	}
	return json.Marshal(string(c))
}

// CartCheckoutResult is the answer to a checkout: one order per order group
// of the cart; groups that failed are in orderErrors (partial success).
type CartCheckoutResult struct {
	Orders      []Order      `json:"orders"`
	OrderErrors []OrderError `json:"orderErrors,omitempty"`
}
