package partnercenter

import (
	"context"
	"net/http"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// GetSubscription reads one subscription, including the etag needed to update it.
func (c *Client) GetSubscription(ctx context.Context, customerID, subscriptionID string) (*wire.Subscription, error) {
	var out wire.Subscription
	_, err := c.do(ctx, call{op: wire.OpGetSubscription, method: http.MethodGet, path: customerPath(customerID, "subscriptions", subscriptionID)}, &out)
	return valueOrNil(&out, err)
}

// UpdateSubscription PATCHes the FULL subscription as last read, with the changed fields, sending
// its etag as If-Match and in the body. 200 returns the updated subscription; 202 means accepted
// (poll the subscription). A stale etag fails with code 2055 (IsETagStale).
func (c *Client) UpdateSubscription(ctx context.Context, requestID, customerID string, sub wire.Subscription) (*wire.SubscriptionUpdateResult, error) {
	if sub.Attributes.Etag == "" {
		return nil, ErrETagRequired
	}
	var out wire.Subscription
	resp, err := c.do(ctx, call{
		op: wire.OpUpdateSubscription, method: http.MethodPatch, path: customerPath(customerID, "subscriptions", sub.ID),
		requestID: requestID, ifMatch: sub.Attributes.Etag, body: sub, ok: []int{http.StatusOK, http.StatusAccepted},
	}, &out)
	if err != nil {
		return nil, err
	}
	if resp.status == http.StatusAccepted {
		return &wire.SubscriptionUpdateResult{Accepted: true, Location: resp.header.Get("Location")}, nil
	}
	return &wire.SubscriptionUpdateResult{Subscription: &out}, nil
}

// UpdateSupportContact sets the subscription's designated support contact to an indirect
// reseller (App+User only).
func (c *Client) UpdateSupportContact(ctx context.Context, requestID, customerID, subscriptionID string, contact wire.SupportContact) (*wire.SupportContact, error) {
	var out wire.SupportContact
	_, err := c.do(ctx, call{
		op: wire.OpUpdateSupportContact, method: http.MethodPut,
		path:      customerPath(customerID, "subscriptions", subscriptionID, "supportcontact"),
		requestID: requestID, body: contact, appUser: true,
	}, &out)
	return valueOrNil(&out, err)
}
