package partnercenter

import (
	"context"
	"net/http"
	"net/url"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// mcaQuery is always sent on agreement reads: without it the API silently answers for the
// Microsoft Cloud Agreement instead.
func mcaQuery() url.Values { return url.Values{"agreementType": {wire.AgreementTypeMCA}} }

// GetAgreementMetadata lists the Microsoft Customer Agreement templates (App+User only).
func (c *Client) GetAgreementMetadata(ctx context.Context) ([]wire.AgreementMetadata, error) {
	var out wire.Collection[wire.AgreementMetadata]
	_, err := c.do(ctx, call{op: wire.OpGetAgreementMetadata, method: http.MethodGet, path: "/v1/agreements", query: mcaQuery(), appUser: true}, &out)
	return out.Items, err
}

// CreateAgreement records the partner's attestation of the customer's MCA acceptance (App+User only; 201).
// An identical contact again fails with an error for which IsDuplicateAgreement is true.
func (c *Client) CreateAgreement(ctx context.Context, requestID, customerID string, agreement wire.Agreement) (*wire.Agreement, error) {
	var out wire.Agreement
	_, err := c.do(ctx, call{
		op: wire.OpCreateAgreement, method: http.MethodPost, path: customerPath(customerID, "agreements"),
		requestID: requestID, body: agreement, appUser: true, ok: []int{http.StatusCreated, http.StatusOK},
	}, &out)
	return valueOrNil(&out, err)
}

// ListAgreements lists the customer's confirmed Microsoft Customer Agreements (App+User only).
func (c *Client) ListAgreements(ctx context.Context, customerID string) ([]wire.Agreement, error) {
	var out wire.Collection[wire.Agreement]
	_, err := c.do(ctx, call{
		op: wire.OpListAgreements, method: http.MethodGet, path: customerPath(customerID, "agreements"),
		query: mcaQuery(), appUser: true,
	}, &out)
	return out.Items, err
}

// GetDirectSignedStatus reports whether the customer accepted the MCA itself in the admin center (App+User only).
func (c *Client) GetDirectSignedStatus(ctx context.Context, customerID string) (*wire.DirectSignedStatus, error) {
	var out wire.DirectSignedStatus
	_, err := c.do(ctx, call{
		op: wire.OpGetDirectSignedStatus, method: http.MethodGet,
		path: customerPath(customerID, "directSignedMicrosoftCustomerAgreementStatus"), appUser: true,
	}, &out)
	return valueOrNil(&out, err)
}
