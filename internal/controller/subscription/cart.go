package subscription

import (
	"context"
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// AnnotationCartID is the cart a new-commerce purchase checks out. It is
// written before the checkout, so a restart checks out the same cart (the
// checkout is idempotent) instead of buying through a second one (S2).
const AnnotationCartID = "partnercenter.csp.dev/cart-id"

// purchaseByCart buys a new-commerce offer the documented way: a cart built
// from the persisted order intent, then its checkout. The cart is created
// with the intent's MS-RequestId (a replay returns the same cart), its ID is
// persisted, and the checkout of that cart is repeated until it answers. A
// cart that expired (7 days) before its checkout is replaced by a new one.
func (r *Reconciler) purchaseByCart(ctx context.Context, s *v1alpha1.Subscription, customerID string, order wire.Order) (*phase.Halt, error) {
	cartID, err := r.liveCart(ctx, s, customerID)
	if err != nil {
		return nil, err
	}
	if cartID == "" {
		cart, err := r.External.CreateCart(ctx, s.Annotations[AnnotationOrderRequestID], customerID, cartOf(order))
		if err != nil {
			return r.orderFailed(ctx, s, err)
		}
		if msg := lineErrors(cart); msg != "" {
			return r.orderRefused(ctx, s, "Partner Center refused the cart: "+msg+".")
		}
		cartID = cart.ID
		if err := phase.PatchMetadata(ctx, r.Client, s, func(obj *v1alpha1.Subscription) {
			metav1.SetMetaDataAnnotation(&obj.ObjectMeta, AnnotationCartID, cartID)
		}); err != nil {
			return nil, err
		}
	}
	result, err := r.External.CheckoutCart(ctx, requestID(s, "checkout/"+cartID), customerID, cartID)
	switch {
	case partnercenter.IsNotFound(err):
		// It expired between the look at it and the checkout.
		if err := r.forgetCart(ctx, s, cartID); err != nil {
			return nil, err
		}
		return phase.WaitFor(ReasonOrdering, time.Time{}, "Cart %s expired before its checkout; a new cart replaces it.", cartID), nil
	case partnercenter.IsCartAlreadySubmitted(err):
		// Older Partner Center: the cart was checked out before (by this
		// object: the cart is its own) and the answer was lost.
		return r.lookUpOrder(ctx, s, customerID)
	case err != nil:
		return r.orderFailed(ctx, s, err)
	case len(result.Orders) == 0:
		return r.orderRefused(ctx, s, "Partner Center refused the checkout of cart "+cartID+": "+orderErrors(result.OrderErrors)+".")
	}
	return r.recordOrder(s, customerID, &result.Orders[0]), nil
}

// liveCart is the persisted cart, or "" when there is none or it can no
// longer be checked out: expired (Partner Center answers 404 or reports it
// past its expirationTimestamp while Active). An expired cart is forgotten and
// the next cart gets its own MS-RequestId.
func (r *Reconciler) liveCart(ctx context.Context, s *v1alpha1.Subscription, customerID string) (string, error) {
	cartID := s.Annotations[AnnotationCartID]
	if cartID == "" {
		return "", nil
	}
	cart, err := r.External.GetCart(ctx, customerID, cartID)
	if err != nil && !partnercenter.IsNotFound(err) {
		return "", err
	}
	if err == nil && !cartExpired(cart, r.Config.Now()) {
		return cartID, nil
	}
	return "", r.forgetCart(ctx, s, cartID)
}

// forgetCart drops an expired cart; the next cart gets its own MS-RequestId.
func (r *Reconciler) forgetCart(ctx context.Context, s *v1alpha1.Subscription, cartID string) error {
	attempt := fmt.Sprint(orderAttempt(s))
	if err := phase.PatchMetadata(ctx, r.Client, s, func(obj *v1alpha1.Subscription) {
		delete(obj.Annotations, AnnotationCartID)
		metav1.SetMetaDataAnnotation(&obj.ObjectMeta, AnnotationOrderRequestID, requestID(obj, "order/"+attempt+"/after-cart/"+cartID))
	}); err != nil {
		return err
	}
	r.Event(s, corev1.EventTypeNormal, EventOrdering, "Cart %s expired before its checkout (carts live 7 days); a new cart replaces it", cartID)
	return nil
}

// cartExpired tells an Active cart past its expirationTimestamp.
func cartExpired(cart *wire.Cart, now time.Time) bool {
	expires, err := wire.ParseTime(cart.ExpirationTimestamp)
	return cart.Status == wire.CartStatusActive && err == nil && !now.Before(expires)
}

// cartOf is the order intent as a cart: each line a catalog item with the
// reseller as transaction_reseller participant and the partner-of-record
// attestation set when a reseller is named (R3).
func cartOf(order wire.Order) wire.Cart {
	cart := wire.Cart{PartnerOnRecordAttestationAccepted: order.PartnerOnRecordAttestationAccepted}
	for _, li := range order.LineItems {
		line := wire.CartLineItem{
			ID: li.LineItemNumber, CatalogItemID: li.OfferID, FriendlyName: li.FriendlyName, Quantity: li.Quantity,
			BillingCycle: order.BillingCycle, TermDuration: li.TermDuration,
		}
		if li.PartnerIDOnRecord != "" {
			line.Participants = []wire.Participant{{Key: wire.ParticipantTransactionReseller, Value: li.PartnerIDOnRecord}}
		}
		cart.LineItems = append(cart.LineItems, line)
	}
	return cart
}

// lineErrors describes the cart lines Partner Center marked bad ("" when none).
func lineErrors(cart *wire.Cart) string {
	var out []string
	for _, li := range cart.LineItems {
		if li.Error != nil {
			out = append(out, fmt.Sprintf("line %d (%s) %s: %s", li.ID, li.CatalogItemID, li.Error.ErrorCode, li.Error.ErrorDescription))
		}
	}
	return strings.Join(out, "; ")
}

// orderErrors describes the order groups a checkout could not order.
func orderErrors(errs []wire.OrderError) string {
	if len(errs) == 0 {
		return "no order and no orderErrors in the answer"
	}
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i] = fmt.Sprintf("order group %s: %s %s", e.OrderGroupID, e.Code, e.Description)
	}
	return strings.Join(out, "; ")
}
