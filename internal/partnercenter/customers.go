package partnercenter

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// CheckDomainAvailable reports whether domain (e.g. contoso.onmicrosoft.com) is free:
// HEAD /v1/domains/{domain} answers 200 when taken and 404 when available.
func (c *Client) CheckDomainAvailable(ctx context.Context, domain string) (bool, error) {
	resp, err := c.do(ctx, call{
		op: wire.OpCheckDomain, method: http.MethodHead, path: "/v1/domains/" + escape(domain),
		ok: []int{http.StatusOK, http.StatusNotFound},
	}, nil)
	if err != nil {
		return false, err
	}
	return resp.status == http.StatusNotFound, nil
}

// ValidateAddress asks for an address verdict; the API answers 200 with the verdict in Status
// (see AddressValidationResponse.Passed). It has no side effect, so it generates its own MS-RequestId.
func (c *Client) ValidateAddress(ctx context.Context, address wire.Address) (*wire.AddressValidationResponse, error) {
	var out wire.AddressValidationResponse
	_, err := c.do(ctx, call{op: wire.OpValidateAddress, method: http.MethodPost, path: "/v1/validations/address", body: address}, &out)
	return valueOrNil(&out, err)
}

// CreateCustomer creates a customer (201). requestID is the caller's persisted MS-RequestId: replaying it
// returns the original customer. The response's UserCredentials carry the only copy of the admin password.
// With AssociatedPartnerID set (indirect reseller) the call needs the App+User credential.
func (c *Client) CreateCustomer(ctx context.Context, requestID string, req wire.CustomerCreateRequest) (*wire.Customer, error) {
	var out wire.Customer
	_, err := c.do(ctx, call{
		op: wire.OpCreateCustomer, method: http.MethodPost, path: "/v1/customers", body: req,
		requestID: requestID, appUser: req.AssociatedPartnerID != "",
		ok: []int{http.StatusCreated, http.StatusOK},
	}, &out)
	return valueOrNil(&out, err)
}

// GetCustomer reads a customer by id (tenant id).
func (c *Client) GetCustomer(ctx context.Context, customerID string) (*wire.Customer, error) {
	var out wire.Customer
	_, err := c.do(ctx, call{op: wire.OpGetCustomer, method: http.MethodGet, path: customerPath(customerID)}, &out)
	return valueOrNil(&out, err)
}

// FindCustomer reads one customer by its tenant ID (the customer ID is the tenant ID) with a
// single GET: found is false when the partner has no such customer (404), so looking one
// tenant up never lists the partner's whole book. The ID goes lower-cased, as Partner Center
// writes its GUIDs, since a user may spell the tenant ID in capitals.
func (c *Client) FindCustomer(ctx context.Context, tenantID string) (customer *wire.Customer, found bool, err error) {
	customer, err = c.GetCustomer(ctx, strings.ToLower(tenantID))
	switch {
	case IsNotFound(err):
		return nil, false, nil
	case err != nil:
		return nil, false, err
	}
	return customer, true, nil
}

// ListCustomersOptions select one page of customers.
type ListCustomersOptions struct {
	// Size is the page size (0 lets the server choose).
	Size int
	// Filter narrows the list; FilterFieldIndirectReseller needs the App+User credential.
	Filter *wire.Filter
	// ContinuationToken is the previous page's ContinuationToken; empty for the first page.
	ContinuationToken string
}

// IndirectResellerFilter selects the customers of one indirect reseller (by its tenant id).
func IndirectResellerFilter(resellerTenantID string) *wire.Filter {
	return &wire.Filter{Field: wire.FilterFieldIndirectReseller, Value: resellerTenantID, Operator: wire.FilterOperatorStartsWith}
}

// ListCustomers returns one page of customers; fetch the next with the page's ContinuationToken.
func (c *Client) ListCustomers(ctx context.Context, opts ListCustomersOptions) (*wire.Collection[wire.Customer], error) {
	q := url.Values{}
	q.Set("size", strconv.Itoa(opts.Size))
	cl := call{op: wire.OpListCustomers, method: http.MethodGet, path: "/v1/customers", query: q}
	if opts.Filter != nil {
		filter, err := json.Marshal(opts.Filter)
		if err != nil {
			return nil, err
		}
		q.Set("filter", string(filter))
		cl.appUser = opts.Filter.Field == wire.FilterFieldIndirectReseller
	}
	if opts.ContinuationToken != "" {
		q.Set("seekOperation", "Next")
		cl.headers = map[string]string{wire.HeaderContinuationToken: opts.ContinuationToken}
	}
	var out wire.Collection[wire.Customer]
	_, err := c.do(ctx, cl, &out)
	return valueOrNil(&out, err)
}

// ListAllCustomers follows continuation tokens and returns every customer matching filter (nil = all).
func (c *Client) ListAllCustomers(ctx context.Context, pageSize int, filter *wire.Filter) ([]wire.Customer, error) {
	return allPages("", func(token string) (*wire.Collection[wire.Customer], error) {
		return c.ListCustomers(ctx, ListCustomersOptions{Size: pageSize, Filter: filter, ContinuationToken: token})
	})
}

// DeleteCustomer deletes a customer (204); the API allows it in the integration sandbox only.
func (c *Client) DeleteCustomer(ctx context.Context, requestID, customerID string) error {
	_, err := c.do(ctx, call{
		op: wire.OpDeleteCustomer, method: http.MethodDelete, path: customerPath(customerID),
		requestID: requestID, ok: []int{http.StatusNoContent, http.StatusOK},
	}, nil)
	return err
}

// GetBillingProfile reads a customer's billing profile, including the etag needed to update it.
func (c *Client) GetBillingProfile(ctx context.Context, customerID string) (*wire.BillingProfile, error) {
	var out wire.BillingProfile
	_, err := c.do(ctx, call{op: wire.OpGetBillingProfile, method: http.MethodGet, path: customerPath(customerID, "profiles", "billing")}, &out)
	return valueOrNil(&out, err)
}

// ErrETagRequired is returned by updates whose resource has no attributes.etag: re-GET it first.
var ErrETagRequired = errors.New("partnercenter: resource has no etag; GET it before updating")

// UpdateBillingProfile PUTs the full profile as last read (with its etag, sent both as If-Match
// and in the body) and returns the updated profile with its new etag. A stale etag fails
// with an error for which IsETagStale is true.
func (c *Client) UpdateBillingProfile(ctx context.Context, requestID, customerID string, profile wire.BillingProfile) (*wire.BillingProfile, error) {
	if profile.Attributes.Etag == "" {
		return nil, ErrETagRequired
	}
	var out wire.BillingProfile
	_, err := c.do(ctx, call{
		op: wire.OpUpdateBillingProfile, method: http.MethodPut, path: customerPath(customerID, "profiles", "billing"),
		requestID: requestID, ifMatch: profile.Attributes.Etag, body: profile,
	}, &out)
	return valueOrNil(&out, err)
}

// valueOrNil returns (v, nil) on success and (nil, err) otherwise, so no half-filled value escapes.
func valueOrNil[T any](v *T, err error) (*T, error) {
	if err != nil {
		return nil, err
	}
	return v, nil
}
