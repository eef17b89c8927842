package partnercenter

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// GetAccountValidationStatus reads the customer's account verification status (App+User only).
// When the customer has no account status (404, code 600074) it returns (nil, nil): no status
// means purchases are not blocked. Any other 404 (e.g. unknown customer) is an error.
func (c *Client) GetAccountValidationStatus(ctx context.Context, customerID string) (*wire.ValidationStatus, error) {
	var out wire.ValidationStatus
	_, err := c.do(ctx, call{
		op: wire.OpGetAccountValidationStatus, method: http.MethodGet, path: customerPath(customerID, "validationStatus"),
		query: url.Values{"type": {wire.ValidationTypeAccount}}, appUser: true,
	}, &out)
	if isAccountStatusNotFound(err) {
		return nil, nil
	}
	return valueOrNil(&out, err)
}

func isAccountStatusNotFound(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.StatusCode == http.StatusNotFound &&
		(e.Code == wire.CodeAccountStatusNotFound || e.ErrorName == wire.ErrorNameAccountStatusNotFound)
}

// ListQualifications reads the customer's qualifications (a plain JSON array, not a collection).
func (c *Client) ListQualifications(ctx context.Context, customerID string) ([]wire.Qualification, error) {
	var out []wire.Qualification
	_, err := c.do(ctx, call{op: wire.OpListQualifications, method: http.MethodGet, path: customerPath(customerID, "qualifications")}, &out)
	return out, err
}

// CreateQualification requests a qualification (App+User only; 201).
func (c *Client) CreateQualification(ctx context.Context, requestID, customerID string, req wire.QualificationRequest) (*wire.Qualification, error) {
	var out wire.Qualification
	_, err := c.do(ctx, call{
		op: wire.OpCreateQualification, method: http.MethodPost, path: customerPath(customerID, "qualifications"),
		requestID: requestID, body: req, appUser: true, ok: []int{http.StatusCreated, http.StatusOK},
	}, &out)
	return valueOrNil(&out, err)
}
