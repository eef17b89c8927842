package partnercenter

import (
	"context"
	"net/http"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// CreateCart creates a cart (201). requestID is the caller's persisted
// MS-RequestId: a replay after a lost answer returns the same cart.
func (c *Client) CreateCart(ctx context.Context, requestID, customerID string, cart wire.Cart) (*wire.Cart, error) {
	var out wire.Cart
	_, err := c.do(ctx, call{
		op: wire.OpCreateCart, method: http.MethodPost, path: customerPath(customerID, "carts"),
		requestID: requestID, body: cart, ok: []int{http.StatusCreated, http.StatusOK},
	}, &out)
	return valueOrNil(&out, err)
}

// GetCart reads a cart: its status (Active, Ordered) and expiration.
func (c *Client) GetCart(ctx context.Context, customerID, cartID string) (*wire.Cart, error) {
	var out wire.Cart
	_, err := c.do(ctx, call{op: wire.OpGetCart, method: http.MethodGet, path: customerPath(customerID, "carts", cartID)}, &out)
	return valueOrNil(&out, err)
}

// CheckoutCart checks a cart out into orders. It is idempotent: checking out
// an already checked-out cart returns the original result (older Partner
// Center answered 400 800065 instead: IsCartAlreadySubmitted).
func (c *Client) CheckoutCart(ctx context.Context, requestID, customerID, cartID string) (*wire.CartCheckoutResult, error) {
	var out wire.CartCheckoutResult
	_, err := c.do(ctx, call{
		op: wire.OpCheckoutCart, method: http.MethodPost, path: customerPath(customerID, "carts", cartID, "checkout"),
		requestID: requestID, ok: []int{http.StatusCreated, http.StatusOK},
	}, &out)
	return valueOrNil(&out, err)
}

// IsCartAlreadySubmitted is 400 800065: the cart was checked out before.
func IsCartAlreadySubmitted(err error) bool { return hasCode(err, wire.CodeCartAlreadySubmitted) }
