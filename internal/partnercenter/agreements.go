package partnercenter

import (
	"context"
	"net/http"
	"net/url"
)

// mcaQuery is always sent on agreement reads: without it the API silently answers for the
// Microsoft Cloud Agreement instead.
func mcaQuery() url.Values { return url.Values{"agreementType": {AgreementTypeMCA}} }

// GetAgreementMetadata lists the Microsoft Customer Agreement templates (App+User only).
func (c *Client) GetAgreementMetadata(ctx context.Context) ([]AgreementMetadata, error) {
	var out Collection[AgreementMetadata]
	_, err := c.do(ctx, call{op: OpGetAgreementMetadata, method: http.MethodGet, path: "/v1/agreements", query: mcaQuery(), appUser: true}, &out)
	return out.Items, err
}

// CreateAgreement records the partner's attestation of the customer's MCA acceptance (App+User only; 201).
// An identical contact again fails with an error for which IsDuplicateAgreement is true.
func (c *Client) CreateAgreement(ctx context.Context, requestID, customerID string, agreement Agreement) (*Agreement, error) {
	var out Agreement
	_, err := c.do(ctx, call{
		op: OpCreateAgreement, method: http.MethodPost, path: customerPath(customerID, "agreements"),
		requestID: requestID, body: agreement, appUser: true, ok: []int{http.StatusCreated, http.StatusOK},
	}, &out)
	return valueOrNil(&out, err)
}

// ListAgreements lists the customer's confirmed Microsoft Customer Agreements (App+User only).
func (c *Client) ListAgreements(ctx context.Context, customerID string) ([]Agreement, error) {
	var out Collection[Agreement]
	_, err := c.do(ctx, call{
		op: OpListAgreements, method: http.MethodGet, path: customerPath(customerID, "agreements"),
		query: mcaQuery(), appUser: true,
	}, &out)
	return out.Items, err
}

// GetDirectSignedStatus reports whether the customer accepted the MCA itself in the admin center (App+User only).
func (c *Client) GetDirectSignedStatus(ctx context.Context, customerID string) (*DirectSignedStatus, error) {
	var out DirectSignedStatus
	_, err := c.do(ctx, call{
		op: OpGetDirectSignedStatus, method: http.MethodGet,
		path: customerPath(customerID, "directSignedMicrosoftCustomerAgreementStatus"), appUser: true,
	}, &out)
	return valueOrNil(&out, err)
}
