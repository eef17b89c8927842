package subscription

import (
	"context"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// External is exactly the Partner Center surface a Subscription uses, so the
// reconciler reads like the rules and tests can inject faults around it.
// *partnercenter.Client implements it.
type External interface {
	// CreateOrder places an order; replaying requestID returns the original
	// order instead of a second one (S2). 409 800060 means an order for the
	// offer is in progress: look it up, do not resubmit.
	CreateOrder(ctx context.Context, requestID, customerID string, order wire.Order) (*wire.Order, error)
	// CreateCart creates a cart for a new-commerce purchase; replaying
	// requestID returns the same cart.
	CreateCart(ctx context.Context, requestID, customerID string, cart wire.Cart) (*wire.Cart, error)
	// GetCart reads a cart, to tell whether it expired.
	GetCart(ctx context.Context, customerID, cartID string) (*wire.Cart, error)
	// CheckoutCart checks a cart out into orders; idempotent (older Partner
	// Center: 400 800065 on a second checkout).
	CheckoutCart(ctx context.Context, requestID, customerID, cartID string) (*wire.CartCheckoutResult, error)
	// GetOrder reads an order, to follow it from pending to completed.
	GetOrder(ctx context.Context, customerID, orderID string) (*wire.Order, error)
	// ListSubscriptions lists the customer's subscriptions (the 800060 look-up).
	ListSubscriptions(ctx context.Context, customerID string) ([]wire.Subscription, error)
	// GetSubscription reads the subscription with the etag needed to update it.
	GetSubscription(ctx context.Context, customerID, subscriptionID string) (*wire.Subscription, error)
	// UpdateSubscription PATCHes the full subscription with its etag (S3, S5).
	UpdateSubscription(ctx context.Context, requestID, customerID string, sub wire.Subscription) (*wire.SubscriptionUpdateResult, error)
	// UpdateSupportContact makes a reseller the designated support contact (R3, R5).
	UpdateSupportContact(ctx context.Context, requestID, customerID, subscriptionID string, contact wire.SupportContact) (*wire.SupportContact, error)
}

var _ External = (*partnercenter.Client)(nil)
