package subscription

import (
	"context"
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// adopt is I1 for a Subscription naming an existing subscription
// (spec.subscriptionID): once the customer exists it is read, checked against
// the spec (a subscription of that customer, for offerID, recorded by no other
// Subscription) and recorded; no order is ever placed for it. A mismatch is
// refused with the reason and nothing is written. From then on the
// subscription is kept in line with the spec like an ordered one (S3, S5-S7).
func (r *Reconciler) adopt(ctx context.Context, s *v1alpha1.Subscription, p *pass) (*phase.Halt, error) {
	if ok, reason, message := customerExists(p.in); !ok {
		return r.blocked(s, reason, message), nil
	}
	customerID, id := p.in.customer.Status.CustomerID, s.Spec.SubscriptionID
	remote, err := r.External.GetSubscription(ctx, customerID, id)
	if partnercenter.IsNotFound(err) {
		return r.refuseAdoption(s, fmt.Sprintf("Partner Center has no subscription %s for customer %s (Customer %q): both fields are fixed once set, so delete this object and create it with the right spec.subscriptionID or spec.customerRef.",
			id, customerID, s.Spec.CustomerRef.Name)), nil
	}
	if err != nil {
		return nil, err
	}
	if !strings.EqualFold(remote.OfferID, s.Spec.OfferID) {
		return r.refuseAdoption(s, fmt.Sprintf("subscription %s is for offer %s, but spec.offerID is %s: both fields are fixed once set, so delete this object and create it with offerID %s.",
			id, remote.OfferID, s.Spec.OfferID, remote.OfferID)), nil
	}
	claimed, err := r.otherClaims(ctx, s)
	if err != nil {
		return nil, err
	}
	if claimed.subscriptionIDs[remote.ID] {
		return r.refuseAdoption(s, fmt.Sprintf("subscription %s is already recorded by another Subscription of Customer %q.", id, s.Spec.CustomerRef.Name)), nil
	}
	if s.Spec.DeletionPolicy == v1alpha1.DeletionPolicyDelete {
		// Deletion cancels what was adopted, like what was ordered.
		if err := phase.AddFinalizer(ctx, r.Client, s); err != nil {
			return nil, err
		}
	}
	s.Status.CustomerID, s.Status.SubscriptionID, s.Status.OrderID = customerID, remote.ID, remote.OrderID
	p.adopted = remote
	msg := fmt.Sprintf("I1: adopted existing subscription %s (%d x %s); no order was placed.", remote.ID, remote.Quantity, remote.OfferID)
	status.Remove(s, v1alpha1.ConditionOrderBlocked)
	status.MarkTrue(s, v1alpha1.ConditionOrdered, ReasonAdopted, msg)
	r.Event(s, corev1.EventTypeNormal, EventAdopted, "%s", msg)
	return nil, nil
}

// refuseAdoption stalls a Subscription whose spec.subscriptionID does not
// match what Partner Center holds (I1): nothing is ordered or changed.
func (r *Reconciler) refuseAdoption(s *v1alpha1.Subscription, why string) *phase.Halt {
	msg := "I1: subscription " + s.Spec.SubscriptionID + " is not adopted and nothing is written: " + why
	if prev := status.Get(s, v1alpha1.ConditionOrdered); prev == nil || prev.Reason != ReasonAdoptionRefused.Name || prev.Message != msg {
		r.Event(s, corev1.EventTypeWarning, EventRefused, "%s", msg)
	}
	status.MarkFalse(s, v1alpha1.ConditionOrdered, ReasonAdoptionRefused, msg)
	return phase.WaitFor(ReasonAdoptionRefused, time.Time{}, "%s", msg)
}
