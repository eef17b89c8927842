package partnercenter

import (
	"context"
	"net/http"
	"net/url"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// CreateOrder places an order (201, status pending). requestID is the caller's persisted
// MS-RequestId: replaying it after a lost response returns the original order instead of a
// second one. A 409 800060 (IsOrderInProgress) means: look the order up, do not resubmit.
func (c *Client) CreateOrder(ctx context.Context, requestID, customerID string, order wire.Order) (*wire.Order, error) {
	var out wire.Order
	_, err := c.do(ctx, call{
		op: wire.OpCreateOrder, method: http.MethodPost, path: customerPath(customerID, "orders"),
		requestID: requestID, body: order, ok: []int{http.StatusCreated, http.StatusOK},
	}, &out)
	return valueOrNil(&out, err)
}

// GetOrder reads an order; its line items carry the subscription ids.
func (c *Client) GetOrder(ctx context.Context, customerID, orderID string) (*wire.Order, error) {
	var out wire.Order
	_, err := c.do(ctx, call{op: wire.OpGetOrder, method: http.MethodGet, path: customerPath(customerID, "orders", orderID)}, &out)
	return valueOrNil(&out, err)
}

// ListSubscriptions lists all of a customer's subscriptions.
func (c *Client) ListSubscriptions(ctx context.Context, customerID string) ([]wire.Subscription, error) {
	return c.listSubscriptions(ctx, customerID, nil)
}

// ListSubscriptionsByOrder lists the subscriptions an order created.
func (c *Client) ListSubscriptionsByOrder(ctx context.Context, customerID, orderID string) ([]wire.Subscription, error) {
	return c.listSubscriptions(ctx, customerID, url.Values{"order_id": {orderID}})
}

func (c *Client) listSubscriptions(ctx context.Context, customerID string, query url.Values) ([]wire.Subscription, error) {
	var out wire.Collection[wire.Subscription]
	_, err := c.do(ctx, call{op: wire.OpListSubscriptions, method: http.MethodGet, path: customerPath(customerID, "subscriptions"), query: query}, &out)
	return out.Items, err
}
