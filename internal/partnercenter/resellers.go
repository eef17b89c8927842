package partnercenter

import (
	"context"
	"net/http"
	"net/url"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// GetRelationshipRequestURL returns the partner's reseller-relationship invitation (one URL per
// partner, not per customer; App+User only).
func (c *Client) GetRelationshipRequestURL(ctx context.Context) (*wire.RelationshipRequest, error) {
	var out wire.RelationshipRequest
	_, err := c.do(ctx, call{op: wire.OpGetRelationshipRequest, method: http.MethodGet, path: "/v1/customers/relationshiprequests", appUser: true}, &out)
	return valueOrNil(&out, err)
}

// ListIndirectResellers lists the indirect resellers with an active partnership (App+User only).
// Each item's ID is the reseller's tenant id and MpnID its MPN id.
func (c *Client) ListIndirectResellers(ctx context.Context) ([]wire.PartnerRelationship, error) {
	var out wire.Collection[wire.PartnerRelationship]
	_, err := c.do(ctx, call{
		op: wire.OpListIndirectResellers, method: http.MethodGet, path: "/v1/relationships",
		query: url.Values{"relationship_type": {wire.RelationshipQueryIndirectCSPOf}}, appUser: true,
	}, &out)
	return out.Items, err
}

// GetResellerAgreementStatus checks a reseller's Microsoft Partner Agreement by MPN id (App+User only).
// Bad MPN ids fail with codes 2200/2201/2203/2204.
func (c *Client) GetResellerAgreementStatus(ctx context.Context, mpnID string) (*wire.ResellerAgreementStatus, error) {
	var out wire.ResellerAgreementStatus
	_, err := c.do(ctx, call{
		op: wire.OpGetResellerAgreementStatus, method: http.MethodGet, path: "/v1/compliance/csp/agreementstatus",
		query: url.Values{"mpnId": {mpnID}}, appUser: true,
	}, &out)
	return valueOrNil(&out, err)
}
